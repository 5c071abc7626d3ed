/**
 * Errors across the thread boundary. Structured clone keeps neither an error's class nor its
 * code, so a PontError is sent as its code, stage, retry verdict and issues and comes back as a
 * PontError with the same (the queue decides retry or dead letter on these). Any other error is a
 * fault in pont: only its class name crosses, since its text may quote the input.
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { PontError, type Stage } from '../errors/errors.js';

export type SentError =
  | {
      readonly kind: 'pont';
      readonly name: string;
      readonly code: string;
      readonly stage: Stage;
      readonly retryable: boolean;
      readonly message: string;
      readonly issues: OperationOutcomeIssue[];
    }
  | { readonly kind: 'fault'; readonly name: string };

export function sendError(err: unknown): SentError {
  if (err instanceof PontError) {
    return { kind: 'pont', name: err.name, code: err.code, stage: err.stage, retryable: err.retryable, message: err.message, issues: err.issues };
  }
  return { kind: 'fault', name: err instanceof Error ? err.name : typeof err };
}

/** A PontError raised in a worker thread, as it was raised there (same name, code, stage, verdict and issues). */
export class ThreadPontError extends PontError {
  readonly code: string;
  readonly stage: Stage;
  override readonly retryable: boolean;
  constructor(sent: Extract<SentError, { kind: 'pont' }>) {
    super(sent.message, sent.issues);
    this.name = sent.name;
    this.code = sent.code;
    this.stage = sent.stage;
    this.retryable = sent.retryable;
  }
}

export function receiveError(sent: SentError): Error {
  if (sent.kind === 'pont') return new ThreadPontError(sent);
  const fault = new Error('internal fault in a check thread');
  fault.name = sent.name;
  return fault;
}
