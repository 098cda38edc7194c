import type { DocumentFormat } from './document';

/** What an upload is: a format the product reads, or why it is not read (names the format and what to upload instead). */
export type Detection = { format: DocumentFormat } | { unsupported: string };

/** Not built yet: everything is text, as before documents. */
export const detectFormat = (_head: Uint8Array, _key: string, _contentType?: string): Detection => ({ format: 'text' });
