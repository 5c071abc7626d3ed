/**
 * Assembles mapped resources into one transaction Bundle per record, and splits such a Bundle
 * into an ordered series of smaller transactions for servers that limit their size.
 */
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { UsageError } from '../errors/errors.js';

/** One resource a mapping emitted, with its identity and how a transaction Bundle sends it. */
export interface EmittedResource {
  readonly rule: string;
  readonly localId: string;
  readonly id: string;
  readonly fullUrl: string;
  readonly request: { readonly method: 'PUT'; readonly url: string };
  readonly resource: Record<string, unknown>;
}

/**
 * Builds the transaction Bundle. Entries are PUTs (by id, or conditional on a business
 * identifier), so sending the same Bundle twice leaves the server as it was after the first.
 */
export function toTransactionBundle(resources: readonly EmittedResource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map(
      (r): BundleEntry => ({
        fullUrl: r.fullUrl,
        resource: r.resource as unknown as Resource,
        request: { method: r.request.method, url: r.request.url },
      }),
    ),
  };
}

interface Node {
  readonly index: number;
  readonly entry: BundleEntry;
  /** A conditional update (`Type?criteria`): its id is the server's, so it can be referred to only from within its own Bundle. */
  readonly conditional: boolean;
  /** Entries of the Bundle this one refers to (by their fullUrl). */
  readonly refersTo: readonly number[];
}

/**
 * Splits a transaction Bundle into an ordered series of transactions of at most `maxEntries`
 * entries each, which, sent in order, leave a server as the whole Bundle would.
 *
 * Entries are ordered so that what is referred to comes first where the references allow (a
 * cycle keeps the Bundle's order). A reference to an entry sent in another Bundle of the series
 * becomes the entry's stable `Type/id`. A conditional entry (`PUT Patient?identifier=…`) has no
 * stable id, since the server finds or assigns it; each Bundle that refers to one therefore
 * carries the conditional entry again (conditional updates are idempotent), with the conditional
 * entries it refers to in turn, and the `urn:uuid:` reference resolves inside that Bundle.
 * Conditional references (`Patient?identifier=…` in a reference) would spare the repetition but
 * are not supported by every server. Throws a UsageError when `maxEntries` cannot hold an entry
 * together with the conditional entries it needs.
 */
export function splitTransaction(bundle: Bundle, maxEntries: number): Bundle[] {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new UsageError('the largest transaction must hold at least one entry');
  const entries = bundle.entry ?? [];
  if (entries.length <= maxEntries) return [bundle];
  const nodes = graph(entries);
  const order = dependencyOrder(nodes);
  const chunks: { own: number[]; members: Set<number> }[] = [];
  let current: { own: number[]; members: Set<number> } | undefined;
  for (const i of order) {
    const needed = [i, ...conditionalClosure(nodes, i)];
    if (needed.length > maxEntries) {
      throw new UsageError(
        `a transaction of at most ${maxEntries} ${maxEntries === 1 ? 'entry' : 'entries'} cannot hold entry ${i} (${nodes[i]!.entry.resource?.resourceType ?? 'no resource'}) with the conditional entries it refers to: allow at least ${needed.length}`,
      );
    }
    if (current?.members.has(i)) {
      // Already carried (a conditional entry an earlier entry of this Bundle needed).
      current.own.push(i);
      continue;
    }
    const added = current ? needed.filter((n) => !current!.members.has(n)).length : needed.length;
    if (!current || current.members.size + added > maxEntries) {
      current = { own: [], members: new Set() };
      chunks.push(current);
    }
    for (const n of needed) current.members.add(n);
    current.own.push(i);
  }
  return chunks.map((chunk) => {
    // Carried conditional entries first, then the Bundle's own, each group in dependency order.
    const carried = order.filter((n) => chunk.members.has(n) && !chunk.own.includes(n));
    return {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [...carried, ...chunk.own].map((n) => rewriteEntry(nodes, n, chunk.members)),
    };
  });
}

function graph(entries: readonly BundleEntry[]): Node[] {
  const byFullUrl = new Map<string, number>();
  entries.forEach((e, i) => {
    if (e.fullUrl !== undefined) byFullUrl.set(e.fullUrl, i);
  });
  return entries.map((entry, index) => {
    const refersTo = new Set<number>();
    for (const reference of referencesIn(entry.resource)) {
      const target = byFullUrl.get(reference);
      if (target !== undefined && target !== index) refersTo.add(target);
    }
    return { index, entry, conditional: entry.request?.url.includes('?') === true, refersTo: [...refersTo] };
  });
}

/** The Bundle's order, changed only to put what is referred to before what refers to it (Kahn's algorithm; the first entry breaks a cycle). */
function dependencyOrder(nodes: readonly Node[]): number[] {
  const done = new Set<number>();
  const order: number[] = [];
  while (order.length < nodes.length) {
    let next = nodes.findIndex((n, i) => !done.has(i) && n.refersTo.every((t) => done.has(t)));
    if (next < 0) next = nodes.findIndex((_, i) => !done.has(i));
    done.add(next);
    order.push(next);
  }
  return order;
}

/** The conditional entries an entry needs in its own Bundle: those it refers to, and theirs in turn. */
function conditionalClosure(nodes: readonly Node[], start: number): number[] {
  const seen = new Set<number>();
  const stack = [...nodes[start]!.refersTo];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === start || seen.has(n) || !nodes[n]!.conditional) continue;
    seen.add(n);
    stack.push(...nodes[n]!.refersTo);
  }
  return [...seen];
}

/** The entry with references to entries outside its Bundle rewritten to their stable `Type/id`. */
function rewriteEntry(nodes: readonly Node[], index: number, members: ReadonlySet<number>): BundleEntry {
  const node = nodes[index]!;
  const outside = new Map<string, string>();
  for (const t of node.refersTo) {
    if (members.has(t)) continue;
    const target = nodes[t]!;
    // conditionalClosure put every conditional target in the Bundle; the rest are plain `Type/id` updates.
    outside.set(target.entry.fullUrl!, target.entry.request!.url);
  }
  if (outside.size === 0) return node.entry;
  return { ...node.entry, resource: visitReferences(node.entry.resource, (reference) => outside.get(reference) ?? reference) as Resource };
}

/** Every Reference.reference string anywhere inside a value. */
export function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else referencesIn(v, out);
    }
  }
  return out;
}

/** Calls `f` on every Reference.reference inside a value and returns a copy with what it gave back. */
export function visitReferences(value: unknown, f: (reference: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => visitReferences(v, f));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'reference' && typeof v === 'string' ? f(v) : visitReferences(v, f);
  return out;
}
