/** Edits to a built tar's headers (POSIX ustar: typeflag at 156, checksum at 148), for archives nanotar does not write. */

const BLOCK = 512;

/** The offsets of each entry's header, following sizes from the start. */
const headerOffsets = (tar: Uint8Array): number[] => {
  const offsets: number[] = [];
  for (let at = 0; at + BLOCK <= tar.length && tar[at] !== 0;) {
    offsets.push(at);
    const size = parseInt(new TextDecoder().decode(tar.subarray(at + 124, at + 135)), 8);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return offsets;
};

const writeChecksum = (tar: Uint8Array, at: number): void => {
  tar.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += tar[at + i] ?? 0;
  tar.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), at + 148);
};

/** A copy of `tar` whose `index`th entry has another type ('2' symbolic link, 'L' GNU long name, 'x' pax header). */
export const withEntryType = (tar: Uint8Array, index: number, type: string): Uint8Array => {
  const out = tar.slice();
  const at = headerOffsets(out)[index];
  if (at === undefined) throw new Error(`withEntryType: no entry ${index}`);
  out[at + 156] = type.charCodeAt(0);
  writeChecksum(out, at);
  return out;
};
