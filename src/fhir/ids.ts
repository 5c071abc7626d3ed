/**
 * Deterministic resource ids: a name-based UUID (RFC 9562 version 5, SHA-1) over the
 * resource's identity key, so the same source item always gets the same id.
 */
import { hash } from 'node:crypto';

/** pont's own UUID namespace: fixed once; changing it would change every generated id. */
export const PONT_NAMESPACE = '2f1b6b0e-4c1f-5a57-9d6a-3b0f0c7d9e21';

const namespaceBytes = Buffer.from(PONT_NAMESPACE.replaceAll('-', ''), 'hex');

export function deterministicUuid(name: string): string {
  // One-shot hashing of namespace + name, straight to hex: a third cheaper than a Hash object per id.
  const data = Buffer.allocUnsafe(namespaceBytes.length + Buffer.byteLength(name, 'utf8'));
  namespaceBytes.copy(data, 0);
  data.write(name, namespaceBytes.length, 'utf8');
  const hex = hash('sha1', data, 'hex');
  // Version 5 in the high nibble of byte 6 (hex digit 12), variant 10 in the top bits of byte 8 (digit 16).
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
