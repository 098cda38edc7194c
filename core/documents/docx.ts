import { RejectedArticleError } from '../errors';
import type { ExtractedDocument, ExtractionLimits } from './document';

/** Not built yet: the research-documents work fills this in. */
export const readDocx = async (_bytes: Uint8Array, _limits: ExtractionLimits): Promise<ExtractedDocument> => {
  throw new RejectedArticleError('docx documents are not read yet');
};
