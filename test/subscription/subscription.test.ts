/**
 * Subscriptions, without I/O: the R4 resource as pont reads it, criteria, where a change goes
 * among subscriptions (the routing rules, consent gate and minimum necessary of configured
 * targets), and what a rest-hook payload carries. Changes are the examples, converted by the core.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSubscriptions, prepareForSubscription } from '../../src/app/subscription-plan.js';
import { recipientOf } from '../../src/app/subscriptions.js';
import { carePlanResources } from '../../src/delivery/rest-hook/care-plan-resources.js';
import { RequestError } from '../../src/errors/errors.js';
import { referencesIn } from '../../src/fhir/bundle.js';
import type { StoredSubscription, SubscriptionRecipient } from '../../src/ports/subscriptions.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { matchesCriteria, parseCriteria } from '../../src/subscription/criteria.js';
import { readSubscription, toResource } from '../../src/subscription/resource.js';
import { ROOT, testRuntime } from '../helpers/runtime.js';
import { sampleSubscription } from '../helpers/subscriptions.js';

const NOW = new Date('2026-03-01T10:00:00Z');
const core = testRuntime();
const reference = { healthBoards: core.measureDeps.healthBoards };

function converted(name: string): { record: CtpRecord; bundle: Bundle } {
  const text = readFileSync(join(ROOT, 'examples/ctp', name), 'utf8');
  const [result] = core.check([{ origin: name, source: 'ctp', text }], {}).results;
  return { record: result!.record as CtpRecord, bundle: result!.bundle as Bundle };
}
/** Registered at W99001, lives in Cardiff (7A4), agreed to sharing with both. */
const adult = converted('adult-all-eight-areas.json');
/** Registered at W99004, lives in Newport (7A6); declined sharing with W99004. */
const carers = converted('carers-declined-copies.json');

const patientOf = (bundle: Bundle) => bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!;
const patientId = (bundle: Bundle) => patientOf(bundle).fullUrl!.replace('urn:uuid:', '');
const nhsOf = (record: CtpRecord) => record.patient!.nhsNumber as string;

const valid = sampleSubscription();

const subscription = (recipient: SubscriptionRecipient, criteria = 'CarePlan', id = 'a'): StoredSubscription => ({
  id,
  clientId: 'c',
  status: 'active',
  versionId: 1,
  recipient,
  criteria,
  endpoint: 'https://x.example',
  headers: [],
  reason: 'r',
  createdAt: NOW,
  updatedAt: NOW,
});

describe('the Subscription resource', () => {
  it('takes a rest-hook subscription asked for as requested and makes it active at once (R4 has no handshake)', () => {
    const read = readSubscription(valid, NOW);
    expect(read).toEqual({
      ok: true,
      status: 'active',
      definition: {
        criteria: 'CarePlan',
        endpoint: 'https://gp.example/fhir',
        payload: 'application/fhir+json',
        headers: ['Authorization: Bearer abc'],
        reason: valid.reason,
      },
    });
    expect(readSubscription({ ...valid, status: 'off', end: '2027-01-01T00:00:00Z' }, NOW)).toMatchObject({
      ok: true,
      status: 'off',
      definition: { end: new Date('2027-01-01T00:00:00Z') },
    });
    const { payload: _p, header: _h, ...bare } = valid.channel;
    expect(readSubscription({ ...valid, channel: { ...bare, endpoint: 'http://localhost:8080/hook' } }, NOW)).toMatchObject({ ok: true, definition: { headers: [] } });
  });

  it.each([
    ['status', { status: 'active' }],
    ['status', { status: undefined }],
    ['reason', { reason: '' }],
    ['criteria', { criteria: undefined }],
    ['criteria', { criteria: 'Patient' }],
    ['criteria', { criteria: 'CarePlan?encounter=Encounter/1' }],
    ['criteria', { criteria: 'CarePlan?status=finished' }],
    ['end', { end: '2020-01-01T00:00:00Z' }],
    ['end', { end: '2027-01-01' }],
    ['channel', { channel: undefined }],
    ['channel.type', { channel: { ...valid.channel, type: 'websocket' } }],
    ['channel.endpoint', { channel: { ...valid.channel, endpoint: 'http://gp.example/hook' } }],
    ['channel.endpoint', { channel: { ...valid.channel, endpoint: 'https://user:pw@gp.example/hook' } }],
    ['channel.endpoint', { channel: { ...valid.channel, endpoint: undefined } }],
    ['channel.payload', { channel: { ...valid.channel, payload: 'application/fhir+xml' } }],
    ['channel.header[0]', { channel: { ...valid.channel, header: ['no colon'] } }],
    ['channel.header[1]', { channel: { ...valid.channel, header: ['X-Ok: 1', 'Host: evil.example'] } }],
    ['channel.header[0]', { channel: { ...valid.channel, header: ['X-Bad: a\r\nInjected: b'] } }],
  ])('refuses a Subscription with a wrong %s, naming the element', (element, changes) => {
    const read = readSubscription({ ...valid, ...changes }, NOW);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.issues.map((i) => i.expression)).toEqual([[`Subscription.${element}`]]);
  });

  it('names every problem at once, and refuses what is not a Subscription', () => {
    const read = readSubscription({ resourceType: 'Subscription', channel: { type: 'email' } }, NOW);
    expect(!read.ok && read.issues.map((i) => i.expression?.[0])).toEqual([
      'Subscription.status',
      'Subscription.reason',
      'Subscription.criteria',
      'Subscription.channel.type',
      'Subscription.channel.endpoint',
    ]);
    expect(readSubscription({ resourceType: 'Patient' }, NOW).ok).toBe(false);
    expect(readSubscription([], NOW).ok).toBe(false);
  });

  it('lets a client send back the status pont set, on an update only', () => {
    expect(readSubscription({ ...valid, status: 'active' }, NOW, 'active')).toMatchObject({ ok: true, status: 'active' });
    expect(readSubscription({ ...valid, status: 'error' }, NOW, 'error')).toMatchObject({ ok: true, status: 'error' });
    expect(readSubscription({ ...valid, status: 'error' }, NOW, 'active').ok).toBe(false);
    expect(readSubscription({ ...valid, status: 'requested' }, NOW, 'error')).toMatchObject({ ok: true, status: 'active' });
  });

  it('never quotes a criteria value or a header in what it says', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6 }).filter((v) => /^[A-Za-z0-9]+$/.test(v)),
        fc.constantFrom('encounter', 'patient', 'status', 'date'),
        (secret, name) => {
          const read = readSubscription({ ...valid, criteria: `CarePlan?${name}=${secret}/x`, channel: { ...valid.channel, header: [`${secret}`] } }, NOW);
          expect(read.ok).toBe(false);
          expect(JSON.stringify(!read.ok && read.issues)).not.toContain(secret);
        },
      ),
    );
  });

  it('gives the stored subscription back as an R4 Subscription that pont reads as it was', () => {
    const read = readSubscription({ ...valid, end: '2027-01-01T00:00:00.000Z' }, NOW);
    if (!read.ok) throw new Error('refused');
    const stored = { ...subscription({ kind: 'gp-practice', code: 'W99001' }), ...read.definition, status: read.status };
    const resource = toResource(stored);
    expect(resource).toMatchObject({ resourceType: 'Subscription', id: 'a', status: 'active', end: '2027-01-01T00:00:00.000Z', meta: { versionId: '1' } });
    expect(readSubscription(resource, NOW, 'active')).toEqual({ ok: true, status: 'active', definition: read.definition });
  });
});

describe('criteria', () => {
  const matches = (criteria: string, bundle: Bundle) => {
    const parsed = parseCriteria(criteria);
    if (!('criteria' in parsed)) throw new Error(parsed.issue.diagnostics);
    return matchesCriteria(parsed.criteria, bundle);
  };

  it('select the changes holding a matching CarePlan', () => {
    expect(matches('CarePlan', adult.bundle)).toBe(true);
    expect(matches(`CarePlan?patient=Patient/${patientId(adult.bundle)}`, adult.bundle)).toBe(true);
    expect(matches(`CarePlan?subject=${patientId(adult.bundle)}`, adult.bundle)).toBe(true);
    expect(matches(`CarePlan?patient=${patientId(carers.bundle)}`, adult.bundle)).toBe(false);
    expect(matches(`CarePlan?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${nhsOf(adult.record)}`, adult.bundle)).toBe(true);
    expect(matches(`CarePlan?patient:identifier=${nhsOf(carers.record)}`, adult.bundle)).toBe(false);
    expect(matches('CarePlan?category=http://snomed.info/sct|718347000', adult.bundle)).toBe(true);
    expect(matches('CarePlan?category=https%3A%2F%2Ffhir.pont.wales%2FCodeSystem%2Fpont-ctp%7Cctp', adult.bundle)).toBe(true);
    expect(matches('CarePlan?category=|718347000', adult.bundle)).toBe(false);
    expect(matches('CarePlan?category=other,718347000&status=active,draft,completed,revoked', adult.bundle)).toBe(true);
    expect(matches('CarePlan?category=718347000&status=entered-in-error', adult.bundle)).toBe(false);
  });

  it('select nothing in a change without a CarePlan', () => {
    const withoutPlans: Bundle = { ...adult.bundle, entry: adult.bundle.entry!.filter((e) => e.resource?.resourceType !== 'CarePlan') };
    expect(matches('CarePlan', withoutPlans)).toBe(false);
  });

  it('refuse any other resource type or parameter, naming Subscription.criteria', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseCriteria(text);
        if ('criteria' in parsed) expect(text === 'CarePlan' || text.startsWith('CarePlan?')).toBe(true);
        else expect(parsed.issue.expression).toEqual(['Subscription.criteria']);
      }),
    );
    for (const bad of ['CarePlan?', 'CarePlan?patient=', 'CarePlan?_has:x=1', 'CarePlan?a=1?b=2', 'CarePlan?category=%E0%A4%A']) {
      if (bad === 'CarePlan?') expect('criteria' in parseCriteria(bad)).toBe(true);
      else expect('issue' in parseCriteria(bad)).toBe(true);
    }
  });
});

describe('where a change goes among subscriptions', () => {
  const gp = (code: string, criteria?: string) => subscription({ kind: 'gp-practice', code }, criteria, `gp-${code}`);
  const plan = (subs: StoredSubscription[], change: { record: CtpRecord; bundle: Bundle }, from = 'epr-x') =>
    planSubscriptions(subs, reference, change.record, from, change.bundle);

  it("sends a GP system its registered patients' changes only", () => {
    expect(plan([gp('W99001'), gp('W99002')], adult)).toEqual([{ targetId: 'subscription/gp-W99001' }]);
    expect(plan([gp('W99001')], carers)).toEqual([]);
  });

  it('holds a change the person declined to share with the practice', () => {
    expect(plan([gp('W99004')], carers)).toEqual([{ targetId: 'subscription/gp-W99004', held: 'consent-declined' }]);
  });

  it('sends a source EPR the people its health board serves, never its own change back', () => {
    const epr = subscription({ kind: 'health-board', code: '7A4', source: 'epr-x' }, 'CarePlan', 'epr');
    expect(plan([epr], adult, 'epr-y')).toEqual([{ targetId: 'subscription/epr' }]);
    expect(plan([epr], adult, 'epr-x')).toEqual([]);
    expect(plan([epr], carers, 'epr-y')).toEqual([]); // lives and is cared for in Newport (7A6)
  });

  it("sends only what the criteria select, and nothing without the version's Bundle", () => {
    expect(plan([gp('W99001', `CarePlan?patient:identifier=${nhsOf(carers.record)}`)], adult)).toEqual([]);
    expect(plan([gp('W99001', `CarePlan?patient:identifier=${nhsOf(adult.record)}`)], adult)).toHaveLength(1);
    expect(planSubscriptions([gp('W99001')], reference, adult.record, 'epr-x', undefined)).toEqual([]);
  });

  it("gives a GP system the minimum necessary, as a configured practice's target", () => {
    const types = new Set<string>(prepareForSubscription(gp('W99001'), adult.bundle).entry!.map((e) => e.resource!.resourceType));
    expect(types.has('CarePlan')).toBe(true);
    for (const type of ['Encounter', 'EpisodeOfCare', 'Communication', 'RelatedPerson']) expect(types.has(type), type).toBe(false);
    const board = subscription({ kind: 'health-board', code: '7A4' });
    expect(prepareForSubscription(board, adult.bundle).entry).toHaveLength(adult.bundle.entry!.length);
  });
});

describe('a rest-hook payload', () => {
  const resources = carePlanResources(prepareForSubscription(subscription({ kind: 'gp-practice', code: 'W99001' }), adult.bundle));
  const keys = resources.map((r) => `${r.resourceType}/${r.id}`);

  it('holds each CarePlan and what it refers to, each with an id, and nothing else', () => {
    expect(resources.filter((r) => r.resourceType === 'CarePlan')).toHaveLength(adult.bundle.entry!.filter((e) => e.resource?.resourceType === 'CarePlan').length);
    expect(keys).toContain(`Patient/${patientId(adult.bundle)}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const type of ['Provenance', 'Encounter', 'Consent']) expect(resources.some((r) => r.resourceType === type)).toBe(false);
  });

  it('refers by Type/id to resources sent before the ones referring to them', () => {
    resources.forEach((resource: Resource, i) => {
      for (const reference of referencesIn(resource)) {
        expect(reference.startsWith('urn:uuid:'), reference).toBe(false);
        const at = keys.indexOf(reference);
        if (at >= 0 && reference !== `${resource.resourceType}/${resource.id}`) expect(at, `${keys[i]} → ${reference}`).toBeLessThan(i);
      }
    });
  });
});

describe('who may subscribe', () => {
  it('a GP system by its practice, a source EPR by its health board (or a site of it) with its source', () => {
    expect(recipientOf({ id: 'c', role: 'gp-system', organisation: ' w99001 ' })).toEqual({ kind: 'gp-practice', code: 'W99001' });
    expect(recipientOf({ id: 'c', role: 'source-epr', organisation: '7A4BV', source: 'epr-a' })).toEqual({ kind: 'health-board', code: '7A4', source: 'epr-a' });
  });

  it.each([
    { id: 'c', role: 'gp-system' },
    { id: 'c', role: 'gp-system', organisation: '7A4' },
    { id: 'c', role: 'source-epr', organisation: 'W99001' },
    { id: 'c', role: 'regulator' },
    { id: 'c', role: 'admin', organisation: 'W99001' },
  ])('not %j', (caller) => {
    const error = (() => {
      try {
        return recipientOf(caller);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).code).toBe('REQUEST_FORBIDDEN');
  });
});
