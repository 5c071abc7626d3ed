/**
 * Deterministic resource ids: a name-based UUID (RFC 9562 version 5, SHA-1) over the
 * resource's identity key, so the same source item always gets the same id.
 */
import { createHash } from 'node:crypto';

/** pont's own UUID namespace: fixed once; changing it would change every generated id. */
export const PONT_NAMESPACE = '2f1b6b0e-4c1f-5a57-9d6a-3b0f0c7d9e21';

const namespaceBytes = Buffer.from(PONT_NAMESPACE.replaceAll('-', ''), 'hex');

export function deterministicUuid(name: string): string {
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
