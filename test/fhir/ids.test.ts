import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deterministicUuid, PONT_NAMESPACE } from '../../src/fhir/ids.js';

/** RFC 9562 version 5, written out step by step with a Hash object. */
function referenceUuid(name: string): string {
  const digest = createHash('sha1')
    .update(Buffer.from(PONT_NAMESPACE.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

describe('deterministicUuid', () => {
  it('is the version 5 UUID of the name in pont’s namespace', () => {
    const generated = Array.from({ length: 200 }, (_, i) => `wpas|r-${i}|Goal|goal-${i * 7}`);
    for (const name of ['', 'wpas|r-1|Patient|patient', 'Patient|nhs|9434765919', 'Ysbyty Gwynedd|Goal|ŵŷ-✓', 'x'.repeat(300), ...generated]) {
      expect(deterministicUuid(name), name).toBe(referenceUuid(name));
    }
  });

  it('keeps ids already issued', () => {
    expect(deterministicUuid('wpas|r-1|Patient|patient')).toBe('3c5505c7-897f-541b-bf01-d58e11df1a05');
  });
});
