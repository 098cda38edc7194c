import { RejectedArticleError } from '../errors';
import type { ExtractedDocument, ReadContext } from './document';

/** Not built yet: the research-documents work fills this in. */
export const readMarkdown = async (_bytes: Uint8Array, _context: ReadContext): Promise<ExtractedDocument> => {
  throw new RejectedArticleError('markdown documents are not read yet');
};
