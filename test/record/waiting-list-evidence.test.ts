/**
 * Places on waiting lists and what becomes of a referral, in the record: valid as the schema
 * holds them, their references checked by integrity.ts, and codes pont has none for held as
 * "other". Every person here is invented.
 */
import { describe, expect, it } from 'vitest';
import { checkIntegrity } from '../../src/record/integrity.js';
import { type CtpRecord, recordSchema } from '../../src/record/record.schema.js';
import { compliantRecord } from '../compliance/helpers.js';

const withPlaces = (change: (r: CtpRecord) => void): CtpRecord => {
  const r = structuredClone(compliantRecord());
  r.waitingListEntries = [
    {
      id: 'w1',
      list: 'cpn',
      episode: 'ep',
      referrer: { kind: 'practitioner', id: 'cc' },
      referredOn: '2025-01-10',
      addedOn: '2025-02-03',
      removedOn: '2025-04-01',
      removedBecause: 'moved-team',
      ratings: [{ rating: 'amber', on: '2025-02-03' }],
      letters: [{ kind: 'placed-on-list', sentOn: '2025-02-04', contents: ['expected-wait', 'emergency-contacts'] }],
      reviews: [{ at: '2025-05-01T10:00:00+01:00', method: 'telephone', reached: false }],
    },
    { id: 'w2', list: 'cpn', referredOn: '2025-01-10', addedOn: '2025-04-01', transferredFrom: 'w1' },
  ];
  r.episodes![0]!.referral = {
    receivedOn: '2025-01-10',
    route: 'internal',
    source: 'crisis-team',
    dataSet: { items: ['nhs-number', 'risk'], missingSoughtOn: '2025-01-13' },
    decision: { outcome: 'accepted', on: '2025-01-20', told: [{ who: 'referrer', on: '2025-01-21', inWriting: true }] },
    regradings: [{ from: 'urgent', to: 'routine', on: '2025-01-11', rationaleGiven: true, told: [{ who: 'gp', on: '2025-01-12' }] }],
  };
  change(r);
  return r;
};
const problems = (r: CtpRecord) => checkIntegrity(r).map((i) => i.expression?.[0]);

describe('waiting lists and referral decisions in the record', () => {
  it('are valid, and their references resolve', () => {
    const r = withPlaces(() => {});
    expect(recordSchema.safeParse(r).success).toBe(true);
    expect(problems(r)).toEqual([]);
  });

  it('name a repeated id, an unknown episode or referrer, a place left before it began, and a move from no other place', () => {
    const r = withPlaces((x) => {
      const [first, second] = x.waitingListEntries!;
      first!.episode = 'nowhere';
      first!.referrer = { kind: 'practitioner', id: 'nobody' };
      first!.removedOn = '2025-01-01';
      second!.transferredFrom = 'w9';
      x.waitingListEntries!.push({ id: 'w1', list: 'psychology', addedOn: '2025-03-01', transferredFrom: 'w1' });
    });
    expect(problems(r).sort()).toEqual([
      'waitingListEntries[0].episode',
      'waitingListEntries[0].referrer.id',
      'waitingListEntries[0].removedOn',
      'waitingListEntries[1].transferredFrom',
      'waitingListEntries[2].id',
      'waitingListEntries[2].transferredFrom',
    ]);
  });

  it('hold what a source has that pont has no code for as "other", and refuse a place with no date added or an empty list', () => {
    const other = withPlaces((x) => {
      x.waitingListEntries![0]!.list = 'other';
      x.waitingListEntries![0]!.ratings = [{ rating: 'other', on: '2025-02-03' }];
      x.episodes![0]!.referral!.decision = { outcome: 'other', onwardService: 'other' };
    });
    expect(recordSchema.safeParse(other).success).toBe(true);
    const undated = withPlaces((x) => delete (x.waitingListEntries![1] as { addedOn?: string }).addedOn);
    expect(recordSchema.safeParse(undated).success).toBe(false);
    const empty = withPlaces((x) => (x.waitingListEntries![0]!.letters = [] as never));
    expect(recordSchema.safeParse(empty).success).toBe(false);
  });
});
