import { describe, expect, it } from 'vitest';
import { exampleFiles, testRuntime } from '../helpers/runtime.js';

describe('lossless round trip: record → FHIR → record', () => {
  const { pipeline } = testRuntime();
  for (const example of exampleFiles()) {
    it(`${example.path} comes back exactly`, () => {
      const results = pipeline.convert(example.source, example.text, example.path);
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) {
        expect(r.record, JSON.stringify(r.issues)).toBeDefined();
        expect(r.bundle, JSON.stringify(r.issues)).toBeDefined();
        const back = pipeline.reverse(JSON.stringify(r.bundle), `${example.path} (bundle)`);
        expect(back.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(back.record).toEqual(r.record);
      }
    });
  }
});

describe('lossless round trip of the compliance test record and its variants', () => {
  const { pipeline } = testRuntime();
  it('keeps what the source holds, mistakes included (issue 11): every new code and field comes back', async () => {
    const { compliantRecord, formerUser, variant } = await import('../compliance/helpers.js');
    const record = variant((r) => {
      Object.assign(r.coordinatorAppointments![0]!, {
        profession: 'other',
        professionText: 'Peer support worker',
        absences: [{ start: '2021-06-01', end: '2021-07-15' }, { start: '2022-03-01' }],
      });
      r.encounters = [
        { id: 'e1', kind: 'contact', status: 'cancelled', start: '2025-02-03T10:00:00Z', cancellation: { by: 'service', personToldAt: '2025-02-03T09:45:00Z' } },
        { id: 'e2', kind: 'contact', status: 'cancelled', start: '2025-02-10', cancellation: { by: 'patient' } },
      ];
      r.plans![0]!.agreement = { statement: 'both-marked' };
      r.reviews!.push(
        { id: 'rv2', plan: 'plan', heldOn: '2022-05-25', summary: 'S' },
        { id: 'rv3', plan: 'plan', trigger: 'other', request: { receivedOn: '2022-05-21', requestedBy: 'other' }, heldOn: '2022-05-27', summary: 'S' },
      );
      r.plans![0]!.copies![2]!.method = 'portal';
      r.patient!.informationSharing = { status: 'not-ascertainable', recordedOn: '2025-01-20' };
      r.part3Requests = [
        {
          ...r.part3Requests![0]!,
          requester: 'carer',
          requesterPerson: 'carer',
          eligibility: { decision: 'ineligible', frivolousOrVexatious: true, reason: 'R', decidedOn: '2025-05-02', decidedBy: 'cc', groundsGivenOn: '2025-05-03' },
          assessment: { concludedOn: '2025-05-16', assessor: 'cc' },
          report: { providedOn: '2025-05-20', method: 'email' },
        },
        { id: 'p3b', receivedAt: '2025-06-01', requester: 'professional', status: 'received' },
        {
          id: 'p3c',
          receivedAt: '2025-05-02T10:00:00+01:00',
          requester: 'self',
          status: 'completed',
          assessment: { concludedOn: '2025-05-16', assessor: 'cc' },
          report: { providedOn: '2025-05-20' },
        },
      ];
    }, formerUser({}));
    expect(compliantRecord().coordinatorAppointments![0]!.profession).toBe('nurse-mental-health');
    const { bundle, issues } = pipeline.toBundle(record);
    expect(bundle, JSON.stringify(issues)).toBeDefined();
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(pipeline.reverse(JSON.stringify(bundle), 'bundle').record).toEqual(record);
  });

  it('keeps an outcome recorded without its description (R4 Goal.description 1..1: data-absent-reason)', async () => {
    const { compliantRecord, variant } = await import('../compliance/helpers.js');
    const record = variant((r) => {
      delete (r.plans![0]!.outcomes![0] as { description?: string }).description;
    }, compliantRecord());
    const { bundle, issues } = pipeline.toBundle(record);
    expect(bundle, JSON.stringify(issues)).toBeDefined();
    const goals = bundle!.entry!.map((e) => e.resource!).filter((r) => r.resourceType === 'Goal');
    const absent = goals.filter((g) => (g as { description: { text?: string } }).description.text === undefined);
    expect(absent).toHaveLength(1);
    expect((absent[0] as { description: { extension?: unknown[] } }).description.extension).toEqual([
      { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' },
    ]);
    expect(pipeline.reverse(JSON.stringify(bundle), 'bundle').record).toEqual(record);
  });

  it('keeps a plan outside the Measure outside it: no CTP category written, so it is read back as "other"', async () => {
    const { compliantRecord, variant } = await import('../compliance/helpers.js');
    const record = variant((r) => {
      r.plans![0]!.kind = 'other';
    }, compliantRecord());
    const { bundle, issues } = pipeline.toBundle(record);
    expect(bundle, JSON.stringify(issues)).toBeDefined();
    const plans = bundle!.entry!.map((e) => e.resource!).filter((r) => r.resourceType === 'CarePlan') as { category?: { coding?: { code?: string }[] }[] }[];
    expect(plans.some((p) => p.category === undefined)).toBe(true);
    expect(pipeline.reverse(JSON.stringify(bundle), 'bundle').record).toEqual(record);
  });

  it('keeps a review refused on a ground the Code does not allow', async () => {
    const { compliantRecord, variant } = await import('../compliance/helpers.js');
    const record = variant((r) => {
      r.reviews = [
        { id: 'rq', plan: 'plan', trigger: 'request', request: { receivedOn: '2025-03-03', requestedBy: 'patient', decision: 'refused-other', decisionReason: 'R' } },
      ];
    }, compliantRecord());
    const bundle = pipeline.toBundle(record).bundle;
    expect(bundle).toBeDefined();
    expect(pipeline.reverse(JSON.stringify(bundle), 'bundle').record).toEqual(record);
  });

  it('keeps referrals, consents, partial copies, review participants and departures from the Code', async () => {
    const { compliantRecord, variant } = await import('../compliance/helpers.js');
    const record = variant((r) => {
      r.episodes![0]!.referral = { receivedOn: '2024-12-20', priority: 'urgent' };
      Object.assign(r.coordinatorAppointments![0]!, { employer: 'la', employerConsentOn: '2025-01-09' });
      r.coordinatorAppointments!.push({
        id: 't',
        practitioner: 'cc2',
        appointingBody: 'lhb',
        start: '2025-03-01',
        end: '2025-03-10',
        temporary: true,
        covers: 'appt',
        patientInformedOn: '2025-03-01',
      });
      Object.assign(r.plans![0]!.copies![1]!, { status: 'partial', sections: ['crisis plan', 'contacts'], reason: 'R' });
      Object.assign(r.plans![0]!.copies![2]!, { method: 'other-agreed', agreedMeans: 'Secure email agreed with the practice' });
      r.reviews = [
        {
          id: 'rq',
          plan: 'plan',
          trigger: 'request',
          request: {
            receivedOn: '2025-03-03',
            requestedBy: 'carer',
            requester: { kind: 'related-person', id: 'carer' },
            decision: 'refused-no-change',
            decisionReason: 'R',
            decidedOn: '2025-03-05',
            explanationSentOn: '2025-03-06',
          },
        },
        {
          id: 'rv',
          plan: 'plan',
          trigger: 'scheduled',
          patientInformedOn: '2025-04-01',
          heldOn: '2025-04-20',
          participants: [{ kind: 'patient' }, { kind: 'practitioner', id: 'cc' }, { kind: 'related-person', id: 'carer' }],
          summary: 'S',
        },
      ];
      r.patient!.informationSharing = { status: 'partly-agreed', recordedOn: '2025-01-20' };
      Object.assign(r.coordinatorAppointments![0]!, { delegatedBy: 'lhb', changeReason: 'Previous coordinator retired', changeDiscussedOn: '2025-01-09' });
      r.episodes![0]!.transfers = [
        { date: '2025-04-01', from: 'lhb', to: 'la', team: 'Another team', patientInvolved: true, implicationsExplained: false },
        { date: '2025-05-01' },
      ];
      Object.assign(r.plans![0]!.copies![0]!, { patientView: 'agrees', explanationGivenOn: '2025-02-01' });
      Object.assign(r.plans![0]!.copies![3]!, { patientView: 'objects', dueConsideration: 'Needed to arrange housing support' });
      r.plans![0]!.consultations = [
        { id: 'k1', consultee: { kind: 'related-person', id: 'carer' }, outcome: 'consulted', date: '2025-01-25', patientView: 'objects', dueConsideration: 'D' },
        { id: 'k2', consultee: { kind: 'organisation', id: 'gp' }, outcome: 'not-practicable', reason: 'R', patientView: 'no-view' },
      ];
      r.reviews![1]!.outcomeAchievements = [{ outcome: 'o1', achievement: 'improving' }];
      r.reviews![1]!.continuedServices = 'continue';
      r.part3Requests = [
        {
          id: 'p3',
          receivedAt: '2025-05-01T10:00:00+01:00',
          requester: 'self',
          status: 'completed',
          assessment: {
            startedOn: '2025-05-02',
            concludedOn: '2025-05-09',
            determinations: { secondaryServices: ['Psychology'], communityCare: 'none', housing: ['Tenancy support', 'Housing advice'] },
          },
          provision: { decision: 'provide', decidedOn: '2025-05-12' },
          referrals: [
            { service: 'Tenancy support', kind: 'housing', provider: 'la', referredOn: '2025-05-12' },
            { service: 'Housing advice', kind: 'housing', invitedToApplyOn: '2025-05-12' },
          ],
        },
      ];
      r.episodes![0]!.placement = { homeArea: 'W06000015', placementArea: 'W06000011' };
      r.episodes![0]!.custody = [{ enteredOn: '2025-02-10', releasedOn: '2025-02-20', notifiedBeforeReleaseOn: '2025-02-15', notifiedOnReleaseOn: '2025-02-20' }];
      r.plans![0]!.involvement = { tookPart: false, engagementAttempts: 'Three home visits offered' };
      r.reviews![1]!.viewsSought = ['child', 'family'];
      r.part3Requests![0]!.residence = { status: 'uncertain', prisonLocalAuthority: 'W06000011' };
      r.assessments = [
        {
          id: 'as1',
          kind: 'initial',
          date: '2025-01-08',
          assessor: 'cc',
          episode: 'ep',
          areas: [
            { area: 'accommodation', findings: ['need', 'risk'], detail: 'D' },
            { area: 'finance-money', findings: ['nothing-identified'] },
          ],
          risks: [
            { category: 'suicide', level: 'low', detail: 'D' },
            { category: 'self-neglect', level: 'none' },
          ],
          patientViews: 'V',
          carerViews: [{ person: 'carer', views: 'V' }],
          equalityNeedsConsidered: true,
          finance: { doneeOrDeputyInPlace: true, powersIncludeFinance: false },
          capacity: { lacksCapacity: false },
        },
        { id: 'as2', kind: 'review', date: '2025-04-19', review: 'rv' },
      ];
      r.departures = [
        { id: 'd1', rule: 'CoP-P2-47/first-plan-within-6-weeks', about: 'plan-v1', reason: 'Reasons', recordedOn: '2025-02-01', recordedBy: 'cc' },
        { id: 'd2', rule: 'CoP-P2-38', about: 'c3', reason: 'Reasons', recordedOn: '2025-02-02' },
        { id: 'd3', rule: 'CoP-GEN-06', reason: 'Reasons', recordedOn: '2025-02-03' },
      ];
    }, compliantRecord());
    const result = pipeline.toBundle(record);
    expect(result.bundle, JSON.stringify(result.issues)).toBeDefined();
    const types = result.bundle!.entry!.map((e) => e.resource!.resourceType);
    expect(types.filter((t) => t === 'DetectedIssue')).toHaveLength(3);
    expect(pipeline.reverse(JSON.stringify(result.bundle), 'bundle').record).toEqual(record);
  });
});

describe('the narrative is derived: the way back ignores it', () => {
  const { pipeline } = testRuntime();
  it('reads the same record whatever each resource’s text says, or with no text at all', () => {
    for (const example of exampleFiles().filter((e) => e.source === 'ctp')) {
      const [r] = pipeline.convert(example.source, example.text, example.path);
      const withText = r!.bundle!;
      for (const e of withText.entry ?? []) expect((e.resource as { text?: { status: string } }).text?.status, example.path).toBe('generated');
      const rewrite = (text: unknown) => ({ ...withText, entry: withText.entry!.map((e) => ({ ...e, resource: { ...e.resource, text } })) });
      const other = rewrite({ status: 'additional', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Something else entirely</p></div>' });
      const none = {
        ...withText,
        entry: withText.entry!.map(({ resource, ...e }) => ({ ...e, resource: (({ text: _t, ...rest }) => rest)(resource as { text?: unknown }) })),
      };
      for (const bundle of [other, none]) expect(pipeline.reverse(JSON.stringify(bundle), example.path).record, example.path).toEqual(r!.record);
    }
  });
});
