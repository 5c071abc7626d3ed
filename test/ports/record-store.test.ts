import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryRecordStore } from '../../src/ports/memory-record-store.js';
import { personKey } from '../../src/record/person-key.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { testNhsNumber } from '../helpers/generate.js';
import { onePerPerson } from '../helpers/one-per-person.js';

const record = (recordId: string, nhsNumber: string | undefined, extractedAt: string, system = 'epr-a') =>
  ({ source: { system, recordId, extractedAt }, ...(nhsNumber === undefined ? {} : { patient: { nhsNumber } }) }) as unknown as CtpRecord;

/** Records about a few people, some sharing an NHS number, some without one, some extracted at the same time. */
const records = fc
  .array(
    fc.record({
      person: fc.integer({ min: 0, max: 6 }),
      withNhs: fc.boolean(),
      system: fc.constantFrom('epr-a', 'epr-b'),
      day: fc.integer({ min: 1, max: 4 }),
    }),
    { maxLength: 40 },
  )
  .map((specs) => specs.map((s, i) => record(s.withNhs ? `r${i}` : `p${s.person}`, s.withNhs ? testNhsNumber(s.person) : undefined, `2026-01-0${s.day}T00:00:00Z`, s.system)));

async function put(list: readonly CtpRecord[]) {
  const store = memoryRecordStore();
  for (const r of list) await store.put(r);
  return store;
}

describe('the in-memory record store', () => {
  it('keeps, per person key, the record extracted last (on a tie, by the documented total order), like onePerPerson, and lists people by key', async () => {
    await fc.assert(
      fc.asyncProperty(records, async (list) => {
        const store = await put(list);
        const people = await store.people();
        const latest = await Promise.all(people.map((key) => store.latest(key)));
        expect(people).toEqual([...people].sort());
        expect(latest).toEqual([...onePerPerson(list).records].sort((a, b) => (personKey(a) < personKey(b) ? -1 : 1)));
        expect(new Set(people)).toEqual(new Set(list.map(personKey)));
        expect(await store.versions()).toBe(list.length);
      }),
    );
  });

  it('holds the same records whatever order they are put in', async () => {
    await fc.assert(
      fc.asyncProperty(
        records.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        async ([list, shuffled]) => {
          const [a, b] = [await put(list), await put(shuffled)];
          const people = await a.people();
          expect(await b.people()).toEqual(people);
          for (const key of people) expect(await b.latest(key)).toEqual(await a.latest(key));
        },
      ),
    );
  });

  it('returns nothing for a person it has never seen', async () => {
    const store = await put([record('r1', testNhsNumber(1), '2026-01-01T00:00:00Z')]);
    expect(await store.latest('nhs:0000000000')).toBeUndefined();
    expect(await store.latest(personKey(record('r1', testNhsNumber(1), 'x')))).toBeDefined();
  });

  it('does not share state between stores', async () => {
    const a = await put([record('r1', testNhsNumber(1), '2026-01-01T00:00:00Z')]);
    const b = memoryRecordStore();
    expect(await a.people()).toHaveLength(1);
    expect(await b.people()).toEqual([]);
  });
});
