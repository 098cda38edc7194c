import { formatResults } from '../../cli/results';
import type { LedgerRow } from '../../core/ledger';

const row = (overrides: Partial<LedgerRow>): LedgerRow => ({
  articleId: 'a'.repeat(32),
  bucket: 'b',
  key: 'input/papers/specter.pdf',
  etag: 'e',
  bytes: 1000,
  state: 'COMPLETED',
  inferenceId: 'f'.repeat(32),
  requestCount: 1,
  modelId: 'm',
  uploadedAt: '2026-12-06T10:00:00.000Z',
  receivedAt: '2026-12-06T10:00:00.000Z',
  day: '2026-12-06',
  summary: 'Document-level embeddings from citations.',
  ...overrides,
});

describe('npm run results on documents', () => {
  it("shows a document's title, format, pages, approximate date and where its body was read from", () => {
    const shown = formatResults([
      row({
        format: 'pdf',
        title: 'SPECTER: Document-level Representation Learning',
        pages: 13,
        publishedDay: '2020-05-19',
        publishedSource: 'document-approximate',
        extractedLocation: 's3://b/extracted/a/f.txt',
      }),
    ]);

    expect(shown).toContain(
      '          SPECTER: Document-level Representation Learning (pdf, 13 pages, published 2020-05-19 (approximate))',
    );
    expect(shown).toContain('          read from: s3://b/extracted/a/f.txt');
  });

  it('names the unreadable pages of a PDF summarized from the others', () => {
    const shown = formatResults([row({ format: 'pdf', pages: 40, unusablePages: '2–5, 9' })]);

    expect(shown).toContain('(pdf, 40 pages, pages 2–5, 9 unreadable)');
  });

  it('adds nothing for a plain-text article', () => {
    const shown = formatResults([row({ key: 'input/a.txt', format: 'text', title: 'Council approves budget' })]);

    expect(shown).not.toContain('Council approves budget');
    expect(shown).not.toContain('read from');
  });
});
