/**
 * What a target of kind http is sent: the canonical record written in the target's own format by
 * the reverse mapping its configuration names (mappings/ctp-to-<format>.yaml), then read back by
 * pont's own parser for that format, so that nothing goes that the format's schema refuses, and
 * through the format's mapping to the canonical record, so that what it leaves out is known.
 */
import type { TargetConfig } from '../../config/sync-config.schema.js';
import { ConfigError, DeliveryError, InputError, MappingError } from '../../errors/errors.js';
import type { MappingRegistry } from '../../mapping/loader.js';
import { fieldsLeftOut } from '../../record/fields-left-out.js';
import type { CtpRecord } from '../../record/record.schema.js';
import { isSourceName, parseSource, SOURCE_NAMES } from '../../sources/index.js';

export type HttpTargetConfig = Extract<TargetConfig, { kind: 'http' }>;

export interface DocumentWriter {
  /** The format written (a source name, e.g. carepath-json). */
  readonly format: string;
  /**
   * The record as the target's JSON document, with what of the record it does not hold.
   * @throws DeliveryError `DELIVERY_UNSUPPORTED` (not retryable) when the format cannot hold the
   *   record: a field it requires is absent, or a code has no entry in its code maps. The message
   *   names the mapping rule or the field, never a value.
   */
  write(record: CtpRecord): WrittenDocument;
}

export interface WrittenDocument {
  readonly body: string;
  /**
   * The record's fields the document does not hold, found by reading it back through the
   * format's own mapping to the canonical record (src/record/fields-left-out.ts): names only.
   */
  readonly leftOut: readonly string[];
}

/**
 * The writer for one target, checked at start: the mapping must exist, read the canonical record
 * and write a format pont can read back.
 * @throws ConfigError naming the target and the mapping.
 */
export function documentWriter(config: HttpTargetConfig, mappings: MappingRegistry): DocumentWriter {
  const mapping = mappings.get(config.mapping);
  const problem = `target ${config.id}: mapping "${config.mapping}"`;
  if (mapping === undefined) {
    const candidates = mappings
      .all()
      .filter((m) => m.input === 'ctp' && isSourceName(m.output))
      .map((m) => m.id);
    throw new ConfigError(`${problem} does not exist in mappings/ (mappings that write an EPR's format: ${candidates.join(', ') || 'none'})`);
  }
  if (mapping.input !== 'ctp') throw new ConfigError(`${problem} reads ${mapping.input}, not the canonical record (ctp)`);
  const format = mapping.output;
  if (!isSourceName(format)) {
    throw new ConfigError(`${problem} writes ${format}, which pont cannot read back to check what it sends (it reads ${SOURCE_NAMES.join(', ')})`);
  }
  const reader = mappings.find(format, 'ctp');
  if (reader === undefined) throw new ConfigError(`${problem} writes ${format}, and no mapping in mappings/ reads ${format} back to tell what it leaves out`);
  return {
    format,
    write(record) {
      try {
        const body = JSON.stringify(mapping.toDocument(record).document);
        const [written] = parseSource(format, body, `the output of ${mapping.id}`);
        // Which mappings made the record is pont's own note of its provenance, added on reading, not the person's data.
        const leftOut = fieldsLeftOut(record, reader.toDocument(written).document).filter((field) => field !== 'source.mappings');
        return { body, leftOut };
      } catch (err) {
        if (!(err instanceof MappingError || err instanceof InputError)) throw err;
        throw new DeliveryError('DELIVERY_UNSUPPORTED', `target ${config.id}: the record cannot be written as ${format}: ${err.message}`, false, undefined, {
          cause: err,
          issues: err.issues,
        });
      }
    },
  };
}
