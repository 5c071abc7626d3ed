/**
 * Many served resources written straight into the store's tables (as resource-writer.ts keeps
 * them, without the core), for the export's memory test and benchmark: synthetic Communications
 * of about 1 KB each (or a multiple), spread over 1,000 people at ten GP practices.
 */
import type { SqlClient } from '../../src/store/sql-client.js';

export const SYNTHETIC_TYPE = 'Communication';

export interface SyntheticOptions {
  /** Resources inserted per statement. @defaultValue 50,000 */
  readonly chunk?: number;
  /** Each resource's size in units of about 1 KB. @defaultValue 1 */
  readonly kilobytes?: number;
}

/** Inserts resources numbered from..to (inclusive) in chunks, each with its one version. */
export async function insertSyntheticResources(db: SqlClient, count: number, options: SyntheticOptions = {}): Promise<void> {
  const chunk = options.chunk ?? 50_000;
  const repeats = 28 * (options.kilobytes ?? 1);
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into pont_fhir_resource (resource_type, id, version_id, last_updated, deleted, content_hash, resource, person_key, patient_id, gp_practice, organizations)
         select $3, 'syn-' || lpad(g::text, 9, '0'), 1, clock_timestamp() - interval '1 day', false, md5(g::text),
                jsonb_build_object(
                  'resourceType', $3::text, 'id', 'syn-' || lpad(g::text, 9, '0'), 'status', 'completed',
                  'subject', jsonb_build_object('reference', 'Patient/syn-person-' || (g % 1000)),
                  'sent', '2025-01-01T09:00:00Z',
                  'category', jsonb_build_array(jsonb_build_object('text', 'synthetic')),
                  'payload', jsonb_build_array(jsonb_build_object('contentString', repeat('Synthetic text for a benchmark. ', $4::int)))),
                'syn:' || (g % 1000), 'syn-person-' || (g % 1000), 'W9900' || (g % 10), array['7A' || (g % 7 + 1)]
           from generate_series($1::int, $2::int) g`,
        [from, to, SYNTHETIC_TYPE, repeats],
      );
      await tx.query(
        `insert into pont_fhir_resource_version (resource_type, id, version_id, last_updated, deleted, resource)
         select resource_type, id, version_id, last_updated, deleted, resource from pont_fhir_resource
          where resource_type = $3 and id between 'syn-' || lpad($1::text, 9, '0') and 'syn-' || lpad($2::text, 9, '0')`,
        [from, to, SYNTHETIC_TYPE],
      );
    });
  }
}

/** The lines in a chunk of NDJSON (its newlines), counted natively. */
export function countNewlines(chunk: string | Uint8Array): number {
  let n = 0;
  if (typeof chunk === 'string') {
    for (let at = chunk.indexOf('\n'); at >= 0; at = chunk.indexOf('\n', at + 1)) n++;
    return n;
  }
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) n++;
  return n;
}
