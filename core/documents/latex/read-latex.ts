import { RejectedArticleError } from '../../errors';
import type { ExtractedDocument, ReadContext } from '../document';

/** Not built yet: the research-documents work fills this in. */
export const readLatex = async (_bytes: Uint8Array, _context: ReadContext): Promise<ExtractedDocument> => {
  throw new RejectedArticleError('latex documents are not read yet');
};
