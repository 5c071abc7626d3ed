/**
 * Every vendor example parses, maps to a valid canonical record, and carries the same key facts
 * as the canonical example of its scenario in examples/ctp/.
 */
import { describe, expect, it } from 'vitest';
import { checkIntegrity } from '../../src/record/integrity.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { recordSchema } from '../../src/record/record.schema.js';
import { parseSource, SOURCE_NAMES } from '../../src/sources/index.js';
import { canonicalExample, exampleText, mappingFor, mapSource, SCENARIOS } from './helpers.js';

/** The facts a vendor format must not lose: identity, plan structure, areas, agreement, copies, reviews, Part 3. */
function keyFacts(record: CtpRecord) {
  return {
    nhsNumber: record.patient?.nhsNumber,
    dateOfBirth: record.patient?.dateOfBirth,
    family: record.patient?.names?.[0]?.family,
    planVersions: (record.plans ?? []).map((plan) => ({
      version: plan.version,
      status: plan.status,
      changeType: plan.changeType,
      madeOn: plan.madeOn,
      reviewBy: plan.reviewBy,
      agreement: plan.agreement?.statement,
      agreementReasons: plan.agreement?.reasons,
      views: plan.patientViews?.status,
      outcomes: (plan.outcomes ?? []).map((outcome) => ({
        description: outcome.description,
        areas: (outcome.areas ?? []).map((a) => a.area),
        otherAreas: (outcome.areas ?? []).flatMap((a) => (a.otherArea ? [a.otherArea] : [])),
        achievement: outcome.achievement,
        actions: (outcome.actions ?? []).map((action) => ({
          description: action.description,
          status: action.status,
          whoBy: (action.whoBy ?? []).map((w) => w.kind),
        })),
      })),
      copies: (plan.copies ?? []).map((copy) => ({ role: copy.recipientRole, recipient: copy.recipient.kind, status: copy.status, date: copy.date })),
      crisisContacts: plan.crisisPlan?.contacts?.length ?? 0,
    })),
    reviews: (record.reviews ?? []).map((r) => ({ trigger: r.trigger, planVersion: r.planVersion, decision: r.request?.decision, dueBy: r.dueBy, heldOn: r.heldOn })),
    part3: (record.part3Requests ?? []).map((p) => ({ status: p.status, requester: p.requester, eligibility: p.eligibility?.decision, instant: Date.parse(p.receivedAt) })),
    episodes: (record.episodes ?? []).map((e) => ({ status: e.status, acceptedOn: e.acceptedOn, discharge: e.discharge?.kind })),
  };
}

describe.each(SOURCE_NAMES)('%s examples', (source) => {
  it.each(SCENARIOS)('%s maps to a valid record with the key facts of examples/ctp', (scenario) => {
    const documents = parseSource(source, exampleText(source, scenario), `${scenario}`);
    expect(documents).toHaveLength(1);
    const { document } = mappingFor(source).toDocument(documents[0]);
    const schema = recordSchema.safeParse(document);
    expect(schema.success, JSON.stringify(schema.error?.issues.slice(0, 5))).toBe(true);
    expect(checkIntegrity(schema.data!)).toEqual([]);

    const [record] = mapSource(source, exampleText(source, scenario), scenario);
    const canonical = canonicalExample(scenario);
    expect(keyFacts(record!)).toEqual(keyFacts(canonical));
  });

  it('maps with a trace naming the mapping rules', () => {
    const [document] = parseSource(source, exampleText(source, 'plan-not-agreed'), 'plan-not-agreed');
    const { trace } = mappingFor(source).toDocument(document, { trace: true });
    const agreement = trace.find((t) => t.path === 'plans[0].agreement.statement');
    expect(agreement?.rule).toBe(`${source}-to-ctp:agreement`);
  });
});

describe('carepath-json carries the whole canonical example', () => {
  it.each(SCENARIOS)('%s: every collection has the same number of entries', (scenario) => {
    const [record] = mapSource('carepath-json', exampleText('carepath-json', scenario), scenario);
    const canonical = canonicalExample(scenario);
    const sizes = (r: CtpRecord) =>
      Object.fromEntries(
        (
          [
            'organisations',
            'practitioners',
            'relatedPeople',
            'careTeam',
            'episodes',
            'coordinatorAppointments',
            'diagnoses',
            'plans',
            'reviews',
            'encounters',
            'part3Requests',
          ] as const
        ).map((k) => [k, r[k]?.length ?? 0]),
      );
    expect(sizes(record!)).toEqual(sizes(canonical));
    // Texts that only a lossless format keeps.
    const texts = (r: CtpRecord) =>
      (r.plans ?? []).flatMap((p) => (p.outcomes ?? []).flatMap((o) => [...(o.areas ?? []).map((a) => a.explanation), ...(o.milestones ?? []).map((m) => m.description)]));
    expect(texts(record!)).toEqual(texts(canonical));
    expect(record!.plans?.map((p) => p.relapseSignatures)).toEqual(canonical.plans?.map((p) => p.relapseSignatures));
  });
});

describe('several people in one file', () => {
  it('carepath-json: { exportMeta, clients: [...] } gives one record per client', () => {
    const a = JSON.parse(exampleText('carepath-json', 'adult-all-eight-areas')) as Record<string, unknown>;
    const b = JSON.parse(exampleText('carepath-json', 'part3-self-referral')) as Record<string, unknown>;
    const client = ({ exportMeta: _meta, ...rest }: Record<string, unknown>) => rest;
    const text = JSON.stringify({ exportMeta: a.exportMeta, clients: [client(a), client(b)] });
    const records = mapSource('carepath-json', text);
    expect(records.map((r) => r.patient?.nhsNumber)).toEqual([
      canonicalExample('adult-all-eight-areas').patient?.nhsNumber,
      canonicalExample('part3-self-referral').patient?.nhsNumber,
    ]);
  });

  it('wpas-csv: rows are grouped by PATIENT_ID', () => {
    const [header, ...first] = exampleText('wpas-csv', 'plan-not-agreed').trimEnd().split('\r\n');
    const [, ...second] = exampleText('wpas-csv', 'revised-plan-after-review').trimEnd().split('\r\n');
    // Interleave the two patients' rows: grouping must not depend on order.
    const rows = [...first, ...second].sort();
    const records = mapSource('wpas-csv', [header, ...rows].join('\n'));
    expect(records.map((r) => r.patient?.nhsNumber).sort()).toEqual(
      [canonicalExample('plan-not-agreed').patient?.nhsNumber, canonicalExample('revised-plan-after-review').patient?.nhsNumber].sort(),
    );
    const revised = records.find((r) => r.patient?.nhsNumber === canonicalExample('revised-plan-after-review').patient?.nhsNumber)!;
    expect(revised.plans?.map((p) => p.version)).toEqual([1, 2, 3]);
  });
});
