/**
 * One change delivered to one FHIR target, in the mode chosen for it.
 *
 * 1. Shared resources (the conditional entries: Patient by NHS number, Organization by ODS code)
 *    are looked for at the target: by the id pont remembers, else by their identifier, those of
 *    one type in one search (src/delivery/fhir-target/shared-search.ts). One the target holds is
 *    merged (src/delivery/fhir-target/merge.ts) and updated by its id with If-Match, or left
 *    alone when the merge changes nothing. One it lacks is created on its own first: by a
 *    conditional update, or where the target has none by a create (If-None-Exist). The only one
 *    of its type to look for (a change's Patient) is not searched for where the target states
 *    conditional create for its type: a create with If-None-Exist makes it or answers with the
 *    one the target holds, one request either way.
 * 2. pont's own resources are updates by pont's id, with If-Match for those pont wrote before.
 * 3. References become the target's `Type/id`, and the updates go as one transaction (split in
 *    dependency order to the entries a Bundle may hold), as batches, or one request per resource
 *    in dependency order.
 * 4. A 412 re-reads what changed at the target and sends again, a few rounds at most. So does
 *    a 404 or 410 to an If-Match: the resource is gone (deleted, or the target restored from an
 *    older backup), and is written again under the same id.
 * 5. What pont wrote from the same source before and the change no longer carries is withdrawn
 *    (src/delivery/fhir-target/withdraw.ts), and the receipt tells the ledger to forget it.
 */
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { DeliveryError } from '../../errors/errors.js';
import { referencesIn, splitTransaction, visitReferences } from '../../fhir/bundle.js';
import type { Change, DeliveredResource, DeliveryReceipt, TargetMemory } from '../../ports/delivery.js';
import type { TargetCapabilities } from './capabilities.js';
import { deliveryFailure } from './failures.js';
import type { FhirHttp, Written } from './fhir-http.js';
import { parseEtag, parseLocation } from './fhir-http.js';
import { mergeShared, sameContent } from './merge.js';
import { searchShared } from './shared-search.js';
import { toWithdraw, withdraw } from './withdraw.js';

/** Rounds of re-read and re-send after a 412 before the change is a DELIVERY_CONFLICT. */
const CONFLICT_ROUNDS = 3;

export interface DeliveryContext {
  readonly targetId: string;
  readonly http: FhirHttp;
  readonly capabilities: TargetCapabilities;
  readonly mode: 'transaction' | 'batch' | 'per-resource';
  readonly maxEntries?: number | undefined;
  readonly now: () => Date;
}

/** An entry of pont's Bundle, by its identity there. */
interface Item {
  /** The entry's request URL in pont's Bundle: `Type/id`, or `Type?criteria` for a shared resource. */
  readonly key: string;
  readonly type: string;
  readonly fullUrl: string;
  readonly resource: Resource;
  readonly shared: boolean;
}

const bundleRefusals = new WeakSet<DeliveryError>();

/** Whether the target refused a transaction or batch Bundle as a whole (its size, or the interaction). */
export function isBundleRefusal(err: unknown): boolean {
  return err instanceof DeliveryError && bundleRefusals.has(err);
}

export async function deliverChange(ctx: DeliveryContext, change: Change, memory: TargetMemory): Promise<DeliveryReceipt> {
  return new Delivery(ctx, memory).run(change);
}

class Delivery {
  private readonly known: Map<string, DeliveredResource>;
  /** fullUrl → `Type/id` at the target, for every entry whose target id is known. */
  private readonly references = new Map<string, string>();
  /** The request URL of each entry sent → the item it carries. */
  private readonly sentAs = new Map<string, Item>();
  private requests = 0;
  /** The source system of the change: recorded with each of pont's own resources written. */
  private sourceSystem: string | undefined;

  constructor(
    private readonly ctx: DeliveryContext,
    private readonly memory: TargetMemory,
  ) {
    this.known = new Map(memory.resources.map((r) => [r.key, r]));
  }

  async run(change: Change): Promise<DeliveryReceipt> {
    this.sourceSystem = change.sourceSystem;
    const items = (change.bundle.entry ?? []).map(item);
    const entries: BundleEntry[] = [];
    const shared = items.filter((i) => i.shared);
    const found = new Map<Item, Resource>();
    const unresolved: Item[] = [];
    for (const i of shared) {
      const byId = await this.readRemembered(i);
      if (byId) found.set(i, byId);
      else unresolved.push(i);
    }
    // The only one of its type is found or created by one conditional create, after what it refers to, where the target
    // states it honours them; the rest are searched for, those of a type together.
    const alone = new Set(unresolved.filter((i) => this.ctx.capabilities.conditionalCreate(i.type) && unresolved.filter((u) => u.type === i.type).length === 1));
    const unheld: Item[] = [];
    const searched = await searchShared(
      this.ctx.http,
      unresolved.filter((i) => !alone.has(i)),
    );
    for (const [i, matches] of searched) {
      if (matches.length > 1) throw this.ambiguous(i, matches.length);
      if (matches[0]) found.set(i, matches[0]);
      else unheld.push(i);
    }
    for (const [i, resource] of found) this.references.set(i.fullUrl, `${i.type}/${resource.id}`);
    for (const i of items.filter((i) => !i.shared)) {
      if (!this.known.has(i.key) && !this.ctx.capabilities.updateCreate(i.type)) {
        throw new DeliveryError('DELIVERY_UNSUPPORTED', `target ${this.ctx.targetId}: does not let a client choose the id of a new ${i.type} (updateCreate)`, false);
      }
      this.references.set(i.fullUrl, i.key);
    }
    for (const [i, resource] of await this.createUnheld([...unheld, ...alone], alone)) found.set(i, resource);
    const held = shared.flatMap((i) => (found.has(i) ? [[i, found.get(i)!] as const] : []));
    for (const [i, found] of held) {
      const merged = this.rewrite(mergeShared(found, i.resource));
      if (sameContent(found, merged)) this.record(i, { id: found.id!, ...version(found) });
      else entries.push(this.entry(i, `${i.type}/${found.id}`, merged, found.meta?.versionId));
    }
    for (const i of items.filter((i) => !i.shared)) entries.push(this.entry(i, i.key, this.rewrite(i.resource), this.known.get(i.key)?.versionId));

    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: entries };
    if (this.ctx.mode === 'transaction') for (const part of this.split(bundle)) await this.sendBundle(part);
    else if (this.ctx.mode === 'batch') for (const part of this.split(bundle)) await this.sendBundle({ ...part, type: 'batch' });
    else if (entries.length > 0) for (const part of splitTransaction(bundle, 1)) await this.sendOne(part.entry![0]!);

    // After the writes, so that nothing written refers to what goes.
    const leaving = toWithdraw(this.known.values(), new Set(items.map((i) => i.key)), change.sourceSystem);
    const { released, marked, requests } = leaving.length > 0 ? await withdraw(this.ctx, leaving) : { released: [], marked: [], requests: 0 };
    this.requests += requests;
    for (const r of released) this.known.delete(r.key);
    for (const r of marked) this.known.set(r.key, r);

    const patient = items.find((i) => i.type === 'Patient');
    const patientId = (patient && this.known.get(patient.key)?.id) ?? this.memory.patientId;
    return {
      mode: this.ctx.mode,
      requests: this.requests,
      resources: [...this.known.values()],
      ...(patientId ? { patientId } : {}),
      ...(released.length > 0 ? { released: released.map((r) => r.key) } : {}),
    };
  }

  /** The target's resource for a shared item by the id pont remembers for it, if any and the target still holds it. */
  private async readRemembered(i: Item): Promise<Resource | undefined> {
    const id = (i.type === 'Patient' ? this.memory.patientId : undefined) ?? this.known.get(i.key)?.id;
    return id === undefined ? undefined : await this.ctx.http.read(i.type, id);
  }

  private ambiguous(i: Item, matches: number): DeliveryError {
    return new DeliveryError(
      'DELIVERY_REFUSED',
      `target ${this.ctx.targetId}: ${matches} ${i.type} resources carry the identifier pont finds it by; which to update is for a person to settle`,
      false,
    );
  }

  /**
   * Shared items the target lacks (or, for those in `findOrCreate`, may lack), each written on
   * its own before the rest (what it refers to first), so that the rest refer to it by id and no
   * Bundle needs a conditional entry: servers hold transactions with conditional entries to far
   * fewer entries (medplum: 8). Gives back those a conditional create found the target holding.
   */
  private async createUnheld(unheld: readonly Item[], findOrCreate: ReadonlySet<Item>): Promise<Map<Item, Resource>> {
    const existing = new Map<Item, Resource>();
    const pending = [...unheld];
    while (pending.length > 0) {
      const waits = (i: Item): boolean => pending.some((p) => p !== i && referencesIn(i.resource).includes(p.fullUrl));
      const next = pending.find((i) => !waits(i)) ?? pending[0]!;
      pending.splice(pending.indexOf(next), 1);
      const resource = this.rewrite(next.resource);
      this.requests++;
      const outcome = findOrCreate.has(next) ? await this.findOrCreate(next, resource) : { created: await this.create(next, resource) };
      if ('held' in outcome) existing.set(next, outcome.held);
      else this.record(next, outcome.created);
      this.references.set(next.fullUrl, `${next.type}/${'held' in outcome ? outcome.held.id : outcome.created.id}`);
    }
    return existing;
  }

  private create(i: Item, resource: Resource): Promise<Written> {
    return this.ctx.capabilities.conditionalUpdate(i.type) ? this.ctx.http.put(i.key, resource) : this.ctx.http.create(resource, criteria(i));
  }

  /**
   * A conditional create: created, or the one resource the target holds. Where the answer does
   * not carry it, or more than one matched (412), the item is searched for as any other.
   */
  private async findOrCreate(i: Item, resource: Resource): Promise<{ created: Written } | { held: Resource }> {
    const answer = await this.ctx.http.findOrCreate(resource, criteria(i)).catch((err: unknown) => {
      if (err instanceof DeliveryError && err.code === 'DELIVERY_CONFLICT') return { existing: undefined };
      throw err;
    });
    if ('created' in answer) return answer;
    if (answer.existing) return { held: answer.existing };
    const matches = await this.ctx.http.search(i.key);
    if (matches.length > 1) throw this.ambiguous(i, matches.length);
    if (matches[0]) return { held: matches[0] };
    this.requests++;
    return { created: await this.create(i, resource) };
  }

  private entry(i: Item, url: string, resource: Resource, versionId?: string): BundleEntry {
    this.sentAs.set(url, i);
    return { fullUrl: i.fullUrl, resource, request: { method: 'PUT', url, ...(versionId ? { ifMatch: `W/"${versionId}"` } : {}) } };
  }

  /** The resource with references to entries of known target id as `Type/id`. */
  private rewrite(resource: Resource): Resource {
    return visitReferences(resource, (r) => this.references.get(r) ?? r) as Resource;
  }

  private split(bundle: Bundle): Bundle[] {
    if (!bundle.entry?.length) return [];
    return this.ctx.maxEntries === undefined ? [bundle] : splitTransaction(bundle, this.ctx.maxEntries);
  }

  private record(i: Item, written: Written): void {
    this.known.set(i.key, {
      key: i.key,
      resourceType: i.type,
      id: written.id,
      ...(written.versionId ? { versionId: written.versionId } : {}),
      ...(i.shared || this.sourceSystem === undefined ? {} : { sourceSystem: this.sourceSystem }),
    });
  }

  private async sendBundle(bundle: Bundle): Promise<void> {
    this.requests++;
    let pending = bundle.entry!;
    for (let round = 1; ; round++) {
      let answer: Bundle;
      try {
        answer = await this.ctx.http.bundle({ ...bundle, entry: pending });
      } catch (err) {
        if (err instanceof DeliveryError && err.code === 'DELIVERY_REFUSED') bundleRefusals.add(err);
        if (!(err instanceof DeliveryError && err.code === 'DELIVERY_CONFLICT') || round === CONFLICT_ROUNDS) throw err;
        // A transaction is refused whole: every entry that carried If-Match is read again.
        pending = await Promise.all(pending.map((e) => (e.request?.ifMatch ? this.reread(e) : e)));
        continue;
      }
      const conflicts: BundleEntry[] = [];
      let failure: unknown;
      pending.forEach((e, n) => {
        const response = answer.entry?.[n]?.response;
        const status = Number.parseInt(response?.status ?? '', 10);
        if (status >= 200 && status < 300) this.record(this.sentAs.get(e.request!.url)!, fromResponse(answer.entry![n]!));
        else if (status === 412 || (e.request?.ifMatch && (status === 404 || status === 410))) conflicts.push(e);
        else
          failure ??= deliveryFailure(
            { response: { status: Number.isNaN(status) ? 500 : status, data: response?.outcome } },
            this.ctx.targetId,
            `${bundle.type} entry ${e.request!.method} ${e.resource?.resourceType}`,
            this.ctx.now(),
          );
      });
      if (failure) throw failure;
      if (conflicts.length === 0) return;
      if (round === CONFLICT_ROUNDS) throw this.conflict();
      pending = await Promise.all(conflicts.map((e) => this.reread(e)));
    }
  }

  private async sendOne(entry: BundleEntry): Promise<void> {
    this.requests++;
    for (let round = 1; ; round++) {
      try {
        this.record(this.sentAs.get(entry.request!.url)!, await this.ctx.http.put(entry.request!.url, entry.resource!, entry.request!.ifMatch));
        return;
      } catch (err) {
        if (!(err instanceof DeliveryError && err.code === 'DELIVERY_CONFLICT')) throw err;
        if (round === CONFLICT_ROUNDS) throw this.conflict(err);
        entry = await this.reread(entry);
      }
    }
  }

  /** The entry again after a 412: with the version the target now holds, and for a shared resource merged with it afresh. */
  private async reread(entry: BundleEntry): Promise<BundleEntry> {
    const i = this.sentAs.get(entry.request!.url)!;
    const id = entry.request!.url.slice(entry.request!.url.indexOf('/') + 1);
    const current = await this.ctx.http.read(i.type, id);
    const resource = i.shared && current ? this.rewrite(mergeShared(current, i.resource)) : entry.resource;
    const { ifMatch: _stale, ...request } = entry.request!;
    return { ...entry, resource, request: { ...request, ...(current?.meta?.versionId ? { ifMatch: `W/"${current.meta.versionId}"` } : {}) } } as BundleEntry;
  }

  private conflict(cause?: unknown): DeliveryError {
    return new DeliveryError(
      'DELIVERY_CONFLICT',
      `target ${this.ctx.targetId}: resources kept changing at the target through ${CONFLICT_ROUNDS} rounds of If-Match`,
      true,
      undefined,
      { cause },
    );
  }
}

function item(entry: BundleEntry, index: number): Item {
  const url = entry.request?.url;
  if (!url || !entry.resource || !entry.fullUrl) throw new Error(`entry ${index} of the change's Bundle lacks its request URL, resource or fullUrl`);
  return { key: url, type: entry.resource.resourceType, fullUrl: entry.fullUrl, resource: entry.resource, shared: url.includes('?') };
}

/** A shared item's criteria without the type, for If-None-Exist. */
function criteria(i: Item): string {
  return i.key.slice(i.key.indexOf('?') + 1);
}

function version(resource: Resource): { versionId?: string } {
  return resource.meta?.versionId ? { versionId: resource.meta.versionId } : {};
}

/** The target's id and version of an entry it wrote, from a transaction or batch answer. */
function fromResponse(entry: BundleEntry): Written {
  const location = parseLocation(entry.response?.location);
  const id = entry.resource?.id ?? location?.id;
  if (id === undefined) throw new Error('the target answered a Bundle entry without the id of what it wrote');
  const versionId = parseEtag(entry.response?.etag) ?? location?.versionId ?? entry.resource?.meta?.versionId;
  return versionId === undefined ? { id } : { id, versionId };
}
