/**
 * Bulk Data export (issue 10): counting a job's files after kick-off, and the manifest a complete
 * job is answered with. Counting is idempotent (it reads as of the job's transaction time), so a
 * job whose counter died (its claim ran out) is simply counted again by the next poll.
 */
import { PontError } from '../errors/errors.js';
import type { ExportFile, ExportJob, ExportJobStore, ExportReader } from '../ports/bulk-export.js';
import type { PatientScope } from '../ports/fhir-resources.js';

export interface ExportDeps {
  readonly jobs: ExportJobStore;
  readonly reader: ExportReader;
  /** Resources per output file; a type with more is split into parts. */
  readonly partSize: number;
  /** How long a counter's claim on a job lasts without progress. */
  readonly claimSeconds: number;
}

/** Counts the job's files and completes it, unless another counter holds it; a fault that retrying cannot help fails the job with its code. */
export async function prepareExport(deps: ExportDeps, jobId: string): Promise<void> {
  if (!(await deps.jobs.claim(jobId, deps.claimSeconds))) return;
  try {
    let job = await deps.jobs.get(jobId);
    if (job === undefined || job.status !== 'in-progress') return;
    if (!exportsEveryNonPersonResource(job)) {
      await deps.jobs.setSupporting(jobId, await deps.reader.supporting(job));
      job = (await deps.jobs.get(jobId))!;
    }
    const files: ExportFile[] = [];
    for (const [i, type] of job.types.entries()) {
      const { count, partEnds } = await deps.reader.count(job, type, deps.partSize);
      files.push(...filesOf(type, count, deps.partSize, partEnds));
      if (job.since !== undefined) {
        const gone = await deps.reader.count(job, type, deps.partSize, true);
        files.push(...filesOf(type, gone.count, deps.partSize, gone.partEnds).map((f) => ({ ...f, deleted: true as const })));
      }
      await deps.jobs.progress(jobId, i + 1, deps.claimSeconds);
    }
    await deps.jobs.complete(jobId, files);
  } catch (err) {
    // A transient fault leaves the job to be counted again once the claim runs out.
    if (err instanceof PontError && err.retryable) throw err;
    await deps.jobs.fail(jobId, err instanceof PontError ? err.code : 'EXPORT_FAULT');
    throw err;
  }
}

/**
 * Every Organization, Practitioner... is exported when the job is about everyone the caller may
 * see and that is everyone; otherwise only those the exported people's resources refer to.
 */
const exportsEveryNonPersonResource = (job: ExportJob): boolean => job.level.kind !== 'group' && job.patients === undefined && job.scope.kind === 'all';

/** A type's files: none when it has no resources, else parts of partSize (partEnds: the id of every partSize-th resource) and the rest. */
export function filesOf(type: string, count: number, partSize: number, partEnds: readonly string[]): ExportFile[] {
  const files: ExportFile[] = [];
  let after: string | undefined;
  for (const end of partEnds) {
    files.push({ type, part: files.length + 1, count: partSize, ...(after === undefined ? {} : { after }), upTo: end });
    after = end;
  }
  const rest = count - partSize * partEnds.length;
  if (rest > 0) files.push({ type, part: files.length + 1, count: rest, ...(after === undefined ? {} : { after }) });
  return files;
}

/** A file's name in its URL: `Type.ndjson`, or `Type.n.ndjson` for part n when the type has several; `Type.deleted….ndjson` for deletions. */
export function fileName(file: ExportFile, files: readonly ExportFile[]): string {
  const name = file.deleted === true ? `${file.type}.deleted` : file.type;
  return files.some((f) => f.type === file.type && f.deleted === file.deleted && f.part > 1) ? `${name}.${file.part}.ndjson` : `${name}.ndjson`;
}

/** The file of a complete job with this name. */
export function fileNamed(job: ExportJob, name: string): ExportFile | undefined {
  return job.files?.find((f) => fileName(f, job.files!) === name);
}

export interface ExportManifest {
  readonly transactionTime: string;
  readonly request: string;
  readonly requiresAccessToken: true;
  readonly output: readonly ManifestFile[];
  /** With `_since`: the resources deleted since, as transaction Bundles (type Bundle). */
  readonly deleted?: readonly ManifestFile[];
  readonly error: readonly never[];
}

interface ManifestFile {
  readonly type: string;
  readonly url: string;
  readonly count: number;
}

/** The complete job's manifest; `outputBase` is the URL its files are under (`…/$export-output/{job}`). */
export function exportManifest(job: ExportJob, outputBase: string): ExportManifest {
  const files = job.files ?? [];
  return {
    transactionTime: job.transactionTime.toISOString(),
    request: job.request,
    requiresAccessToken: true,
    output: files.filter((f) => f.deleted !== true).map((f) => ({ type: f.type, url: `${outputBase}/${fileName(f, files)}`, count: f.count })),
    ...(job.since === undefined
      ? {}
      : { deleted: files.filter((f) => f.deleted === true).map((f) => ({ type: 'Bundle', url: `${outputBase}/${fileName(f, files)}`, count: f.count })) }),
    error: [],
  };
}

/**
 * The scope a download is read under: what the caller could see at kick-off and can see now, both
 * (a client whose reach was narrowed since gets no more than it may see today, one whose reach was
 * widened no more than it asked for).
 */
export function downloadScope(atKickOff: PatientScope, now: PatientScope): PatientScope {
  if (atKickOff.kind === 'all') return now;
  if (now.kind === 'all') return atKickOff;
  if (atKickOff.kind === 'registered-at' && now.kind === 'registered-at' && atKickOff.practiceOds === now.practiceOds) return atKickOff;
  return { kind: 'none' };
}
