/**
 * The sync service's configuration file (PONT_CONFIG, YAML): where records go (targets) and where
 * they are pulled from (sources). Secrets are never written here: a target names the environment
 * variable that holds its token or client secret.
 */
import { z } from 'zod';
import { parseScope } from '../http/security/scopes.js';
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

const gpPractice = z.string().regex(/^[A-Z]\d{5}$/, { error: 'must be a GP practice ODS code (a letter and five digits)' });

/** Which people's records go to a target: minimum necessary, decided here, never by default. */
const recipients = z.union([
  z.strictObject({ gpPractice }),
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
  'RiskAssessment',
  'AdverseEvent',
  'Flag',
  'MedicationStatement',
  'Observation',
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

/** A client's public key (JWK): its private part is never written here. */
const publicJwk = z
  .looseObject({
    kty: z.enum(['RSA', 'EC'], { error: 'must be RSA or EC (keys for RS384 or ES384)' }),
    kid: z.string().min(1),
  })
  .refine((key) => !Object.hasOwn(key, 'd'), { error: 'holds a private key ("d"): give only the public key' });

/** A SMART scope a client may be granted: a system scope (backend services act for no patient or user). */
const systemScope = z.string().check((ctx) => {
  const parsed = parseScope(ctx.value);
  if (!parsed.ok) ctx.issues.push({ code: 'custom', message: parsed.problem, input: ctx.value });
  else if (parsed.scope.context !== 'system')
    ctx.issues.push({ code: 'custom', message: 'must be a system/ scope (a backend service acts for no patient or user)', input: ctx.value });
});

/** The system name a source EPR ingests as: the `{source}` of POST /ingest/{source}. */
const sourceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'must be a source name of letters, digits, ".", "_" or "-" (at most 64)' });

const clientFields = {
  /** The OAuth client_id: the `iss` and `sub` of its assertions. */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, { error: 'must be a client id of letters, digits, ".", "_", ":" or "-" (at most 128)' }),
  /** Its public keys, written here… */
  jwks: z.strictObject({ keys: z.array(publicJwk).min(1) }).optional(),
  /** …or published by the client at this URL. */
  jwksUrl: httpsUrl.optional(),
  /** The most it may be granted; a token request asks for these or fewer. */
  scopes: z.array(systemScope).min(1),
};

export const CLIENT_ROLES = ['source-epr', 'gp-system', 'regulator', 'admin'] as const;
const CLIENT_ROLES_TEXT = CLIENT_ROLES.join(', ');

/** A system allowed to call pont's HTTP API (SMART Backend Services), with its role. */
const client = z
  .discriminatedUnion(
    'role',
    [
      /** A source EPR's organisation, when given, is the health board it serves (ODS code): whose people its Subscriptions reach. */
      z.strictObject({ ...clientFields, role: z.literal('source-epr'), source: sourceName, organisation: odsCode.optional() }),
      z.strictObject({ ...clientFields, role: z.literal('gp-system'), organisation: gpPractice }),
      z.strictObject({ ...clientFields, role: z.literal('regulator') }),
      z.strictObject({ ...clientFields, role: z.literal('admin') }),
    ],
    { error: `must be one of: ${CLIENT_ROLES_TEXT}` },
  )
  .check((ctx) => {
    if ((ctx.value.jwks === undefined) === (ctx.value.jwksUrl === undefined))
      ctx.issues.push({ code: 'custom', message: 'give the public keys either inline (jwks) or as a URL (jwksUrl), one of the two', input: ctx.value, path: ['jwks'] });
  });

/**
 * Who issues the access tokens pont accepts: pont itself (POST /auth/token), or an external
 * authorisation server whose tokens pont verifies with its published keys.
 */
const apiAuth = z.discriminatedUnion('issuer', [
  z
    .strictObject({
      issuer: z.literal('pont'),
      /** pont's own URL as clients reach it: the token endpoint, issuer and audience are under it. */
      publicUrl: httpsUrl.optional(),
      /** A file holding pont's private signing key (a JWK, ES384 or RS384)… */
      signingKeyFile: z.string().min(1).optional(),
      /** …or the environment variable holding it. Neither: a key is made at start (tokens then end with the process). */
      signingKeyEnv: envName.optional(),
      tokenLifetime: duration.default('5m'),
    })
    .check((ctx) => {
      if (ctx.value.signingKeyFile !== undefined && ctx.value.signingKeyEnv !== undefined)
        ctx.issues.push({ code: 'custom', message: 'name the signing key once: a file or an environment variable', input: ctx.value, path: ['signingKeyEnv'] });
    }),
  z.strictObject({
    issuer: z.literal('external'),
    /** The `iss` of its tokens. */
    issuerUrl: httpsUrl,
    jwksUrl: httpsUrl,
    /** The `aud` its tokens carry for pont. */
    audience: z.string().min(1),
    /** Its token endpoint, announced in pont's SMART configuration. */
    tokenUrl: httpsUrl,
  }),
]);

export const syncConfigSchema = z.strictObject({
  targets: z.array(target).default([]),
  sources: z.array(source).default([]),
  /** The systems allowed to call the HTTP API; none (absent): only the open endpoints answer. */
  clients: z.array(client).optional(),
  auth: apiAuth.optional(),
});

export type SyncConfig = z.infer<typeof syncConfigSchema>;
export type TargetConfig = SyncConfig['targets'][number];
export type FhirTargetConfig = Extract<TargetConfig, { kind: 'fhir' }>;
export type SourceConfig = SyncConfig['sources'][number];
export type ClientConfig = NonNullable<SyncConfig['clients']>[number];
export type ClientRole = ClientConfig['role'];
export type ApiAuthConfig = NonNullable<SyncConfig['auth']>;
