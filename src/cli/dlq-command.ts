/**
 * `pont dlq list|show|replay|discard` and `pont status`: the store's dead letters and a message's
 * progress, for an operator. Lists show ids, sources, codes and counts, never a payload.
 */
import { type Command, Option } from 'commander';
import { discardDeadLetter, listDeadLetters, replayDeadLetters } from '../app/dead-letters.js';
import { UsageError } from '../errors/errors.js';
import type { Clock } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { MessageHistory, MessageStorePort } from '../ports/message-inbox.js';
import type { Io } from './io.js';
import { plural } from './render.js';

/** The store (and the process queue, when one answers) for one command; closed when it is done. */
export interface StoreAccess {
  readonly messages: MessageStorePort;
  readonly processQueue?: JobQueue<{ readonly messageId: string }>;
  readonly replayDeliveries?: (messageId: string, at: Date) => Promise<readonly { readonly id: string; readonly targetId: string }[]>;
  close(): Promise<void>;
}

export interface StoreCommandDeps {
  readonly io: Io;
  readonly clock: Clock;
  readonly openStore: () => Promise<StoreAccess>;
  readonly setExitCode: (code: number) => void;
}

const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function messageIds(ids: readonly string[]): string[] {
  const bad = ids.filter((id) => !MESSAGE_ID.test(id));
  if (bad.length > 0) throw new UsageError(`${bad.length === 1 ? 'an argument is' : `${bad.length} arguments are`} not a message id (a UUID, as \`pont dlq list\` shows)`);
  return [...ids];
}

async function withStore<T>(deps: StoreCommandDeps, body: (store: StoreAccess) => Promise<T>): Promise<T> {
  const store = await deps.openStore();
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

export function registerStoreCommands(program: Command, deps: StoreCommandDeps): void {
  const { io } = deps;
  const show = async (id: string) => showHistory(deps, messageIds([id])[0]!);
  const dlq = program.command('dlq').description('dead letters: messages whose processing failed for good (store: DATABASE_URL, or PGlite in PONT_DATA_DIR)');

  dlq
    .command('list')
    .description('the open dead letters, oldest first (ids, sources, codes and counts; no message content)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (options: { format: 'text' | 'json' }) => {
      const letters = await withStore(deps, (store) => listDeadLetters({ messages: store.messages, clock: deps.clock }));
      if (options.format === 'json') {
        await io.stdout(`${JSON.stringify(letters, null, 2)}\n`);
        return;
      }
      for (const d of letters) {
        const what = d.targetId === undefined ? '' : ` delivery to ${d.targetId},`;
        await io.stdout(`${d.at.toISOString()}  ${d.messageId}  ${d.source} (${d.format}) ${what} ${d.queue}: ${d.reason} after ${plural(d.attempts, 'attempt')}\n`);
      }
      await io.stdout(`${plural(letters.length, 'dead letter')}\n`);
    });

  dlq.command('show').description("one message's dead letters and stages").argument('<message-id>').action(show);

  dlq
    .command('replay')
    .description("put dead messages and deliveries back (messages queued now if Redis answers; deliveries, and messages otherwise, at the service's next reconciliation)")
    .argument('[message-ids...]')
    .option('--all', 'every open dead letter')
    .action(async (ids: string[], options: { all?: boolean }) => {
      if (options.all === true && ids.length > 0) throw new UsageError('give message ids or --all, not both');
      if (options.all !== true && ids.length === 0) throw new UsageError('give the message ids to replay, or --all');
      const wanted = options.all === true ? 'all' : messageIds(ids);
      const result = await withStore(deps, (store) =>
        replayDeadLetters(
          {
            messages: store.messages,
            clock: deps.clock,
            ...(store.processQueue ? { processQueue: store.processQueue } : {}),
            ...(store.replayDeliveries ? { replayDeliveries: store.replayDeliveries } : {}),
          },
          wanted,
        ),
      );
      for (const id of result.replayed) await io.stdout(`replayed ${id}\n`);
      for (const id of result.notDead) io.stderr(`pont: ${id} has no open dead letter\n`);
      if (result.replayed.length > 0) await io.stdout(result.queued ? 'queued for processing\n' : "to be queued at the service's next reconciliation\n");
      if (result.notDead.length > 0) deps.setExitCode(1);
    });

  dlq
    .command('discard')
    .description('close a dead letter for good; the reason is kept')
    .argument('<message-id>')
    .requiredOption('--reason <text>', 'why it is discarded (kept with the dead letter)')
    .action(async (id: string, options: { reason: string }) => {
      const [messageId] = messageIds([id]);
      if (options.reason.trim() === '') throw new UsageError('--reason must say why the message is discarded');
      const done = await withStore(deps, (store) => discardDeadLetter({ messages: store.messages, clock: deps.clock }, messageId!, options.reason.trim()));
      if (done) await io.stdout(`discarded ${messageId}\n`);
      else {
        io.stderr(`pont: ${messageId} has no open dead letter\n`);
        deps.setExitCode(1);
      }
    });

  program.command('status').description("a message's stages, record versions stored and dead letters").argument('<message-id>').action(show);
}

async function showHistory(deps: StoreCommandDeps, id: string): Promise<void> {
  const history = await withStore(deps, (store) => store.messages.history(id));
  if (history === undefined) {
    deps.io.stderr(`pont: no message ${id} in the store\n`);
    deps.setExitCode(1);
    return;
  }
  await deps.io.stdout(renderHistory(history));
}

/** `pont status` as text: names and counts, never a value of the record. */
export function renderHistory(h: MessageHistory): string {
  const findings = Object.entries(h.findings).map(([result, n]) => `${n} ${result}`);
  const lines = [
    `message ${h.id} from ${h.source} (${h.format}): ${h.stage}, ${plural(h.records, 'record version')} stored${findings.length > 0 ? `; findings: ${findings.join(', ')}` : ''}`,
  ];
  for (const s of h.stages) lines.push(`  ${s.at.toISOString()}  ${s.stage}${s.detail ? `  ${JSON.stringify(s.detail)}` : ''}`);
  for (const d of h.deliveries) {
    lines.push(`  delivery to ${d.targetId}: ${d.count} ${d.status}`);
    if (d.leftOut !== undefined) lines.push(`    not sent, as ${d.targetId}'s format does not hold them: ${d.leftOut.join(', ')}`);
  }
  for (const d of h.deadLetters) {
    const state = d.discardedAt ? `discarded ${d.discardedAt.toISOString()}: ${d.discardReason}` : d.replayedAt ? `replayed ${d.replayedAt.toISOString()}` : 'open';
    lines.push(`  dead letter ${d.at.toISOString()}  ${d.queue}: ${d.reason} after ${plural(d.attempts, 'attempt')} (${state})`);
  }
  return `${lines.join('\n')}\n`;
}
