/**
 * Typed errors. Each has a stable `code`, the pipeline `stage` it belongs to, and FHIR
 * OperationOutcome issues that say what is wrong and where. Messages never carry patient data:
 * they name files, rules, paths and codes, not values.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';

export type Stage = 'startup' | 'input' | 'mapping' | 'validation' | 'compliance' | 'delivery';

export abstract class PontError extends Error {
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
