import { describe, expect, it } from 'vitest';
import { compliantRecord, findingsOf, resultsOf, variant } from './helpers.js';

const plan = (change: (p: ReturnType<typeof compliantRecord>['plans'] extends (infer P)[] | undefined ? P : never) => void) => variant((r) => change(r.plans![0]!));

describe('CoP-P2-04 everyone in services has a plan', () => {
  const key = 'CoP-P2-04/plan-in-place';
  const noPlan = variant((r) => delete r.plans);
  it('passes with a plan and fails as an error without one once 6 weeks from appointment have passed', () => {
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
    expect(resultsOf(noPlan, key, '2025-02-21')).toEqual(['not-applicable']); // appointed 2025-01-10 + 6 weeks
    expect(findingsOf(noPlan, key, '2025-02-22')[0]).toMatchObject({ result: 'fail', severity: 'error' });
  });
  it('ignores a draft', () => {
    const draft = plan((p) => (p.status = 'draft'));
    expect(resultsOf(draft, key, '2025-03-01')).toEqual(['fail']);
  });
  it('does not count a plan left active from an episode ended by a full discharge (7.7, 4.86), but does after a partial one', () => {
    const readmitted = (kind: 'full' | 'partial') =>
      variant((r) => {
        r.episodes![0] = { ...r.episodes![0]!, status: 'finished', discharge: { date: '2025-03-01', kind } };
        r.coordinatorAppointments![0]!.end = '2025-03-01';
        r.episodes!.push({ id: 'ep2', status: 'active', acceptedOn: '2025-03-10', responsibleBodies: ['lhb'] });
        r.coordinatorAppointments!.push({
          id: 'appt2',
          practitioner: 'cc',
          profession: 'nurse-mental-health',
          appointingBody: 'lhb',
          employer: 'lhb',
          episode: 'ep2',
          start: '2025-03-12',
        });
      });
    expect(resultsOf(readmitted('full'), key, '2025-05-01')).toEqual(['fail']);
    expect(resultsOf(readmitted('partial'), key, '2025-05-01')).toEqual(['pass']);
  });
});

describe('CoP-P2-47 the first plan within 6 weeks of the coordinator’s appointment (2025-01-10)', () => {
  const key = 'CoP-P2-47/first-plan-within-6-weeks';
  it('passes on the 42nd day and fails on the 43rd', () => {
    expect(
      resultsOf(
        plan((p) => (p.madeOn = '2025-02-21')),
        key,
      ),
    ).toEqual(['pass']);
    expect(
      findingsOf(
        plan((p) => (p.madeOn = '2025-02-22')),
        key,
      )[0],
    ).toMatchObject({ result: 'fail', due: '2025-02-21', location: 'plans[0]' });
  });
  it('as of a day before a late plan was made, it is only not yet due', () => {
    const late = plan((p) => (p.madeOn = '2025-02-22'));
    expect(resultsOf(late, 'CoP-P2-47/first-plan-within-6-weeks', '2025-02-21')).toEqual(['not-applicable']);
    expect(resultsOf(late, 'CoP-P2-47/first-plan-within-6-weeks', '2025-02-22')).toEqual(['fail']);
  });

  it('cannot be evaluated while active without a dated appointment', () => {
    expect(
      resultsOf(
        variant((r) => delete r.coordinatorAppointments![0]!.start),
        key,
      ),
    ).toEqual(['cannot-evaluate']);
  });
});

describe('CoP-P2-26 the opening statement', () => {
  const key = 'CoP-P2-26/opening-statement';
  it('passes when every element is there', () => expect(resultsOf(compliantRecord(), key)).toEqual(['pass']));
  it('fails without the coordinator’s telephone number or postal address, pointing at the first missing element', () => {
    expect(
      findingsOf(
        variant((r) => delete r.practitioners![0]!.telecom),
        key,
      )[0],
    ).toMatchObject({
      result: 'fail',
      severity: 'error',
      location: 'practitioners[0].telecom',
      subject: 'plans[0]',
      message: 'The opening statement of plan version 1 (plans[0]) lacks the coordinator’s telephone number (practitioners[0].telecom).',
    });
    expect(
      findingsOf(
        variant((r) => delete r.practitioners![0]!.address),
        key,
      )[0],
    ).toMatchObject({ result: 'fail', location: 'practitioners[0].address' });
  });
  it('names every missing item, and each plan version once, so two versions give two findings', () => {
    const twoVersions = variant((r) => {
      delete r.practitioners![0]!.telecom;
      delete r.practitioners![0]!.address;
      r.plans!.push({ ...structuredClone(r.plans![0]!), id: 'plan-v2', version: 2, changeType: 'minor-amendment', madeOn: '2025-03-01' });
    });
    const found = findingsOf(twoVersions, key);
    expect(found.map((f) => [f.location, f.subject])).toEqual([
      ['practitioners[0].telecom', 'plans[0]'],
      ['practitioners[0].telecom', 'plans[1]'],
    ]);
    expect(found[1]!.message).toBe(
      'The opening statement of plan version 2 (plans[1]) lacks the coordinator’s telephone number (practitioners[0].telecom) and the coordinator’s postal address (practitioners[0].address).',
    );
  });
  it('fails when the usual address is recorded as not known, or the plan names no coordinator', () => {
    expect(
      resultsOf(
        variant((r) => (r.patient!.usualAddress = { notRecorded: 'unknown' })),
        key,
      ),
    ).toEqual(['fail']);
    expect(
      resultsOf(
        plan((p) => delete p.coordinatorAppointment),
        key,
      ),
    ).toEqual(['fail']);
  });
});

describe('CoP-P2-27 date made and review-by date', () => {
  const key = 'CoP-P2-27/dates-made-and-review';
  it('passes with a later review-by date', () => expect(resultsOf(compliantRecord(), key)).toEqual(['pass']));
  it('fails without one, or with one not after the date made', () => {
    expect(
      findingsOf(
        plan((p) => (p.reviewBy = { notRecorded: 'unknown' })),
        key,
      )[0],
    ).toMatchObject({ result: 'fail', location: 'plans[0].reviewBy' });
    expect(
      resultsOf(
        plan((p) => (p.reviewBy = '2025-02-01')),
        key,
      ),
    ).toEqual(['fail']);
  });
});

describe('CoP-P2-28 outcomes in the eight areas, explained', () => {
  it('needs at least one outcome in a statutory area; "other" alone is not enough', () => {
    const key = 'CoP-P2-28/outcome-in-statutory-area';
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
    expect(
      resultsOf(
        plan((p) => (p.outcomes![0]!.areas = [{ area: 'other', otherArea: 'Sensory needs' }])),
        key,
      ),
    ).toEqual(['fail']);
    expect(
      resultsOf(
        plan((p) => delete p.outcomes),
        key,
      ),
    ).toEqual(['fail']);
  });
  it('needs an explanation for every statutory area an outcome is linked to', () => {
    const key = 'CoP-P2-28/area-explanations';
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
    const r = plan((p) => p.outcomes![0]!.areas!.push({ area: 'finance-money' }));
    expect(findingsOf(r, key)[0]).toMatchObject({ result: 'fail', location: 'plans[0].outcomes[0].areas' });
    expect(
      resultsOf(
        plan((p) => (p.outcomes![0]!.areas![0]!.explanation = { notRecorded: 'unknown' })),
        key,
      ),
    ).toEqual(['fail']);
  });
});

describe('CoP-P2-29 services and actions: what, when, who', () => {
  it('each outcome has actions', () => {
    expect(resultsOf(compliantRecord(), 'CoP-P2-29/services-for-each-outcome')).toEqual(['pass']);
    expect(
      resultsOf(
        plan((p) => delete p.outcomes![0]!.actions),
        'CoP-P2-29/services-for-each-outcome',
      ),
    ).toEqual(['fail']);
  });
  it('each action says when and who by; a start date counts as when', () => {
    const key = 'CoP-P2-29/what-when-who';
    expect(
      resultsOf(
        plan((p) => delete p.outcomes![0]!.actions![0]!.whoBy),
        key,
      ),
    ).toEqual(['fail']);
    expect(
      resultsOf(
        plan((p) => delete p.outcomes![0]!.actions![0]!.when),
        key,
      ),
    ).toEqual(['fail']);
    expect(
      resultsOf(
        plan((p) => Object.assign(p.outcomes![0]!.actions![0]!, { when: undefined, start: '2025-02-10' })),
        key,
      ),
    ).toEqual(['pass']);
  });
});

describe('Schedule 2 sections', () => {
  it('CoP-P2-30 language and communication may say "None" but must be there', () => {
    expect(resultsOf(compliantRecord(), 'CoP-P2-30/language-section')).toEqual(['pass']);
    expect(
      resultsOf(
        plan((p) => (p.languageAndCommunication = { notRecorded: 'not-asked' })),
        'CoP-P2-30/language-section',
      ),
    ).toEqual(['fail']);
  });
  it('CoP-P2-31 relapse signatures', () => {
    expect(
      resultsOf(
        plan((p) => delete p.relapseSignatures),
        'CoP-P2-31/relapse-signatures',
      ),
    ).toEqual(['fail']);
  });
  it('CoP-P2-32 a crisis plan with actions and services, and contacts with telephone and hours', () => {
    expect(
      resultsOf(
        plan((p) => (p.crisisPlan = { actions: ['Ring'] })),
        'CoP-P2-32/crisis-plan',
      ),
    ).toEqual(['fail']);
    const noHours = plan((p) => delete p.crisisPlan!.contacts![0]!.hours);
    expect(findingsOf(noHours, 'CoP-P2-32/crisis-contact-details')[0]).toMatchObject({ result: 'fail', severity: 'warning', location: 'plans[0].crisisPlan.contacts[0]' });
    expect(resultsOf(noHours, 'CoP-P2-32/crisis-plan')).toEqual(['pass']);
  });
  it('CoP-P2-33 views, or why there are none', () => {
    expect(
      resultsOf(
        plan((p) => (p.patientViews = { status: 'views-cannot-be-ascertained' })),
        'CoP-P2-33/patient-views',
      ),
    ).toEqual(['pass']);
    expect(
      resultsOf(
        plan((p) => delete p.patientViews),
        'CoP-P2-33/patient-views',
      ),
    ).toEqual(['fail']);
  });
  it('CoP-P2-34 an agreement statement, and reasons when not agreed', () => {
    expect(
      resultsOf(
        plan((p) => delete p.agreement),
        'CoP-P2-34/agreement-statement',
      ),
    ).toEqual(['fail']);
    expect(resultsOf(compliantRecord(), 'CoP-P2-34/disagreement-reasons')).toEqual(['not-applicable']);
    expect(
      resultsOf(
        plan((p) => (p.agreement = { statement: 'not-agreed-s18-6' })),
        'CoP-P2-34/disagreement-reasons',
      ),
    ).toEqual(['fail']);
    expect(
      resultsOf(
        plan((p) => (p.agreement = { statement: 'not-agreed-s18-6', reasons: 'Reasons' })),
        'CoP-P2-34/disagreement-reasons',
      ),
    ).toEqual(['pass']);
  });
  it('CoP-P2-35 a health board or council is responsible; a voluntary body alone is not enough', () => {
    const key = 'CoP-P2-35/responsible-providers';
    const r = variant((x) => {
      x.organisations!.push({ id: 'vol', kind: 'voluntary', name: 'Voluntary' });
      x.plans![0]!.responsibleProviders = ['vol'];
    });
    expect(resultsOf(r, key)).toEqual(['fail']);
    expect(
      resultsOf(
        variant((x) => delete x.organisations![0]!.kind),
        key,
      ),
    ).toEqual(['pass']); // the council still qualifies
  });
  it('CoP-P2-36 signed by the acting coordinator; the person’s own signature is optional (E-16)', () => {
    const key = 'CoP-P2-36/coordinator-signature';
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
    expect(
      resultsOf(
        plan((p) => delete p.signatures),
        key,
      ),
    ).toEqual(['fail']);
    expect(
      findingsOf(
        plan((p) => (p.signatures = { careCoordinator: { practitioner: 'cc2', signedOn: '2025-02-01' } })),
        key,
      )[0],
    ).toMatchObject({
      result: 'fail',
      location: 'plans[0].signatures.careCoordinator.practitioner',
    });
    const temporary = variant((x) => {
      x.coordinatorAppointments!.push({
        id: 't',
        practitioner: 'cc2',
        profession: 'occupational-therapist',
        start: '2025-01-25',
        end: '2025-02-10',
        temporary: true,
        covers: 'appt',
      });
      x.plans![0]!.signatures = { careCoordinator: { practitioner: 'cc2', signedOn: '2025-02-01' } };
    });
    expect(resultsOf(temporary, key)).toEqual(['pass']);
  });
  it('CoP-P2-37 the plan’s language cannot be checked when not recorded', () => {
    expect(
      findingsOf(
        plan((p) => delete p.language),
        'CoP-P2-37/plan-language',
      )[0],
    ).toMatchObject({ result: 'cannot-evaluate', missing: ["the plan's language"] });
  });
  it('CoP-P2-38 outcomes of the current plan have milestones', () => {
    expect(
      findingsOf(
        plan((p) => delete p.outcomes![0]!.milestones),
        'CoP-P2-38/measurable-outcomes',
      )[0],
    ).toMatchObject({ result: 'fail', severity: 'warning' });
  });
});

describe('Welsh language and communication (CoP-GEN-05, CoP-GEN-06)', () => {
  it('a Welsh speaker’s plan in English only is a warning; bilingual passes; unknown language cannot be checked', () => {
    const key = 'CoP-GEN-06/plan-in-welsh-when-preferred';
    const welsh = (language?: 'en' | 'cy+en') =>
      variant((r) => {
        r.patient!.prefersWelsh = true;
        if (language) r.plans![0]!.language = language;
        else delete r.plans![0]!.language;
      });
    expect(resultsOf(compliantRecord(), key)).toEqual(['not-applicable']);
    expect(findingsOf(welsh('en'), key)[0]).toMatchObject({ result: 'fail', severity: 'warning' });
    expect(resultsOf(welsh('cy+en'), key)).toEqual(['pass']);
    expect(resultsOf(welsh(), key)).toEqual(['cannot-evaluate']);
  });
  it('a recorded communication need needs the plan’s communication section', () => {
    const key = 'CoP-GEN-05/communication-needs-in-plan';
    const r = variant((x) => {
      x.patient!.communicationNeeds = [{ kind: 'bsl' }];
      x.plans![0]!.languageAndCommunication = { notRecorded: 'not-asked' };
    });
    expect(resultsOf(r, key)).toEqual(['fail']);
    expect(resultsOf(compliantRecord(), key)).toEqual(['not-applicable']);
  });
  it('the preferred language is recorded', () => {
    expect(
      resultsOf(
        variant((r) => {
          delete r.patient!.preferredLanguage;
          delete r.patient!.prefersWelsh;
        }),
        'CoP-GEN-06/preferred-language-recorded',
      ),
    ).toEqual(['fail']);
  });
});

describe('record quality', () => {
  it('CoP-P2-24 flags an event dated after the extract', () => {
    const r = variant((x) => (x.encounters![0]!.start = '2025-06-02'));
    expect(findingsOf(r, 'CoP-P2-24/no-future-dates')[0]).toMatchObject({ result: 'fail', location: 'encounters[0].start' });
  });
  it('CoP-P2-40 the GP practice is recorded', () => {
    expect(
      resultsOf(
        variant((r) => {
          delete r.patient!.registeredGpPractice;
          r.plans![0]!.copies!.splice(2, 1);
        }),
        'CoP-P2-40/gp-recorded',
      ),
    ).toEqual(['fail']);
  });
  it('CoP-P2-08 a child’s parental responsibility holders are recorded', () => {
    const key = 'CoP-P2-08/parental-responsibility-recorded';
    const child = variant((r) => (r.patient!.dateOfBirth = '2010-01-01'));
    expect(resultsOf(child, key)).toEqual(['fail']);
    expect(
      resultsOf(
        variant((r) => (r.relatedPeople![0]!.roles = ['parental-responsibility']), child),
        key,
      ),
    ).toEqual(['pass']);
    expect(
      resultsOf(
        variant((r) => delete r.patient!.dateOfBirth),
        key,
      ),
    ).toEqual(['cannot-evaluate']);
  });
  it('CoP-P2-23 actions past their end date and not completed are the provider’s to explain', () => {
    const key = 'CoP-P2-23/actions-overdue';
    const due = (status?: 'completed') => plan((p) => Object.assign(p.outcomes![0]!.actions![0]!, { end: '2025-05-31', ...(status ? { status } : {}) }));
    expect(resultsOf(due(), key)).toEqual(['fail']);
    expect(resultsOf(due('completed'), key)).toEqual(['pass']);
    expect(resultsOf(due(), key, '2025-05-31')).toEqual(['not-applicable']);
  });
});
