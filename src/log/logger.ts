/**
 * pino loggers for pont, made at the edge (the CLI, a test) and passed in: nothing logs through a
 * global instance. Every line carries ids, stages, codes and counts; whatever could carry patient
 * data is cut before it is written: content fields are summarised by their serializers (a Bundle
 * becomes its entry count, a payload its size), identifying fields are censored by redaction
 * wherever they sit up to two levels down, and an error prints only its class and code, plus its
 * message when it is pont's own (whose messages name fields and codes, never values).
 */
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { PontError } from '../errors/errors.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** LOG_LEVEL as given, or `info` when it is unset or not a level. */
export function logLevelFrom(text: string | undefined): LogLevel {
  const level = text?.trim().toLowerCase();
  return LOG_LEVELS.find((l) => l === level) ?? 'info';
}

export interface LoggerSettings {
  /** @defaultValue 'info' */
  readonly level?: LogLevel;
  /** Where lines go: standard output when left out (pino's own asynchronous writer). */
  readonly destination?: DestinationStream;
  /** Bound into every line (e.g. `{ service: 'pont' }`). */
  readonly base?: Readonly<Record<string, unknown>>;
}

/** Keys whose values identify a person, censored at the top level, one and two levels down. */
export const IDENTIFYING_KEYS = [
  'name',
  'given',
  'family',
  'prefix',
  'nhsNumber',
  'nhs',
  'birthDate',
  'dateOfBirth',
  'dob',
  'address',
  'postcode',
  'postalCode',
  'telecom',
  'phone',
  'email',
  'identifier',
  'text',
  'narrative',
  'diagnostics',
  'authorization',
  'cookie',
] as const;

/** Keys whose values are content: never printed, only summarised (serializers below). */
export const CONTENT_KEYS = ['record', 'records', 'bundle', 'resource', 'resources', 'payload', 'body', 'patient', 'issues', 'query'] as const;

export const CENSORED = '[redacted]';

/** Identifying keys wherever they sit up to two levels down; content keys below the top level (at the top, their serializers summarise them). */
export function redactPaths(): string[] {
  const below = (k: string) => [`*.${k}`, `*.*.${k}`, `*[*].${k}`];
  return [
    ...IDENTIFYING_KEYS.flatMap((k) => [k, ...below(k)]),
    ...CONTENT_KEYS.flatMap(below),
    'req.headers.authorization',
    'req.headers.cookie',
    'res.headers["set-cookie"]',
  ];
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { ...settings.base },
    messageKey: 'msg',
    redact: { paths: redactPaths(), censor: CENSORED },
    serializers: { ...contentSerializers(), err: serializeError, error: serializeError },
  };
  return settings.destination === undefined ? pino(options) : pino(options, settings.destination);
}

/** A logger that writes nothing, for callers that were given none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** Content keys at the top level become a shape without content: a count or a size. */
function contentSerializers(): Record<string, (value: unknown) => unknown> {
  return Object.fromEntries(CONTENT_KEYS.map((k) => [k, summarise]));
}

function summarise(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return value; // a count (`records: 2`), not content
  if (value instanceof Uint8Array) return { bytes: value.byteLength };
  if (typeof value === 'string') return { chars: value.length };
  if (Array.isArray(value)) return { items: value.length };
  if (value !== null && typeof value === 'object') {
    const v = value as { resourceType?: unknown; entry?: unknown };
    if (typeof v.resourceType === 'string') return { resourceType: v.resourceType, ...(Array.isArray(v.entry) ? { entries: v.entry.length } : {}) };
    return CENSORED;
  }
  return value === undefined ? undefined : CENSORED;
}

/** Class and code, and pont's own message; another error's message may quote data (a driver's "key (x)=(…)"), so it is left out. */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  const frames = err.stack?.split('\n').filter((l) => /^\s+at /.test(l));
  return {
    type: err.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(err instanceof PontError ? { message: err.message, stage: err.stage, retryable: err.retryable } : {}),
    ...(frames && frames.length > 0 ? { stack: frames.join('\n') } : {}),
    ...(err.cause === undefined ? {} : { cause: serializeError(err.cause) }),
  };
}
