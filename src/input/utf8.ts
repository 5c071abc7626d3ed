/**
 * Strict UTF-8: an input that is not valid UTF-8 is refused with the byte offset of the first
 * bad byte, never silently repaired with U+FFFD (which would change patient data unseen).
 */
import { InputError } from '../errors/errors.js';

/**
 * Offset of the first byte that breaks UTF-8 (an unexpected continuation byte, a truncated or
 * overlong sequence, a surrogate, a code point above U+10FFFF), or undefined when all is valid.
 * With `final` false, a sequence cut off by the end of `bytes` is not an error (more may follow).
 */
export function firstInvalidUtf8(bytes: Uint8Array, final = true): number | undefined {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
    min = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    if (b === 0xed) max = 0x9f;
    else if (b === 0xf4) max = 0x8f;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return final ? i : undefined;
      const c = bytes[i + k]!;
      if (c < min || c > max) return i;
      min = 0x80;
      max = 0xbf;
    }
    i += need + 1;
  }
  return undefined;
}

/** Decodes a whole input, leaving out a leading byte order mark. */
export function decodeUtf8(bytes: Uint8Array, origin: string): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad !== undefined) throw notUtf8(origin, bad);
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
}

/**
 * Decodes an input arriving in chunks, chunk by chunk, leaving out a leading byte order mark.
 * A multi-byte character split between chunks is joined; a bad byte is refused with its offset
 * in the whole input.
 */
export async function* decodeUtf8Chunks(chunks: AsyncIterable<Uint8Array>, origin: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let offset = 0; // bytes before the current chunk
  let carried = new Uint8Array(0); // the start of a character the previous chunk cut off
  for await (const chunk of chunks) {
    const bytes = carried.length === 0 ? chunk : concat(carried, chunk);
    const start = offset - carried.length;
    const bad = firstInvalidUtf8(bytes, false);
    if (bad !== undefined) throw notUtf8(origin, start + bad);
    const cut = incompleteTail(bytes);
    carried = bytes.slice(bytes.length - cut);
    offset += chunk.length;
    const text = decoder.decode(bytes.subarray(0, bytes.length - cut), { stream: true });
    if (text !== '') yield text;
  }
  if (carried.length > 0) throw notUtf8(origin, offset - carried.length);
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/** How many bytes at the end of a valid prefix begin a character that is not complete yet. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function notUtf8(origin: string, offset: number): InputError {
  return new InputError('INPUT_UNREADABLE', `${origin}: not valid UTF-8 (byte offset ${offset})`, [
    { severity: 'error', code: 'structure', diagnostics: `The input is not valid UTF-8: the byte at offset ${offset} (counting from 0) does not fit the encoding.` },
  ]);
}
