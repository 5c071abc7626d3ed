/** A pont logger (src/log/logger.ts, redaction and all) whose lines are kept in memory, for tests that read what was logged. */
import { createLogger, type LogLevel } from '../../src/log/logger.js';
import type { Log } from '../../src/ports/log.js';
import { type Observers, uncountedMetrics } from '../../src/ports/metrics.js';

export interface CapturedLog {
  readonly log: Log;
  /** Every line written so far, as written. */
  text(): string;
  /** Every line written so far, parsed. */
  lines(): Record<string, unknown>[];
}

export function capturedLog(level: LogLevel = 'debug'): CapturedLog {
  const written: string[] = [];
  const log = createLogger({ level, destination: { write: (line: string) => void written.push(line) } });
  return {
    log,
    text: () => written.join(''),
    lines: () => written.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** Observers that log and count nothing. */
export function quietObservers(): Observers {
  return { log: capturedLog('silent').log, metrics: uncountedMetrics() };
}
