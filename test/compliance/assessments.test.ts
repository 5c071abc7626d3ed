import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { compliantRecord, findingsOf, resultsOf, variant } from './helpers.js';

type Assessment = NonNullable<CtpRecord['assessments']>[number];
const assessment = (change: (a: Assessment) => void) => variant((r) => change(r.assessments![0]!));

describe('assessments (CoP-P2-05 to CoP-P2-10, CoP-P2-39, CoP-GEN-04)', () => {
  it('CoP-P2-05 a record with none cannot be evaluated; each assessment considers all eight areas', () => {
    expect(resultsOf(compliantRecord(), 'CoP-P2-05/assessment-recorded')).toEqual(['pass']);
    expect(
      findingsOf(
        variant((r) => delete r.assessments),
        'CoP-P2-05/assessment-recorded',
      )[0],
    ).toMatchObject({ result: 'cannot-evaluate', missing: ['assessments'] });
    const key = 'CoP-P2-05/eight-areas-considered';
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
    const seven = assessment((a) => a.areas!.splice(0, 1));
    expect(findingsOf(seven, key)[0]).toMatchObject({
      result: 'fail',
      severity: 'warning',
      message: 'The assessment at assessments[0] has no entry for 1 of the eight areas of life: accommodation.',
    });
  });
  it('CoP-P2-06 strengths alongside needs', () => {
    expect(
      resultsOf(
        assessment((a) => (a.areas![0]!.findings = ['need'])),
        'CoP-P2-06/strengths-identified',
      ),
    ).toEqual(['fail']);
  });
  it('CoP-P2-07 the person’s views, and each carer’s or why not', () => {
    const key = 'CoP-P2-07/views-in-assessment';
    expect(
      resultsOf(
        assessment((a) => delete a.patientViews),
        key,
      ),
    ).toEqual(['fail']);
    expect(
      resultsOf(
        assessment((a) => delete a.carerViews),
        key,
      ),
    ).toEqual(['fail']);
    expect(
      resultsOf(
        assessment((a) => (a.carerViews = [{ person: 'carer', notSoughtReason: 'The person asked us not to' }])),
        key,
      ),
    ).toEqual(['pass']);
  });
  it('CoP-P2-09 all nine risks', () => {
    expect(
      findingsOf(
        assessment((a) => a.risks!.pop()),
        'CoP-P2-09/nine-risks-assessed',
      )[0],
    ).toMatchObject({ result: 'fail', message: 'The assessment at assessments[0] does not assess 1 of the nine categories of risk: becoming institutionalised.' });
  });
  it('CoP-P2-10 the finance assessment says whether there is a donee or deputy, and their powers (must)', () => {
    const key = 'CoP-P2-10/donee-deputy-for-finance';
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
    expect(
      findingsOf(
        assessment((a) => delete a.finance),
        key,
      )[0],
    ).toMatchObject({ result: 'fail', severity: 'error' });
    expect(
      resultsOf(
        assessment((a) => (a.finance = { doneeOrDeputyInPlace: true })),
        key,
      ),
    ).toEqual(['fail']);
    expect(
      resultsOf(
        assessment((a) => (a.finance = { doneeOrDeputyInPlace: true, powersIncludeFinance: true })),
        key,
      ),
    ).toEqual(['pass']);
    expect(
      resultsOf(
        assessment((a) => {
          a.areas = a.areas!.filter((x) => x.area !== 'finance-money');
          delete a.finance;
        }),
        key,
      ),
    ).toEqual(['not-applicable']);
  });
  it('CoP-P2-39 lacking capacity needs a best-interests decision', () => {
    const key = 'CoP-P2-39/best-interests-recorded';
    expect(
      resultsOf(
        assessment((a) => (a.capacity = { lacksCapacity: true })),
        key,
      ),
    ).toEqual(['fail']);
    expect(
      resultsOf(
        assessment((a) => (a.capacity = { lacksCapacity: true, bestInterestsRecordedOn: '2025-01-16' })),
        key,
      ),
    ).toEqual(['pass']);
  });
  it('CoP-GEN-04 equality needs considered', () => {
    expect(
      resultsOf(
        assessment((a) => (a.equalityNeedsConsidered = false)),
        'CoP-GEN-04/equality-needs-considered',
      ),
    ).toEqual(['fail']);
  });
});

describe('involvement, placements, custody and children’s reviews', () => {
  it('CoP-GEN-03 the person took part, or efforts to involve them are recorded', () => {
    const key = 'CoP-GEN-03/person-involved-in-planning';
    expect(
      resultsOf(
        variant((r) => (r.plans![0]!.involvement = { tookPart: false })),
        key,
      ),
    ).toEqual(['fail']);
    expect(
      resultsOf(
        variant((r) => (r.plans![0]!.involvement = { tookPart: false, engagementAttempts: 'Visits offered' })),
        key,
      ),
    ).toEqual(['pass']);
    expect(
      resultsOf(
        variant((r) => delete r.plans![0]!.involvement),
        key,
      ),
    ).toEqual(['fail']);
  });
  it('CoP-P2-45 the home area takes part in reviews of an out-of-area placement', () => {
    const key = 'CoP-P2-45/home-area-engaged';
    const placed = (participants?: NonNullable<CtpRecord['reviews']>[number]['participants']) =>
      variant((r) => {
        r.organisations!.push({ id: 'swansea', kind: 'local-authority', name: 'Away Council', onsCode: 'W06000011' });
        r.episodes![0]!.placement = { homeArea: 'W06000015', placementArea: 'W06000011' };
        r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-05-01', summary: 'S', ...(participants ? { participants } : {}) }];
      });
    expect(resultsOf(placed([{ kind: 'patient' }, { kind: 'organisation', id: 'la' }]), key)).toEqual(['pass']);
    expect(resultsOf(placed([{ kind: 'patient' }, { kind: 'organisation', id: 'swansea' }]), key)).toEqual(['fail']);
    expect(resultsOf(placed(), key)).toEqual(['cannot-evaluate']);
  });
  it('CoP-P2-65 local services are told before and on the day of release', () => {
    const key = 'CoP-P2-65/release-notified';
    const released = (before?: string, onDay?: string) =>
      variant(
        (r) =>
          (r.episodes![0]!.custody = [
            { enteredOn: '2025-03-01', releasedOn: '2025-04-01', ...(before ? { notifiedBeforeReleaseOn: before } : {}), ...(onDay ? { notifiedOnReleaseOn: onDay } : {}) },
          ]),
      );
    expect(resultsOf(released('2025-03-25', '2025-04-01'), key)).toEqual(['pass']);
    expect(resultsOf(released('2025-03-25'), key)).toEqual(['fail']);
    expect(resultsOf(released('2025-04-01', '2025-04-01'), key)).toEqual(['fail']);
  });
  it('CoP-P2-74 a child’s review seeks the child’s and the family’s views', () => {
    const key = 'CoP-P2-74/child-review-views';
    const childReview = (viewsSought?: ('child' | 'family' | 'school')[]) =>
      variant((r) => {
        r.patient!.dateOfBirth = '2010-01-01';
        r.relatedPeople![0]!.roles = ['parental-responsibility'];
        r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-05-01', summary: 'S', ...(viewsSought ? { viewsSought } : {}) }];
      });
    expect(resultsOf(childReview(['child', 'family', 'school']), key)).toEqual(['pass']);
    expect(resultsOf(childReview(['family']), key)).toEqual(['fail']);
    expect(
      resultsOf(
        variant((r) => (r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-05-01', summary: 'S' }])),
        key,
      ),
    ).toEqual(['not-applicable']);
  });
});

describe('residence of Part 3 requesters (CoP-P3-08, CoP-P3-09)', () => {
  type Request = NonNullable<CtpRecord['part3Requests']>[number];
  const request = (extra: Partial<Request>) =>
    variant((r) => {
      r.organisations!.push({ id: 'bridgend', kind: 'local-authority', name: 'Bridgend Council', onsCode: 'W06000013' });
      r.part3Requests = [{ id: 'p3', receivedAt: '2025-03-03T10:00:00Z', requester: 'self', priority: 'routine', status: 'assessing', ...extra }];
    });
  it('uncertain residence does not hold up the assessment: day 28 passes, day 29 fails', () => {
    const key = 'CoP-P3-08/residence-no-delay';
    expect(resultsOf(request({ residence: { status: 'disputed' }, assessment: { startedOn: '2025-03-31' } }), key)).toEqual(['pass']);
    expect(resultsOf(request({ residence: { status: 'disputed' }, assessment: { startedOn: '2025-04-01' } }), key)).toEqual(['fail']);
    expect(resultsOf(request({ residence: { status: 'established' } }), key)).toEqual(['not-applicable']);
  });
  it('a prisoner’s request goes to the partners for the prison’s area (Parc: Bridgend)', () => {
    const key = 'CoP-P3-09/prison-area';
    expect(resultsOf(request({ residence: { status: 'established', prisonLocalAuthority: 'W06000013' }, localAuthority: 'bridgend' }), key)).toEqual(['pass']);
    expect(findingsOf(request({ residence: { status: 'established', prisonLocalAuthority: 'W06000013' }, localAuthority: 'la' }), key)[0]).toMatchObject({
      result: 'fail',
      severity: 'error',
    });
    expect(resultsOf(request({ residence: { status: 'established', prisonLocalAuthority: 'W06000013' } }), key)).toEqual(['cannot-evaluate']);
  });
});
