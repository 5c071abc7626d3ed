/**
 * LPT's waiting-list rules (SOP §6.17.3, §6.23.7, Appendix 13): each passes, fails, is held to its
 * limit on each side, cannot be evaluated without the data it needs, and is no rule of ELFT or
 * Wales. Every person and place here is invented.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/compliance/finding.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { findingsOf, variant } from './helpers.js';

const LPT = 'leicestershire-lpt';
const ELFT = 'luton-bedfordshire-elft';
const WALES = 'wales-measure';

type Entry = NonNullable<CtpRecord['waitingListEntries']>[number];

const findings = (record: CtpRecord, key: string, asOf = '2025-12-01', pack = LPT): Finding[] => findingsOf(record, key, asOf, pack);
const results = (record: CtpRecord, key: string, asOf?: string) => findings(record, key, asOf).map((f) => f.result);
/** What the engine says of a rule that found nothing to judge. */
const NOTHING = 'Nothing in the record that this rule applies to.';
const messages = (record: CtpRecord, key: string, asOf?: string) => findings(record, key, asOf).map((f) => f.message);

/** A place on the CPN list from Monday 3 March 2025, with whatever else the test needs. */
const waiting = (extra: Partial<Entry> = {}, more: Entry[] = [], change: (r: CtpRecord) => void = () => {}) =>
  variant((x) => {
    x.waitingListEntries = [{ id: 'w', list: 'cpn', episode: 'ep', addedOn: '2025-03-03', ...extra }, ...more];
    change(x);
  });

describe('LPT-WL1: a letter on joining the CPN waiting list, with the wait and emergency help', () => {
  const SENT = 'LPT-WL1/letter-on-joining-waiting-list';
  const CONTENTS = 'LPT-WL1/letter-gives-wait-and-emergency-help';
  const letter = (sentOn: string, contents?: NonNullable<Entry['letters']>[number]['contents']) =>
    waiting({ letters: [{ kind: 'placed-on-list', sentOn, ...(contents ? { contents } : {}) }] });
  it('within 5 working days of joining: Monday 10 March passes, Tuesday 11 March fails', () => {
    expect(results(letter('2025-03-10'), SENT)).toEqual(['pass']);
    expect(findings(letter('2025-03-11'), SENT)[0]).toMatchObject({ result: 'fail', location: 'waitingListEntries[0]', due: '2025-03-10', severity: 'error' });
  });
  it('none: not yet due on 10 March, failing from 11 March; not asked of a place that ended first', () => {
    expect(results(waiting(), SENT, '2025-03-10')).toEqual(['not-applicable']);
    expect(results(waiting(), SENT, '2025-03-11')).toEqual(['fail']);
    const allocated = waiting({ removedOn: '2025-03-05', removedBecause: 'allocated' });
    expect(findings(allocated, SENT)[0]).toMatchObject({
      result: 'not-applicable',
      message: 'The place on the waiting list ended before 5 working days from the person was added to the list had passed.',
    });
  });
  it('a letter of another kind is not this letter', () => {
    expect(results(waiting({ letters: [{ kind: 'review-arranged', sentOn: '2025-03-04' }] }), SENT)).toEqual(['fail']);
  });
  it('the letter gives the expected wait and emergency help; leaving one out fails naming it; contents not held cannot be judged', () => {
    expect(results(letter('2025-03-04', ['expected-wait', 'emergency-contacts']), CONTENTS)).toEqual(['pass']);
    const without = findings(letter('2025-03-04', ['expected-wait']), CONTENTS)[0]!;
    expect(without).toMatchObject({ result: 'fail', location: 'waitingListEntries[0].letters[0]', severity: 'warning' });
    expect(without.message).toBe('The letter explaining the waiting list did not say: how to get help in an emergency or if things get worse.');
    expect(findings(letter('2025-03-04'), CONTENTS)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['waitingListEntries[0].letters[0].contents'] });
    const second = waiting(
      {
        letters: [
          { kind: 'review-arranged', sentOn: '2025-06-01' },
          { kind: 'placed-on-list', sentOn: '2025-03-04', contents: ['review-date'] },
        ],
      },
      [{ id: 'w0', list: 'cpn', addedOn: '2025-03-03', letters: [{ kind: 'placed-on-list', sentOn: '2025-03-03', contents: ['expected-wait', 'emergency-contacts'] }] }],
    );
    expect(findings(second, CONTENTS).map((f) => [f.result, f.location])).toEqual([
      ['fail', 'waitingListEntries[0].letters[1]'],
      ['pass', 'waitingListEntries[1].letters[0]'],
    ]);
    expect(messages(waiting(), CONTENTS)).toEqual([NOTHING]);
  });
  it('covers the CPN list only', () => {
    expect(messages(waiting({ list: 'psychology' }), SENT)).toEqual([NOTHING]);
  });
});

describe('LPT-WL2: RAG-rated by the day the person joins', () => {
  const WL2 = 'LPT-WL2/rag-rated-on-joining';
  const rated = (on: string) => waiting({ ratings: [{ rating: 'amber', on }] });
  it('rated at assessment or on the day passes; the day after fails at the rating; none fails', () => {
    expect(results(rated('2025-02-28'), WL2)).toEqual(['pass']);
    expect(results(rated('2025-03-03'), WL2)).toEqual(['pass']);
    expect(findings(rated('2025-03-04'), WL2)[0]).toMatchObject({ result: 'fail', location: 'waitingListEntries[0].ratings[0]' });
    expect(findings(waiting(), WL2)[0]).toMatchObject({
      result: 'fail',
      location: 'waitingListEntries[0]',
      message: 'No RAG rating is recorded for the person on the waiting list.',
    });
  });
  it('a place not begun by the evaluation date is not judged', () => {
    expect(messages(waiting(), WL2, '2025-03-02')).toEqual([NOTHING]);
  });
});

describe('LPT-WL3: letters about telephone reviews', () => {
  const FIRST = 'LPT-WL3/review-letter-by-3-months';
  const SECOND = 'LPT-WL3/second-letter-after-missed-call';
  const INSTEAD = 'LPT-WL3/letter-every-3-months-instead-of-calls';
  const assessed = (extra: Partial<Entry> = {}) => waiting({ assessedOn: '2025-02-20', ...extra });
  const arranged = (sentOn: string) => ({ kind: 'review-arranged' as const, sentOn });
  it('a letter arranging the first review by 3 months after assessment: 20 May passes, 21 May fails', () => {
    expect(results(assessed({ letters: [arranged('2025-05-20')] }), FIRST)).toEqual(['pass']);
    expect(findings(assessed({ letters: [arranged('2025-05-21')] }), FIRST)[0]).toMatchObject({ result: 'fail', due: '2025-05-20', severity: 'warning' });
    expect(results(assessed(), FIRST, '2025-05-20')).toEqual(['not-applicable']);
    expect(results(assessed(), FIRST, '2025-05-21')).toEqual(['fail']);
  });
  it('not asked once allocated, or where it was agreed to write instead; no assessment date cannot be judged', () => {
    expect(results(assessed({ removedOn: '2025-05-10', removedBecause: 'allocated' }), FIRST)).toEqual(['not-applicable']);
    expect(results(assessed({ lettersInsteadOfCallsFrom: '2025-04-01' }), FIRST)).toEqual(['not-applicable']);
    expect(findings(waiting(), FIRST)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['waitingListEntries[0].assessedOn'] });
  });
  const missedCall = (at: string, reached: boolean | undefined, letters: Entry['letters'] = undefined) =>
    waiting({ reviews: [{ at, method: 'telephone', ...(reached === undefined ? {} : { reached }) }], ...(letters ? { letters } : {}) });
  it('a second letter within 5 working days of a call that missed: Monday 9 June passes, Tuesday 10 June fails', () => {
    const call = '2025-06-02T10:00:00+01:00';
    expect(results(missedCall(call, false, [arranged('2025-06-09')]), SECOND)).toEqual(['pass']);
    expect(findings(missedCall(call, false, [arranged('2025-06-10')]), SECOND)[0]).toMatchObject({
      result: 'fail',
      location: 'waitingListEntries[0].reviews[0]',
      due: '2025-06-09',
    });
    expect(results(missedCall(call, false), SECOND, '2025-06-09')).toEqual(['not-applicable']);
    expect(results(missedCall(call, false), SECOND, '2025-06-10')).toEqual(['fail']);
  });
  it('a call written in UTC late on a summer Sunday was made on the UK Monday, so the letter is due the Monday after', () => {
    const call = '2025-06-08T23:30:00Z';
    expect(results(missedCall(call, false, [arranged('2025-06-16')]), SECOND)).toEqual(['pass']);
    expect(findings(missedCall(call, false), SECOND, '2025-06-17')[0]).toMatchObject({ result: 'fail', due: '2025-06-16' });
  });
  it('a call that reached the person asks nothing; one not known to have reached them cannot be judged', () => {
    expect(messages(missedCall('2025-06-02T10:00:00+01:00', true), SECOND)).toEqual([NOTHING]);
    expect(findings(missedCall('2025-06-02T10:00:00+01:00', undefined), SECOND)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['waitingListEntries[0].reviews[0].reached'],
    });
  });
  const writing = (letters: string[], extra: Partial<Entry> = {}) =>
    waiting({
      lettersInsteadOfCallsFrom: '2025-04-01',
      ...(letters.length > 0 ? { letters: letters.map((sentOn) => ({ kind: 'expected-wait' as const, sentOn })) } : {}),
      ...extra,
    });
  it('writing instead of calling: a letter 3 months from the day agreed passes, a day later fails at the letter', () => {
    expect(results(writing(['2025-07-01']), INSTEAD, '2025-09-01')).toEqual(['pass']);
    expect(findings(writing(['2025-07-02']), INSTEAD, '2025-09-01')[0]).toMatchObject({
      result: 'fail',
      location: 'waitingListEntries[0].letters[0]',
      due: '2025-07-01',
      severity: 'error',
      message: 'A letter giving the expected wait came later than due after it was agreed to write instead of telephoning.',
    });
  });
  it('then every 3 months: open on 1 October is in time, on 2 October overdue; a wait that ended first asks no more', () => {
    expect(results(writing(['2025-07-01']), INSTEAD, '2025-10-01')).toEqual(['pass']);
    expect(findings(writing(['2025-07-01']), INSTEAD, '2025-10-02')[0]).toMatchObject({ result: 'fail', location: 'waitingListEntries[0]', due: '2025-10-01' });
    expect(findings(writing([], { removedOn: '2025-06-15', removedBecause: 'allocated' }), INSTEAD)[0]).toMatchObject({
      result: 'not-applicable',
      message: 'None was due before the wait ended.',
    });
    expect(results(writing([]), INSTEAD, '2025-07-01')).toEqual(['not-applicable']);
    expect(messages(waiting(), INSTEAD)).toEqual([NOTHING]);
  });
});

describe('LPT-WL4: reviews while waiting as often as the RAG rating asks', () => {
  const WL4 = 'LPT-WL4/reviewed-as-often-as-rated';
  // On the list from Monday 6 January 2025: reviews are due from 12 weeks, 31 March.
  const rated = (ratings: Entry['ratings'], reviews: string[], extra: Partial<Entry> = {}) =>
    waiting({
      addedOn: '2025-01-06',
      ...(ratings ? { ratings } : {}),
      ...(reviews.length > 0 ? { reviews: reviews.map((at) => ({ at, method: 'telephone' as const, reached: true })) } : {}),
      ...extra,
    });
  const red = [{ rating: 'red' as const, on: '2025-01-06' }];
  it('red: the first review by 2 weeks after the 12 weeks (14 April) passes, 15 April fails at the review', () => {
    expect(results(rated(red, ['2025-04-14']), WL4, '2025-04-20')).toEqual(['pass']);
    expect(findings(rated(red, ['2025-04-15']), WL4, '2025-04-20')[0]).toMatchObject({ result: 'fail', location: 'waitingListEntries[0].reviews[0]', due: '2025-04-14' });
  });
  it('none: not due before 12 weeks, in time on 14 April, overdue from 15 April', () => {
    expect(results(rated(red, []), WL4, '2025-03-30')).toEqual(['not-applicable']);
    expect(results(rated(red, []), WL4, '2025-04-14')).toEqual(['not-applicable']);
    expect(findings(rated(red, []), WL4, '2025-04-15')[0]).toMatchObject({ result: 'fail', location: 'waitingListEntries[0]', due: '2025-04-14' });
  });
  it('green asks for a review every 3 months, amber every 4 weeks', () => {
    expect(results(rated([{ rating: 'green', on: '2025-01-06' }], ['2025-06-30']), WL4, '2025-07-01')).toEqual(['pass']);
    expect(results(rated([{ rating: 'green', on: '2025-01-06' }], ['2025-07-01']), WL4, '2025-07-02')).toEqual(['fail']);
    expect(results(rated([{ rating: 'amber', on: '2025-01-06' }], ['2025-04-28']), WL4, '2025-05-01')).toEqual(['pass']);
    expect(results(rated([{ rating: 'amber', on: '2025-01-06' }], ['2025-04-29']), WL4, '2025-05-01')).toEqual(['fail']);
  });
  it('re-rated red in a green interval: the review is due 2 weeks from the re-rating', () => {
    const ratings = [
      { rating: 'green' as const, on: '2025-01-06' },
      { rating: 'red' as const, on: '2025-05-01' },
    ];
    expect(results(rated(ratings, ['2025-05-15']), WL4, '2025-05-20')).toEqual(['pass']);
    expect(findings(rated(ratings, ['2025-05-16']), WL4, '2025-05-20')[0]).toMatchObject({ result: 'fail', due: '2025-05-15' });
  });
  it('an email to the care team counts for an internal referral only', () => {
    const emailed = (internalReferral: boolean) => waiting({ addedOn: '2025-01-06', ratings: red, internalReferral, reviews: [{ at: '2025-04-10', method: 'email' }] });
    expect(results(emailed(true), WL4, '2025-04-20')).toEqual(['pass']);
    expect(results(emailed(false), WL4, '2025-04-20')).toEqual(['fail']);
  });
  it('without a colour the interval cannot be told; writing instead of calling asks no reviews', () => {
    expect(findings(rated(undefined, []), WL4, '2025-05-01')[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['waitingListEntries[0].ratings'] });
    expect(findings(rated([{ rating: 'other', on: '2025-01-06' }], []), WL4, '2025-05-01')[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['waitingListEntries[0].ratings[0].rating'],
    });
    expect(messages(rated(red, [], { lettersInsteadOfCallsFrom: '2025-02-01' }), WL4, '2025-05-01')).toEqual([NOTHING]);
  });
});

describe('LPT-WL5: re-rated after a long wait in amber or green', () => {
  const AMBER = 'LPT-WL5/amber-re-rated-after-3-months';
  const GREEN = 'LPT-WL5/green-re-rated-after-6-months';
  const rated = (ratings: Entry['ratings'], extra: Partial<Entry> = {}) => waiting({ addedOn: '2025-01-06', ratings, ...extra });
  it('amber from 6 January: re-rated on 6 April passes, on 7 April fails at the amber rating', () => {
    expect(
      results(
        rated([
          { rating: 'amber', on: '2025-01-06' },
          { rating: 'red', on: '2025-04-06' },
        ]),
        AMBER,
      ),
    ).toEqual(['pass']);
    expect(
      findings(
        rated([
          { rating: 'amber', on: '2025-01-06' },
          { rating: 'red', on: '2025-04-07' },
        ]),
        AMBER,
      )[0],
    ).toMatchObject({
      result: 'fail',
      location: 'waitingListEntries[0].ratings[0]',
      due: '2025-04-06',
    });
  });
  it('still amber: not yet due on 6 April, failing from 7 April; a wait that ended first asks nothing', () => {
    expect(results(rated([{ rating: 'amber', on: '2025-01-06' }]), AMBER, '2025-04-06')).toEqual(['not-applicable']);
    expect(results(rated([{ rating: 'amber', on: '2025-01-06' }]), AMBER, '2025-04-07')).toEqual(['fail']);
    expect(results(rated([{ rating: 'amber', on: '2025-01-06' }], { removedOn: '2025-03-01', removedBecause: 'allocated' }), AMBER)).toEqual(['not-applicable']);
  });
  it('green for 6 months: re-rated on 6 July passes, 7 July fails; other colours ask nothing of this check', () => {
    expect(
      results(
        rated([
          { rating: 'green', on: '2025-01-06' },
          { rating: 'amber', on: '2025-07-06' },
        ]),
        GREEN,
      ),
    ).toEqual(['pass']);
    expect(
      results(
        rated([
          { rating: 'green', on: '2025-01-06' },
          { rating: 'amber', on: '2025-07-07' },
        ]),
        GREEN,
      ),
    ).toEqual(['fail']);
    expect(messages(rated([{ rating: 'red', on: '2025-01-06' }]), GREEN)).toEqual([NOTHING]);
  });
});

describe('LPT-K15: the referrer updates the risk assessment before an internal referral joins', () => {
  const K15 = 'LPT-K15/risk-updated-before-waiting-list';
  const internal = (risks: NonNullable<CtpRecord['riskAssessments']>, extra: Partial<Entry> = {}) =>
    waiting({ internalReferral: true, referrer: { kind: 'practitioner', id: 'cc' }, ...extra }, [], (x) => {
      if (risks.length > 0) x.riskAssessments = risks;
    });
  it('by the referrer in the 4 weeks up to the day added: 3 February passes, 2 February fails', () => {
    expect(results(internal([{ id: 'ra', date: '2025-02-03', reviewer: 'cc' }]), K15)).toEqual(['pass']);
    expect(findings(internal([{ id: 'ra', date: '2025-02-02', reviewer: 'cc' }]), K15)[0]).toMatchObject({
      result: 'fail',
      location: 'waitingListEntries[0]',
      severity: 'error',
    });
    expect(results(internal([{ id: 'ra', date: '2025-03-04', reviewer: 'cc' }]), K15)).toEqual(['fail']);
  });
  it('someone else’s update fails naming the referrer; one that does not say who, or no date, cannot be judged', () => {
    const other = findings(internal([{ id: 'ra', date: '2025-03-01', reviewer: 'cc2' }]), K15)[0]!;
    expect(other.result).toBe('fail');
    expect(other.message).toContain('not by the referring clinician');
    expect(findings(internal([{ id: 'ra', date: '2025-03-01' }]), K15)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['riskAssessments[0].reviewer'] });
    expect(findings(internal([{ id: 'ra', reviewer: 'cc' }]), K15)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['riskAssessments[0].date'] });
  });
  it('any update counts when the record does not name a referring practitioner; not an internal referral asks nothing', () => {
    expect(results(internal([{ id: 'ra', date: '2025-03-01', reviewer: 'cc2' }], { referrer: { kind: 'organisation', id: 'lhb' } }), K15)).toEqual(['pass']);
    expect(messages(internal([], { internalReferral: false }), K15)).toEqual([NOTHING]);
  });
});

describe('LPT-X8: the place kept on moving to another team’s list', () => {
  const X8 = 'LPT-X8/place-kept-on-moving-team';
  const moved = (next: Partial<Entry> | null) =>
    waiting(
      { team: 'First team', referredOn: '2025-01-10', addedOn: '2025-02-03', removedOn: '2025-04-01', removedBecause: 'moved-team' },
      next === null ? [] : [{ id: 'w2', list: 'cpn', team: 'Second team', addedOn: '2025-04-01', transferredFrom: 'w', ...next }],
    );
  it('the new place with the same date of referral passes; a later date fails; none fails at the place left', () => {
    expect(results(moved({ referredOn: '2025-01-10' }), X8)).toEqual(['pass']);
    expect(findings(moved({ referredOn: '2025-04-01' }), X8)[0]).toMatchObject({ result: 'fail', location: 'waitingListEntries[1].referredOn' });
    expect(findings(moved(null), X8)[0]).toMatchObject({ result: 'fail', location: 'waitingListEntries[0]' });
    expect(messages(moved(null), X8, '2025-03-31')).toEqual([NOTHING]);
  });
  it('without the date of referral the place cannot be judged', () => {
    expect(findings(moved({}), X8)[0]).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['waitingListEntries[1].referredOn'],
      location: 'waitingListEntries[1].transferredFrom',
    });
  });
  it('a place moved twice is judged as the place left and as the place that replaced one, each at its own location', () => {
    const twice = waiting({ referredOn: '2025-01-10', removedOn: '2025-04-01', removedBecause: 'moved-team' }, [
      { id: 'w2', list: 'cpn', referredOn: '2025-01-10', addedOn: '2025-04-01', removedOn: '2025-05-01', removedBecause: 'moved-team', transferredFrom: 'w' },
    ]);
    expect(findings(twice, X8).map((f) => [f.result, f.location])).toEqual([
      ['fail', 'waitingListEntries[1]'],
      ['pass', 'waitingListEntries[1].transferredFrom'],
    ]);
  });
});

describe('LPT-WL7: the psychology waiting list’s minimum data set', () => {
  const WL7 = 'LPT-WL7/psychology-waiting-list-data-set';
  const full: Partial<Entry> = {
    list: 'psychology',
    referredOn: '2025-02-01',
    referrer: { kind: 'organisation', id: 'gp' },
    priority: 'routine',
    anticipatedWait: '18 weeks',
  };
  it('all of it passes; what is missing fails, named by field', () => {
    expect(results(waiting(full), WL7)).toEqual(['pass']);
    const { priority: _p, anticipatedWait: _w, ...partial } = full;
    const f = findings(waiting(partial), WL7)[0]!;
    expect(f).toMatchObject({ result: 'fail', location: 'waitingListEntries[0]', severity: 'warning' });
    expect(f.message).toBe('The place on the waiting list does not record: the referral’s priority; the anticipated time to an appointment.');
  });
  it('is asked of the psychology list only', () => {
    expect(messages(waiting(), WL7)).toEqual([NOTHING]);
  });
});

describe('the waiting-list rules are LPT’s', () => {
  const keys = ['LPT-WL1/letter-on-joining-waiting-list', 'LPT-WL2/rag-rated-on-joining', 'LPT-WL4/reviewed-as-often-as-rated', 'LPT-K15/risk-updated-before-waiting-list'];
  it('and no rule of ELFT or Wales', () => {
    const record = waiting({ internalReferral: true });
    for (const key of keys) {
      expect(findings(record, key, '2025-12-01', ELFT), key).toEqual([]);
      expect(findings(record, key, '2025-12-01', WALES), key).toEqual([]);
    }
    expect(findings(record, keys[0]!).length).toBe(1);
  });
});
