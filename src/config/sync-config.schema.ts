/**
 * The sync service's configuration file (PONT_CONFIG, YAML): where records go (targets) and where
 * they are pulled from (sources). Secrets are never written here: a target names the environment
 * variable that holds its token or client secret.
 */
import { z } from 'zod';
import { odsCodeSchema } from '../record/record.schema.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lower-case letters, digits and "-" (at most 63), starting with a letter or digit' });
const httpsUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'must name an environment variable (upper-case letters, digits, "_")' });
/** A duration as people write it: 30s, 5m, 1h. */
const duration = z.string().regex(/^\d+(s|m|h)$/, { error: 'must be a duration such as 30s, 5m or 1h' });

const auth = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('bearer'), tokenEnv: envName }),
  z.strictObject({
    type: z.literal('oauth2-client-credentials'),
    tokenUrl: httpsUrl,
    clientId: z.string().min(1),
    clientSecretEnv: envName,
    scope: z.string().min(1).optional(),
  }),
]);

/** Which people's records go to a target: minimum necessary, decided here, never by default. */
const recipients = z.union([
  z.strictObject({ gpPractice: z.string().regex(/^[A-Z]\d{5}$/, { error: 'must be a GP practice ODS code (a letter and five digits)' }) }),
  z.strictObject({ healthBoard: z.string().regex(/^7A\d$/, { error: 'must be a Welsh health board code (7A1 … 7A7)' }) }),
  z.strictObject({ all: z.literal(true) }),
]);

/**
 * The organisation a target belongs to, by ODS code: a person's sharing decision about it holds
 * delivery. The record's own schema, so that a target and a decision are matched on one format.
 */
const odsCode = odsCodeSchema;

/** How hard pont may press a target; the FHIR target's own CapabilityStatement can only lower these. */
const limits = z
  .strictObject({
    /** Entries per transaction or batch Bundle (no FHIR field states it: set it from the server's documentation). */
    maxEntries: z.int().min(1).max(10_000).optional(),
    /** Deliveries in flight to this target at once. */
    concurrency: z.int().min(1).max(64).default(4),
    /** Deliveries started per second at most. */
    perSecond: z.number().positive().max(10_000).optional(),
    /** One HTTP request's time limit. */
    timeoutMs: z.int().min(100).max(600_000).default(30_000),
    /** Attempts of one delivery in all (the first included) before it becomes a dead letter. */
    attempts: z.int().min(1).max(100).default(8),
  })
  .default({ concurrency: 4, timeoutMs: 30_000, attempts: 8 });

/** FHIR resource types pont writes, which a target may be limited to. */
export const DELIVERABLE_TYPES = [
  'Patient',
  'CarePlan',
  'CareTeam',
  'Condition',
  'EpisodeOfCare',
  'Encounter',
  'Goal',
  'Organization',
  'Practitioner',
  'PractitionerRole',
  'RelatedPerson',
  'ServiceRequest',
  'Task',
  'Communication',
  'ClinicalImpression',
  'DetectedIssue',
  'Consent',
  'Provenance',
] as const;

const target = z.discriminatedUnion('kind', [
  z.strictObject({
    id,
    kind: z.literal('fhir'),
    baseUrl: httpsUrl,
    auth,
    mode: z.enum(['transaction', 'batch', 'per-resource']).default('transaction'),
    records: recipients,
    organisation: odsCode.optional(),
    resources: z.array(z.enum(DELIVERABLE_TYPES)).min(1).optional(),
    limits,
  }),
  z.strictObject({
    id,
    kind: z.literal('http'),
    url: httpsUrl,
    auth,
    /** The reverse mapping that writes the target's own format from the canonical record. */
    mapping: z.string().regex(/^[a-z0-9-]+$/, { error: 'must name a mapping (its id)' }),
    records: recipients,
    organisation: odsCode.optional(),
    limits,
  }),
]);

const source = z.strictObject({
  id,
  kind: z.literal('fhir-pull'),
  baseUrl: httpsUrl,
  auth,
  every: duration,
});

export const syncConfigSchema = z.strictObject({
  targets: z.array(target).default([]),
  sources: z.array(source).default([]),
});

export type SyncConfig = z.infer<typeof syncConfigSchema>;
export type TargetConfig = SyncConfig['targets'][number];
export type FhirTargetConfig = Extract<TargetConfig, { kind: 'fhir' }>;
export type SourceConfig = SyncConfig['sources'][number];
