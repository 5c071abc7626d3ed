/**
 * FHIR Bulk Data export (Bulk Data Access IG v2) as the core and the HTTP edge see it: a job
 * recorded at kick-off, and the resources it exports read from the served resources AS OF the
 * job's transaction time, file by file, whenever they are downloaded. Nothing is written to disk.
 */
import type { PatientScope } from './fhir-resources.js';

/**
 * Whose resources an export is about. A Group id is an ODS code: a health board's (the people an
 * organisation of it manages an episode of care for) or a GP practice's (its registered patients).
 */
export type ExportLevel = { readonly kind: 'system' } | { readonly kind: 'patient' } | { readonly kind: 'group'; readonly groupId: string };

export type ExportStatus = 'in-progress' | 'complete' | 'cancelled' | 'failed';

export interface ExportRequest {
  readonly clientId: string;
  readonly level: ExportLevel;
  /** The types asked for (every exportable type of the level when `_type` was not given). */
  readonly types: readonly string[];
  readonly since?: Date;
  /** Only these people (Patient ids), from the POST `patient` parameter. */
  readonly patients?: readonly string[];
  /** The kick-off URL, as the manifest repeats it. */
  readonly request: string;
  /** Whose resources the caller may see. */
  readonly scope: PatientScope;
}

/** One output file: a type's resources in id order, after `after` and up to `upTo` when it is one part of several. */
export interface ExportFile {
  readonly type: string;
  /** 1 for the first (or only) part. */
  readonly part: number;
  readonly count: number;
  readonly after?: string;
  readonly upTo?: string;
  /** A file of the type's resources deleted since `_since` (each line a transaction Bundle with one DELETE). */
  readonly deleted?: true;
}

export interface ExportJob extends ExportRequest {
  readonly id: string;
  readonly transactionTime: Date;
  readonly status: ExportStatus;
  /** The files, once every type is counted. */
  readonly files?: readonly ExportFile[];
  /** How many of `types` are counted so far. */
  readonly counted: number;
  /** The ids of the non-person resources the exported resources refer to, by type; absent when every one is exported. */
  readonly supporting?: Readonly<Record<string, readonly string[]>>;
  /** A failed job's error code. */
  readonly error?: string;
  /** When it was complete, failed or cancelled (the store's clock). */
  readonly finishedAt?: Date;
}

export interface ExportJobStore {
  /** Records the job, its transaction time the store's clock now. */
  create(request: ExportRequest): Promise<ExportJob>;
  get(id: string): Promise<ExportJob | undefined>;
  /** Takes the right to count the job until `seconds` from now; false when it is not in progress or another counter holds it. */
  claim(id: string, seconds: number): Promise<boolean>;
  /** Records the supporting resources' ids (before any counting). */
  setSupporting(id: string, supporting: Readonly<Record<string, readonly string[]>>): Promise<void>;
  /** Records that `counted` types are counted, renewing the claim. */
  progress(id: string, counted: number, seconds: number): Promise<void>;
  /** The job is complete with these files (unless it was cancelled meanwhile). */
  complete(id: string, files: readonly ExportFile[]): Promise<void>;
  fail(id: string, code: string): Promise<void>;
  /** Cancels the job (its files are gone); false when there is no such job of this client, or it is already cancelled. */
  cancel(id: string, clientId: string): Promise<boolean>;
  /** Forgets the jobs finished (or, never finished, begun) more than `seconds` ago; returns how many. */
  removeOlderThan(seconds: number): Promise<number>;
}

export interface ExportReader {
  /** Whether anyone the caller may see is in the group (an ODS code; see ExportLevel). */
  groupKnown(scope: PatientScope, groupId: string): Promise<boolean>;
  /** The ids of the non-person resources the job's person resources refer to, by type, as of its transaction time. */
  supporting(job: ExportJob): Promise<Record<string, string[]>>;
  /** How many resources of the type the job exports (or, `deleted`, were deleted since its `_since`), and where each part of `partSize` ends (the id of every partSize-th). */
  count(job: ExportJob, type: string, partSize: number, deleted?: boolean): Promise<{ readonly count: number; readonly partEnds: readonly string[] }>;
  /** A file's resources as NDJSON (one line each, every line ending in a newline), in chunks of at most `batchSize` lines: constant memory. */
  lines(job: ExportJob, file: ExportFile, batchSize: number): AsyncIterable<string>;
}
