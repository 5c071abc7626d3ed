/**
 * The English packs' rules on consent and carers: information shared with a carer only with the
 * person's consent or a recorded reason (LPT-CR4), a carer's consent to their details being held
 * (LPT-CR4), and information shared at discharge only with earlier consent (ELFT-CR7).
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { variant } from './helpers.js';

type RelatedPerson = NonNullable<CtpRecord['relatedPeople']>[number];

/** The compliant record's carer (relatedPeople[0]), changed. */
const carer = (change: (p: RelatedPerson) => void) => variant((r) => change(r.relatedPeople![0]!));
const shared = (on: string, extra: object = {}) => [{ id: 's1', on, ...extra }];

describe('LPT-CR4: information shared with a carer only with the person’s consent, or the reason recorded', () => {
  const CR4 = 'LPT-CR4/consent-before-sharing-with-carer';
  it('consent recorded on the day passes; recorded the day after fails, at the sharing, as an error', () => {
    const on = (recordedOn: string) =>
      carer((p) => {
        p.sharingConsent = [{ decision: 'agreed', recordedOn }];
        p.informationShared = shared('2025-03-10');
      });
    expect(results(on('2025-03-10'), LPT, CR4)).toEqual(['pass']);
    expect(findings(on('2025-03-11'), LPT, CR4)[0]).toMatchObject({ result: 'fail', location: 'relatedPeople[0].informationShared[0]', severity: 'error' });
  });
  it('a later decline governs later sharing; a decline and an agreement on one day count as a decline', () => {
    const record = carer((p) => {
      p.sharingConsent = [
        { decision: 'agreed', recordedOn: '2025-02-01' },
        { decision: 'declined', recordedOn: '2025-03-01' },
      ];
      p.informationShared = [
        { id: 'a', on: '2025-02-15' },
        { id: 'b', on: '2025-03-01' },
      ];
    });
    expect(results(record, LPT, CR4)).toEqual(['pass', 'fail']);
    expect(findings(record, LPT, CR4)[1]!.message).toBe('Information was shared although the person had declined to its being shared with them.');
    const both = carer((p) => {
      p.sharingConsent = [
        { decision: 'agreed', recordedOn: '2025-03-01' },
        { decision: 'declined', recordedOn: '2025-03-01' },
      ];
      p.informationShared = shared('2025-03-02');
    });
    expect(results(both, LPT, CR4)).toEqual(['fail']);
  });
  it('without consent, a recorded reason meets it; without either it fails', () => {
    expect(
      results(
        carer((p) => (p.informationShared = shared('2025-03-10', { withoutConsentRationale: 'Risk to others' }))),
        LPT,
        CR4,
      ),
    ).toEqual(['pass']);
    expect(
      results(
        carer((p) => (p.informationShared = shared('2025-03-10'))),
        LPT,
        CR4,
      ),
    ).toEqual(['fail']);
  });
  it('does not judge sharing after the date of evaluation, or a record with none; is not a rule of ELFT or Wales', () => {
    const later = carer((p) => (p.informationShared = shared('2025-03-10')));
    expect(results(later, LPT, CR4, '2025-03-09')).toEqual(['not-applicable']);
    expect(
      results(
        variant(() => {}),
        LPT,
        CR4,
      ),
    ).toEqual(['not-applicable']);
    expect(findings(later, ELFT, CR4)).toEqual([]);
    expect(findings(later, WALES, CR4)).toEqual([]);
  });
});

describe('LPT-CR4: a carer’s consent to their details being held is recorded', () => {
  const CR4 = 'LPT-CR4/carer-consent-to-details-recorded';
  it('recorded (agreed or not) passes; not recorded fails at the carer; a paid carer is not judged', () => {
    expect(
      results(
        carer((p) => (p.detailsConsent = { agreed: true, recordedOn: '2025-01-20' })),
        LPT,
        CR4,
      ),
    ).toEqual(['pass']);
    expect(
      results(
        carer((p) => (p.detailsConsent = { agreed: false })),
        LPT,
        CR4,
      ),
    ).toEqual(['pass']);
    expect(
      findings(
        carer(() => {}),
        LPT,
        CR4,
      )[0],
    ).toMatchObject({ result: 'fail', location: 'relatedPeople[0]', severity: 'warning' });
    expect(
      results(
        carer((p) => (p.isPaidOrVolunteer = true)),
        LPT,
        CR4,
      ),
    ).toEqual(['not-applicable']);
  });
});

describe('ELFT-CR7: information shared with carers at discharge only with earlier consent', () => {
  const CR7 = 'ELFT-CR7/shared-at-discharge-with-consent';
  const atDischarge = (consentOn: string | null, extra: object = {}) =>
    carer((p) => {
      if (consentOn !== null) p.sharingConsent = [{ decision: 'agreed', recordedOn: consentOn }];
      p.informationShared = shared('2025-06-30', { atDischarge: true, ...extra });
    });
  it('consent on or before the day passes; the day after, or none, fails; a reason does not excuse it', () => {
    expect(results(atDischarge('2025-06-30'), ELFT, CR7)).toEqual(['pass']);
    expect(findings(atDischarge('2025-07-01'), ELFT, CR7)[0]).toMatchObject({ result: 'fail', location: 'relatedPeople[0].informationShared[0]', severity: 'warning' });
    expect(results(atDischarge(null, { withoutConsentRationale: 'Risk' }), ELFT, CR7)).toEqual(['fail']);
  });
  it('judges only sharing about a discharge; is not a rule of LPT or Wales', () => {
    expect(
      results(
        carer((p) => (p.informationShared = shared('2025-06-30'))),
        ELFT,
        CR7,
      ),
    ).toEqual(['not-applicable']);
    expect(findings(atDischarge(null), LPT, CR7)).toEqual([]);
    expect(findings(atDischarge(null), WALES, CR7)).toEqual([]);
  });
});

describe('LPT-CR6: carers in assertive outreach have a care plan of their own', () => {
  const CR6 = 'LPT-CR6/carer-plan-in-assertive-outreach';
  // Accepted on Monday 6 January 2025: 3 months on is 6 April.
  const outreach = (madeOn: string | null, team = 'Assertive Outreach Team') =>
    variant((r) => {
      r.episodes![0]!.team = team;
      if (madeOn !== null) r.relatedPeople![0]!.carerPlan = { madeOn, reviewedOn: ['2025-10-01'] };
    });
  it('made 3 months after acceptance passes; a day later fails at the carer', () => {
    expect(results(outreach('2025-04-06'), LPT, CR6)).toEqual(['pass']);
    expect(findings(outreach('2025-04-07'), LPT, CR6)[0]).toMatchObject({ result: 'fail', location: 'relatedPeople[0]', due: '2025-04-06', severity: 'warning' });
  });
  it('none: not yet due on 6 April, failing from 7 April; cannot be evaluated without the date of acceptance', () => {
    expect(results(outreach(null), LPT, CR6, '2025-04-06')).toEqual(['not-applicable']);
    expect(results(outreach(null), LPT, CR6, '2025-04-07')).toEqual(['fail']);
    const unknown = outreach(null);
    delete unknown.episodes![0]!.acceptedOn;
    expect(findings(unknown, LPT, CR6)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].acceptedOn'] });
  });
  it('applies only to assertive outreach teams; is not a rule of ELFT', () => {
    expect(results(outreach(null, 'Test Community Mental Health Team'), LPT, CR6)).toEqual(['not-applicable']);
    expect(findings(outreach(null), ELFT, CR6)).toEqual([]);
  });
});
