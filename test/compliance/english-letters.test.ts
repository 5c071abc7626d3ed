/**
 * The ELFT pack's rules on letters: after an assessment, a consultation with a psychiatrist, a
 * CPA review and a transfer. Each passes, fails, is held to its limit on each side in working
 * days, cannot be evaluated without the letter's recipients, and is ELFT's alone.
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { variant } from './helpers.js';

type Letter = NonNullable<CtpRecord['letters']>[number];
type Encounter = NonNullable<CtpRecord['encounters']>[number];
const NOTHING = [{ result: 'not-applicable', message: 'Nothing in the record that this rule applies to.' }];

/** The compliant record with one contact on Friday 28 March 2025 (replacing its own) and these letters. */
const withLetters = (letters: Omit<Letter, 'id'>[], contact: Partial<Encounter> = {}, change: (r: CtpRecord) => void = () => {}) =>
  variant((x) => {
    x.encounters = [{ id: 'c', kind: 'assessment', status: 'finished', start: '2025-03-28T10:00:00Z', episode: 'ep', ...contact }];
    if (letters.length > 0) x.letters = letters.map((l, i) => ({ id: `l${i}`, ...l }));
    change(x);
  });

describe('ELFT-N6: assessment outcome and medical letters within 5 working days', () => {
  const PERSON = 'ELFT-N6/assessment-outcome-letter-to-person';
  const GP = 'ELFT-N6/assessment-outcome-letter-to-gp';
  const MEDICAL = 'ELFT-N6/medical-letter-within-5-working-days';
  // Assessed Friday 28 March 2025: 5 working days run to Friday 4 April.
  it('to the person on 4 April passes, on Monday 7 April fails at the assessment', () => {
    expect(results(withLetters([{ kind: 'assessment-outcome', sentOn: '2025-04-04', to: ['patient'], encounter: 'c' }]), ELFT, PERSON)).toEqual(['pass']);
    expect(findings(withLetters([{ kind: 'assessment-outcome', sentOn: '2025-04-07', to: ['patient'], encounter: 'c' }]), ELFT, PERSON)[0]).toMatchObject({
      result: 'fail',
      location: 'encounters[0]',
      due: '2025-04-04',
    });
  });
  it('each recipient is judged alone; an unlinked letter after the assessment counts', () => {
    const toPerson = withLetters([{ kind: 'assessment-outcome', sentOn: '2025-04-01', to: ['patient'] }]);
    expect(results(toPerson, ELFT, PERSON)).toEqual(['pass']);
    expect(findings(toPerson, ELFT, GP, '2025-04-07')[0]!.message).toBe(
      'No assessment outcome letter to the general practitioner is recorded, and 5 working days have passed since the assessment.',
    );
  });
  it('none: not yet due on 4 April; recipients not recorded cannot be judged; another kind does not count', () => {
    expect(results(withLetters([]), ELFT, PERSON, '2025-04-04')).toEqual(['not-applicable']);
    expect(findings(withLetters([{ kind: 'assessment-outcome', sentOn: '2025-04-01', encounter: 'c' }]), ELFT, GP)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['letters[0].to'],
    });
    expect(results(withLetters([{ kind: 'medical', sentOn: '2025-04-01', to: ['gp'], encounter: 'c' }]), ELFT, GP)).toEqual(['fail']);
  });
  it('a medical letter after a consultation a psychiatrist attended; not after one they did not', () => {
    const consultation = (attended: boolean, sentOn: string) =>
      withLetters([{ kind: 'medical', sentOn, to: ['gp'] }], { kind: 'contact', participants: [{ role: 'psychiatrist', attended }] });
    expect(results(consultation(true, '2025-04-04'), ELFT, MEDICAL)).toEqual(['pass']);
    expect(results(consultation(true, '2025-04-07'), ELFT, MEDICAL)).toEqual(['fail']);
    expect(findings(consultation(false, '2025-04-07'), ELFT, MEDICAL)).toMatchObject(NOTHING);
  });
  it('are not rules of LPT or Wales', () => {
    expect(findings(withLetters([]), LPT, PERSON)).toEqual([]);
    expect(findings(withLetters([]), WALES, MEDICAL)).toEqual([]);
  });
});

describe('ELFT-N7: the psychiatrist’s letter after a CPA review, and a change of medication', () => {
  const REVIEW = 'ELFT-N7/review-letter-to-gp-within-5-working-days';
  const MEDICATION = 'ELFT-N7/medication-change-within-1-working-day';
  // A review held on Thursday 17 April 2025: Good Friday and Easter Monday are bank holidays, so
  // 5 working days run to Monday 28 April and one working day to Tuesday 22 April.
  const reviewed = (letters: Omit<Letter, 'id'>[]) =>
    withLetters(letters, {}, (x) => void (x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', heldOn: '2025-04-17' }]));
  it('to the GP by 28 April passes, on 29 April fails at the review (over Easter)', () => {
    expect(results(reviewed([{ kind: 'review-outcome', sentOn: '2025-04-28', to: ['gp'], review: 'rv' }]), ELFT, REVIEW)).toEqual(['pass']);
    expect(findings(reviewed([{ kind: 'review-outcome', sentOn: '2025-04-29', to: ['gp'], review: 'rv' }]), ELFT, REVIEW)[0]).toMatchObject({
      result: 'fail',
      location: 'reviews[0]',
      due: '2025-04-28',
    });
  });
  it('a change of medication by the next working day: Tuesday 22 April passes, the 23rd fails', () => {
    expect(results(reviewed([{ kind: 'review-outcome', sentOn: '2025-04-22', to: ['gp'], review: 'rv', medicationChanged: true }]), ELFT, MEDICATION)).toEqual(['pass']);
    expect(results(reviewed([{ kind: 'review-outcome', sentOn: '2025-04-23', to: ['gp'], review: 'rv', medicationChanged: true }]), ELFT, MEDICATION)).toEqual(['fail']);
  });
  it('no letter reporting a change leaves the medication check nothing to judge; a review not held is not judged', () => {
    expect(findings(reviewed([{ kind: 'review-outcome', sentOn: '2025-04-22', to: ['gp'], review: 'rv' }]), ELFT, MEDICATION)).toMatchObject(NOTHING);
    const notHeld = withLetters([], {}, (x) => void (x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'scheduled', dueBy: '2025-12-20' }]));
    expect(findings(notHeld, ELFT, REVIEW)).toMatchObject(NOTHING);
  });
  it('are not rules of LPT or Wales', () => {
    expect(findings(reviewed([]), LPT, REVIEW)).toEqual([]);
    expect(findings(reviewed([]), WALES, MEDICATION)).toEqual([]);
  });
});

describe('ELFT-X4: a letter confirming the transfer', () => {
  const X4 = 'ELFT-X4/confirmatory-letter-after-transfer';
  // Transferred Tuesday 1 July 2025: letters count from 3 June; 5 working days run to 8 July.
  const transferred = (letters: Omit<Letter, 'id'>[]) => withLetters(letters, {}, (x) => void (x.episodes![0]!.transfers = [{ date: '2025-07-01', team: 'Other CMHT' }]));
  it('8 July passes, 9 July fails at the transfer; a letter after the review before it counts', () => {
    expect(results(transferred([{ kind: 'transfer-confirmation', sentOn: '2025-07-08', to: ['patient'] }]), ELFT, X4)).toEqual(['pass']);
    expect(findings(transferred([{ kind: 'transfer-confirmation', sentOn: '2025-07-09', to: ['patient'] }]), ELFT, X4)[0]).toMatchObject({
      result: 'fail',
      location: 'episodes[0].transfers[0]',
      due: '2025-07-08',
    });
    expect(results(transferred([{ kind: 'transfer-confirmation', sentOn: '2025-06-03', to: ['patient'] }]), ELFT, X4)).toEqual(['pass']);
    expect(results(transferred([{ kind: 'transfer-confirmation', sentOn: '2025-06-02', to: ['patient'] }]), ELFT, X4)).toEqual(['fail']);
  });
  it('no transfer leaves nothing to judge; not a rule of LPT or Wales', () => {
    expect(findings(withLetters([]), ELFT, X4)).toMatchObject(NOTHING);
    expect(findings(transferred([]), LPT, X4)).toEqual([]);
    expect(findings(transferred([]), WALES, X4)).toEqual([]);
  });
});
