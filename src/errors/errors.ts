/**
 * Typed errors. Each has a stable `code`, the pipeline `stage` it belongs to, and FHIR
 * OperationOutcome issues that say what is wrong and where. Messages never carry patient data:
 * they name files, rules, paths and codes, not values.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';

export type Stage = 'startup' | 'input' | 'mapping' | 'validation' | 'compliance' | 'storage' | 'queue' | 'delivery';

/** Marks pont's errors across copies of this module (a test runner's second module graph, a bundle). */
const PONT_ERROR = Symbol.for('pont.PontError');

export abstract class PontError extends Error {
  /**
   * `x instanceof PontError` also holds for an error made by another copy of this module, which a
   * prototype check would deny: a final error must never pass for an unknown (retryable, internal)
   * one because of how it was loaded. Subclasses keep the ordinary check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof asks about, a subclass inheriting this method
    if (this !== PontError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PONT_ERROR] === true;
  }

  readonly [PONT_ERROR] = true;
  abstract readonly code: string;
  abstract readonly stage: Stage;
  readonly retryable: boolean = false;
  readonly issues: OperationOutcomeIssue[];

  constructor(message: string, issues: OperationOutcomeIssue[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.issues = issues.length > 0 ? issues : [{ severity: 'error', code: 'processing', diagnostics: message }];
  }
}

/** The command line or configuration was wrong (exit code 2). */
export class UsageError extends PontError {
  readonly code = 'USAGE';
  readonly stage = 'startup';
}

/** A mapping, profile or other data file shipped with pont is malformed. */
export class ConfigError extends PontError {
  readonly code = 'CONFIG_INVALID';
  readonly stage = 'startup';
}

/**
 * A rule pack was asked for by an id that no loaded pack has. A startup fault (front ends treat
 * it as wrong usage: the CLI exits with 2), raised by the core rather than by a front end.
 */
export class UnknownPackError extends PontError {
  readonly code = 'UNKNOWN_PACK';
  readonly stage = 'startup';
  constructor(
    readonly pack: string,
    readonly known: readonly string[],
  ) {
    super(`unknown rule pack "${pack}"; known packs: ${known.join(', ')}`);
  }
}

/** The input could not be read or does not match its declared format. */
export class InputError extends PontError {
  constructor(
    readonly code: 'INPUT_UNREADABLE' | 'INPUT_TOO_LARGE' | 'INPUT_NOT_JSON' | 'INPUT_BAD_CSV' | 'INPUT_INVALID' | 'INPUT_UNKNOWN_SOURCE',
    message: string,
    issues: OperationOutcomeIssue[] = [],
  ) {
    super(message, issues);
  }
  readonly stage = 'input';
}

/** Where in a mapping something failed: the file, the rule and the input element being mapped. */
export interface MappingLocation {
  readonly mappingFile: string;
  readonly rule: string;
  readonly inputPath: string;
  /**
   * What was in scope when it failed, most specific first (the item being mapped, then the
   * variables bound last to first), and the value that failed: never put in a message, only used
   * to find the place in the input (a CSV line and column) that `inputPath` cannot name.
   */
  readonly inScope?: readonly unknown[];
  readonly value?: unknown;
}

export class MappingError extends PontError {
  readonly code: 'MAPPING_FAILED' | 'MAPPING_UNKNOWN_CODE' | 'MAPPING_BAD_REFERENCE' | 'MAPPING_EXPRESSION';
  readonly stage = 'mapping';
  readonly location: MappingLocation;

  constructor(
    code: MappingError['code'],
    readonly reason: string,
    location: MappingLocation,
    options?: { cause?: unknown },
  ) {
    const message = `${location.mappingFile} rule "${location.rule}" at input ${location.inputPath}: ${reason}`;
    super(message, [{ severity: 'error', code: 'processing', diagnostics: message, expression: [location.inputPath] }], options);
    this.code = code;
    this.location = location;
  }
}

/** One or more emitted resources do not conform to their profile. */
export class ProfileValidationError extends PontError {
  readonly code = 'PROFILE_INVALID';
  readonly stage = 'validation';
}

/**
 * pont itself went wrong: a rule, a compiled expression or another part of the engine threw on
 * input it accepted. Never turned into a finding or an input issue, so a bug cannot pass for a
 * plausible result; front ends report it as an internal fault (the CLI exits with 3). Not
 * retryable: the same input fails the same way until pont is fixed.
 */
export class EngineError extends PontError {
  readonly stage: Stage;
  constructor(
    readonly code: 'RULE_FAILED' | 'EXPRESSION_FAILED' | 'ENGINE_FAULT',
    stage: Stage,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, [], options);
    this.stage = stage;
    this.issues.splice(0, this.issues.length, { severity: 'fatal', code: 'exception', diagnostics: message });
  }
}

/** SQLSTATE classes after which the same statement may succeed: connection, transaction rollback, operator intervention, insufficient resources. */
const RETRYABLE_SQLSTATE = /^(08|40|53|57)/;

/**
 * The store (PostgreSQL or PGlite) could not do what was asked. The message names the database
 * (host and name, never credentials) and the SQLSTATE, never a value: the driver's own message,
 * which may quote data, is kept only as `cause`.
 */
export class StoreError extends PontError {
  readonly stage = 'storage';
  constructor(
    readonly code: 'STORE_UNAVAILABLE' | 'STORE_FAILED' | 'STORE_MIGRATION_FAILED',
    message: string,
    override readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, [], options);
    this.issues.splice(0, this.issues.length, { severity: 'fatal', code: retryable ? 'transient' : 'exception', diagnostics: message });
  }

  static unavailable(database: string, cause: unknown): StoreError {
    return new StoreError('STORE_UNAVAILABLE', `${database} does not answer (${errorCode(cause)})`, true, { cause });
  }

  static fromDriver(database: string, cause: unknown): StoreError {
    const sqlState = typeof (cause as { code?: unknown })?.code === 'string' ? (cause as { code: string }).code : undefined;
    if (sqlState === undefined || !/^[0-9A-Z]{5}$/.test(sqlState)) return StoreError.unavailable(database, cause);
    return new StoreError('STORE_FAILED', `${database} refused a statement (SQLSTATE ${sqlState})`, RETRYABLE_SQLSTATE.test(sqlState), { cause });
  }
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code;
  return err instanceof Error ? err.name : 'unknown error';
}

/** The queue (Redis, through BullMQ) could not be reached or refused a command. */
export class QueueError extends PontError {
  readonly stage = 'queue';
  constructor(
    readonly code: 'QUEUE_UNAVAILABLE',
    message: string,
    override readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, [], options);
    this.issues.splice(0, this.issues.length, { severity: 'fatal', code: 'transient', diagnostics: message });
  }
}

/**
 * A target did not take a delivery. `retryable` says whether the same delivery may succeed later
 * (5xx, 429, network, an open circuit); `retryAfterMs` is the target's own word (Retry-After) or
 * the circuit's. The message names the target and the HTTP status or network code, never content.
 */
export class DeliveryError extends PontError {
  readonly stage = 'delivery';
  constructor(
    readonly code: 'DELIVERY_REFUSED' | 'DELIVERY_UNAVAILABLE' | 'DELIVERY_CONFLICT' | 'DELIVERY_CIRCUIT_OPEN' | 'DELIVERY_UNSUPPORTED',
    message: string,
    override readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown; issues?: OperationOutcomeIssue[] },
  ) {
    super(message, options?.issues ?? [], options);
    if (!options?.issues?.length) this.issues.splice(0, this.issues.length, { severity: 'error', code: retryable ? 'transient' : 'processing', diagnostics: message });
  }
}

/**
 * A FHIR source pont pulls from did not answer (retryable) or refused a search (not). Names the
 * source and the status, never content; `retryAfterMs` is the wait the source asked for (Retry-After).
 */
export class PullError extends PontError {
  readonly stage = 'input';
  readonly retryAfterMs?: number;
  constructor(
    readonly code: 'PULL_UNAVAILABLE' | 'PULL_REFUSED',
    message: string,
    override readonly retryable: boolean,
    options?: { cause?: unknown; retryAfterMs?: number | undefined },
  ) {
    super(message, [], options);
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    this.issues.splice(0, this.issues.length, { severity: 'error', code: retryable ? 'transient' : 'processing', diagnostics: message });
  }
}

/**
 * A request to one of pont's services (an HTTP API call) asked for something wrong or absent:
 * a bad parameter, an unknown id, an operation pont does not offer, a body in a media type that
 * does not fit. Front ends answer 400, 403, 404, 415 or 501 with the issue; the message names the parameter, never a value that may be patient data.
 */
export class RequestError extends PontError {
  readonly stage = 'input';
  /** `issues`: each problem when there are several (a resource's elements), else one made of the message. */
  constructor(
    readonly code: 'REQUEST_INVALID' | 'REQUEST_NOT_FOUND' | 'REQUEST_NOT_SUPPORTED' | 'REQUEST_FORBIDDEN' | 'REQUEST_MEDIA_TYPE',
    message: string,
    issues: OperationOutcomeIssue[] = [],
  ) {
    super(message, issues.length > 0 ? issues : [{ severity: 'error', code: REQUEST_ISSUE_CODES[code], diagnostics: message }]);
  }
}

/**
 * A published key set pont needs to check a signature (a client's JWKS, or an external token
 * issuer's) could not be fetched or read: nothing was decided about the caller, who may try again.
 */
export class KeySetError extends PontError {
  readonly code = 'KEY_SET_UNAVAILABLE';
  readonly stage = 'input';
  override readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, [], options);
    this.issues.splice(0, this.issues.length, { severity: 'error', code: 'transient', diagnostics: message });
  }
}

/**
 * A FHIR search or read the facade cannot answer as asked: a parameter it does not support, or a
 * value it cannot read. Names the parameter, never the value (which may be an NHS number).
 */
export class SearchError extends PontError {
  readonly stage = 'input';
  constructor(
    readonly code: 'SEARCH_UNKNOWN_PARAMETER' | 'SEARCH_INVALID_VALUE',
    message: string,
    readonly parameter: string,
  ) {
    super(message, [{ severity: 'error', code: code === 'SEARCH_UNKNOWN_PARAMETER' ? 'not-supported' : 'value', diagnostics: message, expression: [parameter] }]);
  }
}

const REQUEST_ISSUE_CODES = {
  REQUEST_INVALID: 'invalid',
  REQUEST_NOT_FOUND: 'not-found',
  REQUEST_NOT_SUPPORTED: 'not-supported',
  REQUEST_FORBIDDEN: 'forbidden',
  REQUEST_MEDIA_TYPE: 'not-supported',
} as const satisfies Record<RequestError['code'], OperationOutcomeIssue['code']>;
