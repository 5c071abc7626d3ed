/** Strict UTF-8, checked against the platform's own fatal TextDecoder. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputError } from '../../src/errors/errors.js';
import { decodeUtf8, decodeUtf8Chunks, firstInvalidUtf8 } from '../../src/input/utf8.js';

const platformDecodes = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** Bytes that are mostly text, with now and then a byte that may break the encoding. */
const mostlyText = fc.tuple(fc.string({ unit: 'binary' }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff })))).map(([text, breaks]) => {
  const bytes = new TextEncoder().encode(text);
  for (const [at, byte] of breaks) if (bytes.length > 0) bytes[at % bytes.length] = byte;
  return bytes;
});

async function collect(chunks: Uint8Array[]): Promise<string> {
  async function* source() {
    yield* chunks;
  }
  let text = '';
  for await (const piece of decodeUtf8Chunks(source(), 'x')) text += piece;
  return text;
}

function cut(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, c));
    from = c;
  }
  return chunks;
}

describe('strict UTF-8', () => {
  it('finds a bad byte exactly when the platform decoder refuses the input, and everything before it decodes', () => {
    fc.assert(
      fc.property(fc.oneof(mostlyText, fc.uint8Array()), (bytes) => {
        const bad = firstInvalidUtf8(bytes);
        expect(bad === undefined).toBe(platformDecodes(bytes));
        if (bad !== undefined) {
          expect(platformDecodes(bytes.subarray(0, bad))).toBe(true);
          expect(platformDecodes(bytes.subarray(0, bad + 1))).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes an input in chunks as it decodes it whole, and refuses it at the same byte offset, wherever the chunks are cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mostlyText, fc.uint8Array()), fc.array(fc.nat(), { maxLength: 6 }), async (bytes, cuts) => {
        let whole: string | InputError;
        try {
          whole = decodeUtf8(bytes, 'x');
        } catch (err) {
          whole = err as InputError;
        }
        let chunked: string | InputError;
        try {
          chunked = await collect(cut(bytes, cuts));
        } catch (err) {
          chunked = err as InputError;
        }
        if (typeof whole === 'string') expect(chunked).toBe(whole);
        else expect((chunked as InputError).message).toBe(whole.message);
      }),
      { numRuns: 500 },
    );
  });

  it('names the byte offset, and leaves out a byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
    expect(() => decodeUtf8(bytes, 'x.json')).toThrow('x.json: not valid UTF-8 (byte offset 5)');
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 'x.json')).toBe('{}');
  });
});
