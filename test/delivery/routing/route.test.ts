/**
 * route: which configured targets a record version goes to or is held from. Targets are parsed
 * by the configuration schema, as at start-up; records are the examples, the minimal record and
 * generated ones (test/helpers/arbitraries.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DELIVERABLE_TYPES, syncConfigSchema, type TargetConfig } from '../../../src/config/sync-config.schema.js';
import type { SharingDecision } from '../../../src/delivery/routing/consent.js';
import { defaultResources } from '../../../src/delivery/routing/minimum-necessary.js';
import { recipientsOf } from '../../../src/delivery/routing/recipients.js';
import { type Routing, route } from '../../../src/delivery/routing/route.js';
import type { CtpRecord } from '../../../src/record/record.schema.js';
import { ctpRecord } from '../../helpers/arbitraries.js';
import { minimalRecord } from '../../helpers/minimal-record.js';
import { testRuntime } from '../../helpers/runtime.js';

const reference = { healthBoards: testRuntime().measureDeps.healthBoards };
const none = { type: 'none' } as const;
const targets = (...records: Record<string, unknown>[]): TargetConfig[] =>
  syncConfigSchema.parse({ targets: records.map((r, i) => ({ id: `t${i}`, kind: 'fhir', baseUrl: `https://t${i}.example`, auth: none, ...r })) }).targets;
const gp = (code: string, extra: Record<string, unknown> = {}) => ({ records: { gpPractice: code }, ...extra });
const board = (code: string, extra: Record<string, unknown> = {}) => ({ records: { healthBoard: code }, ...extra });
const regulator = (extra: Record<string, unknown> = {}) => ({ records: { all: true }, ...extra });

const routeOf = (record: CtpRecord, to: TargetConfig[], decisions: SharingDecision[] = []) => route(to, record, recipientsOf(record, reference), decisions);
const summary = (routings: Routing[]) => routings.map((r) => [r.target.id, r.action === 'send' ? 'send' : r.reason, r.entitlement]);

/** The minimal record (registered at W99001, services from 7A4), resident in Newport (7A6). */
const inNewport = () => {
  const record = minimalRecord();
  record.patient!.localAuthorityOfResidence = 'W06000022';
  return record;
};

describe('route: who is entitled', () => {
  it('sends to the registered practice only, to the boards of residence and care, and to the regulator; other targets are not listed', () => {
    const to = targets(gp('W99001'), gp('W99002'), board('7A4'), board('7A6'), board('7A1'), regulator());
    expect(summary(routeOf(inNewport(), to))).toEqual([
      ['t0', 'send', ['registered-practice']],
      ['t2', 'send', ['under-care']],
      ['t3', 'send', ['resident']],
      ['t5', 'send', ['statutory-feed']],
    ]);
  });

  it('names both entitlements when the board of residence is also the board of care', () => {
    const record = minimalRecord();
    record.patient!.localAuthorityOfResidence = 'W06000015';
    expect(summary(routeOf(record, targets(board('7A4'))))).toEqual([['t0', 'send', ['resident', 'under-care']]]);
  });

  it('sends to no practice when the registered practice cannot be resolved', () => {
    const record = minimalRecord();
    delete record.organisations![2]!.odsCode;
    expect(routeOf(record, targets(gp('W99001'), gp('W99002')))).toEqual([]);
  });

  it('never sends a generated record to a practice other than the one the person is registered with (property)', () => {
    const practices = ['W99001', 'W99002', 'W99003', 'W99004', 'W99005', 'W99006'];
    const to = targets(...practices.map((p) => gp(p)));
    fc.assert(
      fc.property(ctpRecord(), (record) => {
        const registered = record.organisations?.find((o) => o.id === record.patient?.registeredGpPractice)?.odsCode;
        const sentTo = routeOf(record, to).map((r) => (r.target.records as { gpPractice: string }).gpPractice);
        expect(sentTo).toEqual(registered !== undefined && practices.includes(registered) ? [registered] : []);
      }),
      { numRuns: 40 },
    );
  });
});

describe('route: the consent gate', () => {
  const declined = (odsCode: string, kind: SharingDecision['recipient']['kind'] = 'gp-practice'): SharingDecision => ({
    recipient: { kind, odsCode },
    decision: 'declined',
    recordedOn: '2025-05-01',
  });

  it('holds, and lists, a practice the person declined sharing with; others still go', () => {
    const routings = routeOf(inNewport(), targets(gp('W99001'), board('7A4')), [declined('W99001')]);
    expect(routings).toMatchObject([
      { action: 'hold', reason: 'consent-declined', decidedBy: { kind: 'sharing-decision', odsCode: 'W99001', decision: 'declined', recordedOn: '2025-05-01' } },
      { action: 'send' },
    ]);
  });

  it('holds a target when the person declined sharing with the organisation it belongs to', () => {
    const routings = routeOf(inNewport(), targets(board('7A6', { organisation: '7A6AB' })), [declined('7A6AB', 'organisation')]);
    expect(summary(routings)).toEqual([['t0', 'consent-declined', ['resident']]]);
  });

  it('holds every practice and board target when the person declined all information sharing, and a partial agreement holds those not agreed by name', () => {
    const record = inNewport();
    record.patient!.informationSharing = { status: 'declined', recordedOn: '2025-03-01' };
    const to = targets(gp('W99001'), board('7A4'), board('7A6'));
    expect(routeOf(record, to).map((r) => r.action)).toEqual(['hold', 'hold', 'hold']);
    record.patient!.informationSharing = { status: 'partly-agreed', recordedOn: '2025-03-01' };
    const agreedGp: SharingDecision = { recipient: { kind: 'gp-practice', odsCode: 'W99001' }, decision: 'agreed', recordedOn: '2025-03-01' };
    expect(summary(routeOf(record, to, [agreedGp]))).toEqual([
      ['t0', 'send', ['registered-practice']],
      ['t1', 'consent-partly-agreed', ['under-care']],
      ['t2', 'consent-partly-agreed', ['resident']],
    ]);
  });

  it('does not apply to a regulator’s feed (statutory returns), even against a decline about the feed’s own organisation', () => {
    const record = inNewport();
    record.patient!.informationSharing = { status: 'declined', recordedOn: '2025-03-01' };
    const routings = routeOf(record, targets(regulator({ organisation: 'WG1' })), [declined('WG1', 'organisation')]);
    expect(routings).toMatchObject([{ action: 'send', entitlement: ['statutory-feed'], decidedBy: { kind: 'none' } }]);
  });

  it('never sends a generated record to its practice when the latest decision about the practice is a decline (property)', () => {
    fc.assert(
      fc.property(ctpRecord(), fc.constantFrom('W99001', 'W99002', 'W99003', 'W99004', 'W99005', 'W99006'), (record, practice) => {
        const routings = routeOf(record, targets(gp(practice)), [{ recipient: { kind: 'gp-practice', odsCode: practice }, decision: 'declined', recordedOn: '2099-01-01' }]);
        expect(routings.filter((r) => r.action === 'send')).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

describe('route: what each target receives', () => {
  it('gives a practice the GP’s default types, a board and a regulator every type, and a target that lists its own resources those', () => {
    const to = targets(gp('W99001'), board('7A4'), regulator(), board('7A4', { resources: ['Patient', 'CarePlan'] }));
    const resources = routeOf(minimalRecord(), to).map((r) => (r.action === 'send' ? r.resources : []));
    expect(resources).toEqual([defaultResources('gp-practice'), DELIVERABLE_TYPES, DELIVERABLE_TYPES, ['Patient', 'CarePlan']]);
    expect(defaultResources('gp-practice')).not.toContain('Encounter');
  });

  it('gives a non-FHIR target its recipient kind’s default types', () => {
    const [http] = syncConfigSchema.parse({
      targets: [{ id: 'epr', kind: 'http', url: 'https://epr.example', auth: none, mapping: 'ctp-to-carepath-json', records: { gpPractice: 'W99001' } }],
    }).targets;
    expect(routeOf(minimalRecord(), [http!])).toMatchObject([{ action: 'send', resources: defaultResources('gp-practice') }]);
  });
});
