/**
 * Record versions stored as the pipeline stores them (the core's check of a CTP record, then the
 * message store's finish), for the tests of the served FHIR resources and the facade.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { messageStore } from '../../src/store/messages.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { ROOT, testRuntime } from './runtime.js';

export type RecordJson = Record<string, unknown> & { source: { system: string; recordId: string; extractedAt: string } };

/** One of examples/ctp, as JSON to vary. */
export function ctpExample(name: string): RecordJson {
  return JSON.parse(readFileSync(join(ROOT, 'examples', 'ctp', `${name}.json`), 'utf8')) as RecordJson;
}

/** The record and Bundle the core makes of it; throws when the core refuses it. */
export function converted(json: RecordJson): { record: CtpRecord; bundle: Bundle } {
  const result = testRuntime().check([{ origin: 'test', source: 'ctp', text: JSON.stringify(json) }], { compliance: false }).results[0];
  if (result?.record === undefined || result.bundle === undefined) throw new Error(`the core made no Bundle: ${JSON.stringify(result?.issues.map((i) => i.diagnostics))}`);
  return { record: result.record, bundle: result.bundle };
}

/** Stores the record as a processed message from its source, as processMessage does; `extra` entries are added to its Bundle. */
export async function storeRecord(db: SqlClient, json: RecordJson, extra: readonly BundleEntry[] = []): Promise<void> {
  const { record, bundle: made } = converted(json);
  const bundle = { ...made, entry: [...(made.entry ?? []), ...extra] };
  const inbox = messageStore(db);
  const { id } = await inbox.accept({ source: json.source.system, format: 'ctp', payload: new TextEncoder().encode(JSON.stringify(json)), receivedAt: new Date() });
  await inbox.finish(id, { stage: 'processed', records: [{ record, bundle }], at: new Date(), detail: { records: 1 } });
}

/** A copy with another extraction time (and so another message). */
export const extractedAt = (json: RecordJson, at: string): RecordJson => ({ ...structuredClone(json), source: { ...json.source, extractedAt: at } });
