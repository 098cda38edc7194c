/**
 * Edits to a built zip's entry records, for archives that lie: a declared size that is not the
 * real one, the encryption flag, an unsupported compression method (the fields of PKWARE's
 * APPNOTE 4.3.7 local file header and 4.3.12 central directory header).
 */

export interface EntryPatch {
  /** The uncompressed size to declare. */
  size?: number;
  /** General-purpose flag bits to set (bit 0: encrypted). */
  flags?: number;
  method?: number;
}

/** A copy of `zip` with the named entry's local and central headers patched. */
export const patchZipEntry = (zip: Uint8Array, name: string, patch: EntryPatch): Uint8Array => {
  const out = zip.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const nameBytes = new TextEncoder().encode(name);
  const nameAt = (at: number): boolean => nameBytes.every((byte, i) => out[at + i] === byte);
  let patched = 0;
  for (let at = 0; at + 46 <= out.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50 && view.getUint16(at + 26, true) === nameBytes.length && nameAt(at + 30)) {
      if (patch.size !== undefined) view.setUint32(at + 22, patch.size, true);
      if (patch.flags !== undefined) view.setUint16(at + 6, view.getUint16(at + 6, true) | patch.flags, true);
      if (patch.method !== undefined) view.setUint16(at + 8, patch.method, true);
      patched += 1;
    } else if (signature === 0x02014b50 && view.getUint16(at + 28, true) === nameBytes.length && nameAt(at + 46)) {
      if (patch.size !== undefined) view.setUint32(at + 24, patch.size, true);
      if (patch.flags !== undefined) view.setUint16(at + 8, view.getUint16(at + 8, true) | patch.flags, true);
      if (patch.method !== undefined) view.setUint16(at + 10, patch.method, true);
      patched += 1;
    }
  }
  if (patched !== 2) throw new Error(`patchZipEntry: ${name} found ${patched} times, not twice`);
  return out;
};
