/**
 * FHIR Bulk Data Access v2 export (issue 10), an express Router to mount under `/fhir` BEFORE the
 * facade's router (whose `/:type` routes would otherwise take `/$export`):
 *
 * - kick-off: `GET|POST /$export`, `/Patient/$export`, `/Group/{ods}/$export` → 202 with
 *   Content-Location of the job's status;
 * - `GET /$export-status/{job}`: 202 with X-Progress and Retry-After while the files are counted,
 *   then 200 with the manifest; `DELETE` cancels (202; the status and files are 404 afterwards);
 * - `GET /$export-output/{job}/{file}`: one NDJSON file, streamed from the store as of the job's
 *   transaction time, in constant memory, stopping while the client is slower than the store.
 *
 * A job, its status and its files are its client's alone: anyone else is answered 404, as if it
 * did not exist. A finished job's manifest and files are kept for a retention period (a day by
 * default; `Expires` says until when), then answered 404. Every error answer is an OperationOutcome.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { downloadScope, type ExportDeps, exportManifest, fileNamed, prepareExport } from '../../app/bulk-export.js';
import { PontError, RequestError } from '../../errors/errors.js';
import type { ExportJob, ExportLevel } from '../../ports/bulk-export.js';
import type { PatientScope } from '../../ports/fhir-resources.js';
import { baseOf, queryPairs, send } from '../fhir/router.js';
import { problem } from '../outcome.js';
import { checkKickOffHeaders, parametersOf, readKickOff } from './kick-off.js';

/** Rows read from the store per round trip while a file streams, unless the deps say otherwise. */
export const DEFAULT_BATCH_SIZE = 1000;

export interface BulkRouterDeps extends Pick<ExportDeps, 'jobs' | 'reader'> {
  /** Whose resources this request may see (authorisation decides; the export applies it). */
  readonly scope: (req: Request, res: Response) => PatientScope;
  /** The authenticated client: a job is theirs alone. */
  readonly clientId: (req: Request, res: Response) => string;
  /** Resources per output file. @defaultValue 100,000 */
  readonly partSize?: number;
  /** Rows read from the store per round trip while a file streams. @defaultValue 1,000 */
  readonly batchSize?: number;
  /** Told of a fault while a job is counted in the background (after its kick-off was answered). */
  readonly onBackgroundError?: (err: unknown) => void;
  /** Largest POSTed Parameters body, in bytes. @defaultValue 64 KiB */
  readonly maxParametersBytes?: number;
  /**
   * How long a finished job's manifest and files stay available (then 404, and the job is
   * forgotten at a later kick-off). @defaultValue 24 hours
   */
  readonly retentionSeconds?: number;
  /** @defaultValue the system clock */
  readonly now?: () => Date;
}

const ODS = /^[A-Za-z0-9]{1,12}$/;
const NDJSON = 'application/fhir+ndjson';
const RETRY_AFTER_SECONDS = 2;
const DAY_SECONDS = 24 * 60 * 60;

export function createBulkRouter(deps: BulkRouterDeps): Router {
  const router = express.Router();
  const exportDeps: ExportDeps = { jobs: deps.jobs, reader: deps.reader, partSize: deps.partSize ?? 100_000, claimSeconds: 60 };
  const batchSize = deps.batchSize ?? DEFAULT_BATCH_SIZE;
  const retentionSeconds = deps.retentionSeconds ?? DAY_SECONDS;
  const now = deps.now ?? (() => new Date());
  const expiresAt = (job: ExportJob) => (job.finishedAt === undefined ? undefined : new Date(job.finishedAt.getTime() + retentionSeconds * 1000));
  const prepare = (jobId: string) => {
    prepareExport(exportDeps, jobId).catch((err: unknown) => deps.onBackgroundError?.(err));
  };
  const parameters = express.json({ type: ['application/fhir+json', 'application/json'], limit: deps.maxParametersBytes ?? 65_536 });

  const kickOff = (levelOf: (req: Request) => ExportLevel) => async (req: Request, res: Response) => {
    checkKickOffHeaders(req);
    const level = levelOf(req);
    const pairs = req.method === 'POST' ? [...queryPairs(req), ...parametersOf(req.body)] : queryPairs(req);
    const { types, since, patients } = readKickOff(req, pairs, level);
    const scope = deps.scope(req, res);
    if (level.kind === 'group' && !(await deps.reader.groupKnown(scope, level.groupId))) {
      throw new RequestError('REQUEST_NOT_FOUND', 'no Group has this id: a Group is the ODS code of a GP practice or a health board with people on record');
    }
    await deps.jobs.removeOlderThan(retentionSeconds);
    const job = await deps.jobs.create({
      clientId: deps.clientId(req, res),
      level,
      types,
      ...(since === undefined ? {} : { since }),
      ...(patients === undefined ? {} : { patients }),
      request: `${req.protocol}://${req.get('host')}${req.originalUrl}`,
      scope,
    });
    res.set('Content-Location', `${baseOf(req)}/$export-status/${job.id}`);
    send(res, 202, problem('informational', 'the export is accepted: poll Content-Location for its manifest', 'information'));
    prepare(job.id);
  };
  const levels: [string, (req: Request) => ExportLevel][] = [
    ['/$export', () => ({ kind: 'system' })],
    ['/Patient/$export', () => ({ kind: 'patient' })],
    ['/Group/:id/$export', groupLevel],
  ];
  for (const [path, levelOf] of levels) {
    const handler = kickOff(levelOf);
    router.get(path, (req, res, next) => handler(req, res).catch(next));
    router.post(path, parameters, (req, res, next) => handler(req, res).catch(next));
  }

  /** The caller's job, or undefined (answered 404) when there is none of theirs under this id. */
  const ownJob = async (req: Request, res: Response): Promise<ExportJob | undefined> => {
    const job = await deps.jobs.get(String(req.params.job));
    if (job === undefined || job.status === 'cancelled' || job.clientId !== deps.clientId(req, res)) {
      send(res, 404, problem('not-found', 'no export job of yours has this id'));
      return undefined;
    }
    const expires = expiresAt(job);
    if (expires !== undefined && expires <= now()) {
      send(res, 404, problem('not-found', `this export expired at ${expires.toISOString()}: its files are gone; start a new one`));
      return undefined;
    }
    if (expires !== undefined) res.set('Expires', expires.toUTCString());
    return job;
  };

  router.get('/$export-status/:job', async (req, res, next) => {
    try {
      const job = await ownJob(req, res);
      if (job === undefined) return;
      res.set('Cache-Control', 'no-store');
      if (job.status === 'failed') return void send(res, 500, problem('exception', `the export failed (${job.error ?? 'fault'}); start a new one`, 'fatal'));
      if (job.status === 'in-progress') {
        prepare(job.id); // counts it again if its counter died; a no-op while another holds it
        res.set('X-Progress', `counted ${job.counted} of ${job.types.length} resource types`);
        res.set('Retry-After', String(RETRY_AFTER_SECONDS));
        return void res.status(202).end();
      }
      res
        .status(200)
        .type('application/json')
        .send(JSON.stringify(exportManifest(job, `${baseOf(req)}/$export-output/${job.id}`)));
    } catch (err) {
      next(err);
    }
  });

  router.delete('/$export-status/:job', async (req, res, next) => {
    try {
      if (!(await deps.jobs.cancel(String(req.params.job), deps.clientId(req, res)))) return void send(res, 404, problem('not-found', 'no export job of yours has this id'));
      send(res, 202, problem('informational', 'the export is cancelled and its files are gone', 'information'));
    } catch (err) {
      next(err);
    }
  });

  router.get('/$export-output/:job/:file', async (req, res, next) => {
    try {
      const job = await ownJob(req, res);
      if (job === undefined) return;
      const file = job.status === 'complete' ? fileNamed(job, String(req.params.file)) : undefined;
      if (file === undefined) return void send(res, 404, problem('not-found', 'this export has no such file'));
      res.status(200).type(NDJSON).set('Cache-Control', 'no-store');
      await streamLines(res, deps.reader.lines({ ...job, scope: downloadScope(job.scope, deps.scope(req, res)) }, file, batchSize));
    } catch (err) {
      // Once the file has begun, the only honest signal left is a broken transfer: never a short file that looks whole.
      if (res.headersSent) return void res.destroy(err instanceof Error ? err : undefined);
      next(err);
    }
  });

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if ((err as { type?: unknown })?.type === 'entity.too.large') return void send(res, 413, problem('too-costly', 'the Parameters body is too large'));
    if ((err as { type?: unknown })?.type === 'entity.parse.failed') return void send(res, 400, problem('structure', 'the body is not JSON'));
    if (err instanceof RequestError) return void send(res, err.code === 'REQUEST_NOT_FOUND' ? 404 : 400, { resourceType: 'OperationOutcome', issue: err.issues });
    if (err instanceof PontError && err.retryable) {
      res.set('Retry-After', '30');
      return void send(res, 503, problem('transient', err.message));
    }
    send(res, 500, problem('exception', err instanceof PontError ? `${err.code}: ${err.message}` : 'internal fault in pont', 'fatal'));
  });

  return router;
}

function groupLevel(req: Request): ExportLevel {
  const id = String(req.params.id);
  if (!ODS.test(id)) throw new RequestError('REQUEST_NOT_FOUND', 'no Group has this id: a Group id is an ODS code (letters and digits)');
  return { kind: 'group', groupId: id.toUpperCase() };
}

/** Writes each chunk, waiting whenever the socket's buffer is full; stops when the client goes. */
async function streamLines(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  res.end();
}

function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
