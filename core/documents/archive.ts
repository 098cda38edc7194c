/**
 * Bounded unpacking for documents that arrive packed: gzip (arXiv's bare gzip of a .tex or of a
 * tar), tar (arXiv source tarballs) and zip (.docx, Overleaf projects). A hostile archive cannot
 * exhaust the function:
 *
 * - every byte any unpacking produces counts against one ExpansionBudget (the reader's
 *   maxExpandedBytes), checked before inflating (a zip's declared sizes) and while inflating
 *   (node:zlib's `maxOutputLength` stops a stream that produces more);
 * - an archive holds at most MAX_ENTRIES entries;
 * - a zip entry must inflate to exactly the size and CRC-32 its central directory declares, so a
 *   directory that lies is caught before anything else reads the entry;
 * - anything that unpacks to more than MAX_RATIO times its packed size (past RATIO_FLOOR_BYTES) is
 *   a compression bomb.
 *
 * Nothing here follows links or opens nested archives: a tar's symbolic and hard links are skipped,
 * and an archive inside an archive is just an entry.
 *
 * Formats: gzip RFC 1952 (https://www.rfc-editor.org/rfc/rfc1952); tar as POSIX ustar/pax and GNU
 * long names (https://www.gnu.org/software/tar/manual/html_node/Standard.html); zip and zip64 as
 * PKWARE's APPNOTE (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT).
 */

import { Gunzip } from 'fflate';
import { crc32, gunzipSync, inflateRawSync } from 'node:zlib';
import { RejectedArticleError } from '../errors';
import { checkDeadline } from './deadline';
import type { ExtractionLimits } from './document';

/** Most entries an archive may hold (a .docx has tens, an arXiv tarball with its figures hundreds). */
export const MAX_ENTRIES = 10_000;
/** Most times an archive may unpack to its packed size. Text compresses 3–20×, deflate at most ~1,032×. */
export const MAX_RATIO = 200;
/** Below this many unpacked bytes the ratio is not checked: a small archive of zeros is harmless. */
export const RATIO_FLOOR_BYTES = 1 << 20;

export interface ArchiveEntry {
  /** The entry's path inside the archive, as stored ("sections/intro.tex", "word/document.xml"). */
  name: string;
  bytes: Uint8Array;
}

/** One running total of unpacked bytes for everything a document unpacks (a gzip, then the tar inside). */
export class ExpansionBudget {
  private used = 0;

  constructor(readonly limits: ExtractionLimits) {}

  get remaining(): number {
    return Math.max(0, this.limits.maxExpandedBytes - this.used);
  }

  /** Counts bytes that `what` unpacks to; throws once the total passes maxExpandedBytes. */
  take(bytes: number, what: string): void {
    if (bytes > this.remaining) throw expandsTooFar(what, this.limits.maxExpandedBytes);
    this.used += bytes;
  }
}

const expandsTooFar = (what: string, max: number): RejectedArticleError =>
  new RejectedArticleError(
    `${what} unpacks to more than ${max} bytes, the limit for a document's unpacked contents (a compression bomb, or a document too large to read)`,
  );

const checkRatio = (unpacked: number, packed: number, what: string): void => {
  if (unpacked > RATIO_FLOOR_BYTES && unpacked > MAX_RATIO * Math.max(1, packed)) {
    throw new RejectedArticleError(
      `${what} unpacks to ${unpacked} bytes from ${packed}, more than ${MAX_RATIO} times its size: a compression bomb, not a document`,
    );
  }
};

const zlibCode = (error: unknown): string | undefined =>
  error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : undefined;

/** An error's message; node:zlib's errors may come from another realm (a test runner's sandbox), so not `instanceof Error`. */
const messageOf = (error: unknown): string =>
  error && typeof error === 'object' && 'message' in error ? String((error as { message: unknown }).message) : String(error);

const damaged = (what: string, error: unknown): RejectedArticleError => {
  const code = zlibCode(error);
  const detail = messageOf(error);
  return new RejectedArticleError(
    code === 'Z_BUF_ERROR'
      ? `${what} is truncated (${detail}): upload the whole file again`
      : `${what} is corrupt (${detail}): upload an intact copy`,
  );
};

// ---------------------------------------------------------------------------------------------- gzip

export const isGzip = (bytes: Uint8Array): boolean => bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Inflates a gzip file (every member), within the budget. */
export const gunzip = (bytes: Uint8Array, budget: ExpansionBudget, what = 'the gzip file'): Uint8Array => {
  checkDeadline(budget.limits, `unpacking ${what}`);
  let out: Buffer;
  try {
    out = gunzipSync(bytes, { maxOutputLength: Math.max(1, budget.remaining) });
  } catch (error) {
    if (zlibCode(error) === 'ERR_BUFFER_TOO_LARGE') throw expandsTooFar(what, budget.limits.maxExpandedBytes);
    throw damaged(what, error);
  }
  checkRatio(out.length, bytes.length, what);
  budget.take(out.length, what);
  return out;
};

/**
 * The first `maxBytes` a gzip file inflates to (fewer when it is shorter, truncated or corrupt),
 * without inflating the rest: enough to see what it holds. Input goes in 4 KiB at a time, so a bomb
 * produces at most ~4 MiB past `maxBytes` before this stops.
 */
export const gunzipHead = (bytes: Uint8Array, maxBytes: number): Uint8Array => {
  const parts: Uint8Array[] = [];
  let have = 0;
  const stream = new Gunzip((chunk) => {
    if (have >= maxBytes) return;
    parts.push(chunk.slice());
    have += chunk.length;
  });
  try {
    for (let at = 0; at < bytes.length && have < maxBytes; at += 4096) {
      stream.push(bytes.subarray(at, at + 4096), at + 4096 >= bytes.length);
    }
  } catch {
    // A truncated or corrupt stream: what inflated before the damage is still its head.
  }
  return concat(parts).subarray(0, maxBytes);
};

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

// ----------------------------------------------------------------------------------------------- tar

const BLOCK = 512;
const utf8 = new TextDecoder('utf-8');

const text = (bytes: Uint8Array, from: number, length: number): string => {
  const field = bytes.subarray(from, from + length);
  const end = field.indexOf(0);
  return utf8.decode(end === -1 ? field : field.subarray(0, end));
};

/** A tar number: octal digits, or GNU's base-256 form (high bit set) for sizes past 8 GiB. */
const tarNumber = (bytes: Uint8Array, from: number, length: number): number => {
  if ((bytes[from] ?? 0) & 0x80) {
    let value = (bytes[from] ?? 0) & 0x7f;
    for (let i = from + 1; i < from + length; i++) value = value * 256 + (bytes[i] ?? 0);
    return value;
  }
  const digits = text(bytes, from, length).trim();
  return /^[0-7]+$/.test(digits) ? parseInt(digits, 8) : Number.NaN;
};

const headerChecksumOk = (bytes: Uint8Array, at: number): boolean => {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (bytes[at + i] ?? 0);
  return sum === tarNumber(bytes, at + 148, 8);
};

const isZeroBlock = (bytes: Uint8Array, at: number): boolean => {
  for (let i = at; i < at + BLOCK; i++) if (bytes[i] !== 0) return false;
  return true;
};

/** True when the bytes start with a tar header: the ustar magic at 257, or an old-style header whose checksum holds. */
export const isTar = (bytes: Uint8Array): boolean =>
  bytes.length >= BLOCK && (text(bytes, 257, 5) === 'ustar' || (bytes[0] !== 0 && !isZeroBlock(bytes, 0) && headerChecksumOk(bytes, 0)));

/** The `path` record of a pax extended header ("<length> path=<value>\n" records). */
const paxPath = (data: Uint8Array): string | undefined => {
  let path: string | undefined;
  for (let at = 0; at < data.length;) {
    const space = data.indexOf(0x20, at);
    const length = space === -1 ? Number.NaN : Number(utf8.decode(data.subarray(at, space)));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = utf8.decode(data.subarray(space + 1, at + length - 1));
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    at += length;
  }
  return path;
};

interface TarListing {
  entries: ArchiveEntry[];
  /** False when the bytes ended before the archive's end (only with `partial`). */
  complete: boolean;
}

const walkTar = (bytes: Uint8Array, limits: ExtractionLimits | undefined, what: string, partial: boolean): TarListing => {
  const entries: ArchiveEntry[] = [];
  let longName: string | undefined;
  let headers = 0;
  for (let at = 0; ;) {
    if (at + BLOCK > bytes.length) {
      if (partial) return { entries, complete: false };
      // An archive that ends without its two zero blocks but after a whole entry is still whole.
      if (at === bytes.length && headers > 0) return { entries, complete: true };
      throw new RejectedArticleError(`${what} is truncated: it ends inside an entry's header; upload the whole file again`);
    }
    if (isZeroBlock(bytes, at)) return { entries, complete: true };
    if (!headerChecksumOk(bytes, at)) {
      throw new RejectedArticleError(`${what} is corrupt: entry ${headers + 1}'s header checksum does not match; upload an intact copy`);
    }
    headers += 1;
    if (headers > MAX_ENTRIES * 2) throw tooManyEntries(what); // long-name headers count too
    if (limits && headers % 256 === 0) checkDeadline(limits, `listing ${what}`);

    const size = tarNumber(bytes, at + 124, 12);
    const type = String.fromCharCode(bytes[at + 156] ?? 0);
    const dataStart = at + BLOCK;
    const dataEnd = dataStart + size;
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RejectedArticleError(`${what} is corrupt: entry ${headers} has no valid size; upload an intact copy`);
    }
    if (dataEnd > bytes.length && !partial) {
      throw new RejectedArticleError(`${what} is truncated: entry ${headers} runs past the end of the file; upload the whole file again`);
    }
    const data = bytes.subarray(dataStart, Math.min(dataEnd, bytes.length));
    const prefix = text(bytes, at + 257, 5) === 'ustar' ? text(bytes, at + 345, 155) : '';
    const stored = prefix ? `${prefix}/${text(bytes, at, 100)}` : text(bytes, at, 100);

    if (type === 'L') longName = text(data, 0, data.length);
    else if (type === 'x') longName = paxPath(data) ?? longName;
    else if (type === '0' || type === '\0' || type === '7') {
      entries.push({ name: longName ?? stored, bytes: data });
      if (entries.length > MAX_ENTRIES) throw tooManyEntries(what);
      longName = undefined;
    } else if (type !== 'g') longName = undefined; // directories, links, devices: nothing to read
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
};

const tooManyEntries = (what: string): RejectedArticleError =>
  new RejectedArticleError(
    `${what} holds more than ${MAX_ENTRIES} entries, more than a document needs: upload only the document's sources`,
  );

/** The regular files of a tar archive (views into `bytes`, which bound them), in archive order. */
export const untar = (bytes: Uint8Array, limits: ExtractionLimits, what = 'the tar archive'): ArchiveEntry[] =>
  walkTar(bytes, limits, what, false).entries;

/** The file names in the first bytes of a tar archive, and whether the archive ended within them. */
export const tarNamesInHead = (head: Uint8Array): { names: string[]; complete: boolean } => {
  try {
    const listing = walkTar(head, undefined, 'the tar archive', true);
    return { names: listing.entries.map((entry) => entry.name), complete: listing.complete };
  } catch {
    return { names: [], complete: false };
  }
};

// ----------------------------------------------------------------------------------------------- zip

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;

export const isZip = (bytes: Uint8Array): boolean =>
  bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));

interface ZipEntryInfo {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const view = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const cp437 = new TextDecoder('latin1');

class ZipReader {
  private readonly data: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.data = view(bytes);
  }

  private u16 = (at: number): number => this.data.getUint16(at, true);
  private u32 = (at: number): number => this.data.getUint32(at, true);
  private u64 = (at: number): number => {
    const value = this.data.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw this.corrupt('a zip64 size or offset is out of range');
    return Number(value);
  };

  corrupt(detail: string): RejectedArticleError {
    return new RejectedArticleError(`${this.what} is corrupt (${detail}): upload an intact copy`);
  }

  private fits(at: number, length: number): boolean {
    return at >= 0 && at + length <= this.bytes.length;
  }

  /** The central directory's entries (APPNOTE 4.3.12), zip64 included (4.3.14, 4.5.3). */
  directory(): ZipEntryInfo[] {
    const end = this.findEnd();
    if (end === undefined) {
      throw new RejectedArticleError(
        `${this.what} is truncated or not a complete zip archive (its central directory is missing): upload the whole file again`,
      );
    }
    let count = this.u16(end + 10);
    let size = this.u32(end + 12);
    let offset = this.u32(end + 16);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      const locator = end - 20;
      if (!this.fits(locator, 20) || this.u32(locator) !== ZIP64_LOCATOR) throw this.corrupt('zip64 locator missing');
      const record = this.u64(locator + 8);
      if (!this.fits(record, 56) || this.u32(record) !== ZIP64_END) throw this.corrupt('zip64 end record missing');
      count = this.u64(record + 32);
      size = this.u64(record + 40);
      offset = this.u64(record + 48);
    }
    if (count > MAX_ENTRIES) throw tooManyEntries(this.what);
    if (!this.fits(offset, size)) {
      throw new RejectedArticleError(
        `${this.what} is truncated (its central directory lies past the end of the file): upload the whole file again`,
      );
    }
    const entries: ZipEntryInfo[] = [];
    for (let at = offset, i = 0; i < count; i++) {
      if (!this.fits(at, 46) || this.u32(at) !== CENTRAL_HEADER) throw this.corrupt(`central directory entry ${i + 1} is damaged`);
      const flags = this.u16(at + 8);
      const nameLength = this.u16(at + 28);
      const extraLength = this.u16(at + 30);
      const commentLength = this.u16(at + 32);
      if (!this.fits(at + 46, nameLength + extraLength)) throw this.corrupt(`central directory entry ${i + 1} is damaged`);
      const nameBytes = this.bytes.subarray(at + 46, at + 46 + nameLength);
      const entry: ZipEntryInfo = {
        name: flags & 0x800 ? utf8.decode(nameBytes) : cp437.decode(nameBytes),
        flags,
        method: this.u16(at + 10),
        crc: this.u32(at + 16),
        compressedSize: this.u32(at + 20),
        size: this.u32(at + 24),
        localOffset: this.u32(at + 42),
      };
      this.applyZip64(entry, at + 46 + nameLength, extraLength);
      entries.push(entry);
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  }

  /** The end-of-central-directory record: the last signature in the final 64 KiB + 22 bytes. */
  private findEnd(): number | undefined {
    const last = this.bytes.length - 22;
    for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
      if (this.u32(at) === END_OF_DIRECTORY) return at;
    }
    return undefined;
  }

  /** Sizes and offsets of 0xFFFFFFFF are in the zip64 extended information field (APPNOTE 4.5.3), in this order. */
  private applyZip64(entry: ZipEntryInfo, extra: number, length: number): void {
    if (entry.size !== 0xffffffff && entry.compressedSize !== 0xffffffff && entry.localOffset !== 0xffffffff) return;
    for (let at = extra; at + 4 <= extra + length;) {
      const id = this.u16(at);
      const size = this.u16(at + 2);
      if (id === 0x0001) {
        let field = at + 4;
        const next = (): number => {
          if (field + 8 > at + 4 + size) throw this.corrupt(`entry ${entry.name}'s zip64 field is short`);
          const value = this.u64(field);
          field += 8;
          return value;
        };
        if (entry.size === 0xffffffff) entry.size = next();
        if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
        if (entry.localOffset === 0xffffffff) entry.localOffset = next();
        return;
      }
      at += 4 + size;
    }
    throw this.corrupt(`entry ${entry.name} has no zip64 field for its sizes`);
  }

  /** One entry's bytes, inflated within its declared size and checked against its CRC-32. */
  read(entry: ZipEntryInfo): Uint8Array {
    if (entry.flags & 0x1) {
      throw new RejectedArticleError(
        `${this.what} is password-protected (entry ${entry.name} is encrypted): remove the password and upload it again`,
      );
    }
    const at = entry.localOffset;
    if (!this.fits(at, 30) || this.u32(at) !== LOCAL_HEADER) throw this.corrupt(`entry ${entry.name}'s local header is missing`);
    const start = at + 30 + this.u16(at + 26) + this.u16(at + 28);
    if (!this.fits(start, entry.compressedSize)) {
      throw new RejectedArticleError(
        `${this.what} is truncated (entry ${entry.name} runs past the end of the file): upload the whole file again`,
      );
    }
    const packed = this.bytes.subarray(start, start + entry.compressedSize);
    let out: Uint8Array;
    if (entry.method === 0) out = packed;
    else if (entry.method === 8) {
      try {
        // A directory that declares less than the entry really inflates to stops here, one zlib chunk past it.
        out = inflateRawSync(packed, { maxOutputLength: Math.max(1, entry.size) });
      } catch (error) {
        if (zlibCode(error) === 'ERR_BUFFER_TOO_LARGE') {
          throw new RejectedArticleError(
            `${this.what} is corrupt or a zip bomb: entry ${entry.name} inflates to more than the ${entry.size} bytes it declares`,
          );
        }
        throw this.corrupt(`entry ${entry.name}: ${messageOf(error)}`);
      }
    } else {
      throw new RejectedArticleError(
        `${this.what} uses compression method ${entry.method} for ${entry.name}; only stored and deflated entries are read: save it again with the usual zip compression`,
      );
    }
    if (out.length !== entry.size) throw this.corrupt(`entry ${entry.name} is ${out.length} bytes, not the ${entry.size} it declares`);
    if (crc32(out) !== entry.crc) throw this.corrupt(`entry ${entry.name} fails its CRC-32 check`);
    return out;
  }

  /** Entry names from the local headers, in order, as far as they can be followed (a zip whose end is missing). */
  localNames(): string[] {
    const names: string[] = [];
    for (let at = 0; this.fits(at, 30) && this.u32(at) === LOCAL_HEADER && names.length < MAX_ENTRIES;) {
      const nameLength = this.u16(at + 26);
      const extraLength = this.u16(at + 28);
      if (!this.fits(at + 30, nameLength)) break;
      names.push(utf8.decode(this.bytes.subarray(at + 30, at + 30 + nameLength)));
      const compressedSize = this.u32(at + 18);
      if (this.u16(at + 6) & 0x8 && compressedSize === 0) break; // sizes follow the data (a data descriptor): cannot skip it
      at += 30 + nameLength + extraLength + compressedSize;
    }
    return names;
  }
}

/**
 * The entries of a zip archive that `wanted` names, inflated. Declared sizes are checked against
 * the budget before anything inflates, and each entry against its own declared size as it does.
 */
export const unzip = (
  bytes: Uint8Array,
  budget: ExpansionBudget,
  wanted: (name: string) => boolean,
  what = 'the zip archive',
): ArchiveEntry[] => {
  const reader = new ZipReader(bytes, what);
  const chosen = reader.directory().filter((entry) => !entry.name.endsWith('/') && wanted(entry.name));
  const declared = chosen.reduce((sum, entry) => sum + entry.size, 0);
  if (declared > budget.remaining) throw expandsTooFar(what, budget.limits.maxExpandedBytes);
  for (const entry of chosen) checkRatio(entry.size, entry.compressedSize, `${what} (entry ${entry.name})`);
  return chosen.map((entry) => {
    checkDeadline(budget.limits, `unpacking ${what}`);
    const out = reader.read(entry);
    budget.take(out.length, what);
    return { name: entry.name, bytes: out };
  });
};

/** Every entry name of a zip archive: from its central directory, or, when that is missing (truncated), its local headers. */
export const zipEntryNames = (bytes: Uint8Array): string[] => {
  const reader = new ZipReader(bytes, 'the zip archive');
  try {
    return reader.directory().map((entry) => entry.name);
  } catch {
    return reader.localNames();
  }
};

/** The bytes of a stored (uncompressed) entry read from its local header, for a look at a short first entry such as an ODF/EPUB `mimetype`. */
export const storedEntryText = (bytes: Uint8Array, name: string): string | undefined => {
  const data = view(bytes);
  if (bytes.length < 30 || data.getUint32(0, true) !== LOCAL_HEADER || data.getUint16(8, true) !== 0) return undefined;
  const nameLength = data.getUint16(26, true);
  if (utf8.decode(bytes.subarray(30, 30 + nameLength)) !== name) return undefined;
  const start = 30 + nameLength + data.getUint16(28, true);
  return utf8.decode(bytes.subarray(start, start + Math.min(data.getUint32(18, true), 200)));
};
