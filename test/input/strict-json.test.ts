/** The strict JSON scanner and decoder, checked against the engine's own JSON.parse. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/errors.js';
import { decodeJson, jsonPath } from '../../src/input/json.js';
import { JsonScanError, JsonScanner } from '../../src/input/json-scanner.js';

function errorOf(body: () => unknown): InputError {
  try {
    body();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

/** Pushes `text` in pieces cut at `cuts`, collecting the records the scanner cuts out. */
function scanRecords(text: string, cuts: readonly number[]): string[] {
  const records: string[] = [];
  const scanner = new JsonScanner({ maxDepth: 10_000, records: true }, (record, index) => {
    expect(index).toBe(records.length);
    records.push(record);
  });
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const at = Math.min(cut, text.length);
    scanner.push(text.slice(from, at));
    from = at;
  }
  scanner.push(text.slice(from));
  scanner.end();
  return records;
}

const accepts = (text: string): boolean => {
  try {
    const scanner = new JsonScanner({ maxDepth: 10_000, records: false });
    scanner.push(text);
    scanner.end();
    return true;
  } catch (err) {
    if (err instanceof JsonScanError) return false;
    throw err;
  }
};
const engineAccepts = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('the strict JSON scanner', () => {
  it('accepts exactly the texts JSON.parse accepts, for JSON and near-JSON text (no repeated keys)', () => {
    const nearJson = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '\\', ':', ' x', '0', '-', '.5', '\n', '\u0001', 'tru', '[', '{'))
      .map(([json, at, insert]) => json.slice(0, at % (json.length + 1)) + insert + json.slice(at % (json.length + 1)));
    fc.assert(
      fc.property(fc.oneof(fc.json(), nearJson, fc.string()), (text) => {
        // A text the engine reads but with a key twice is refused on purpose, so leave those out.
        const repeated = (() => {
          try {
            new JsonScanner({ maxDepth: 10_000, records: false }).push(text);
            return false;
          } catch (err) {
            return err instanceof JsonScanError && err.kind === 'duplicate-key';
          }
        })();
        fc.pre(!repeated);
        expect(accepts(text)).toBe(engineAccepts(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes to the same value as JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(decodeJson(JSON.stringify(value, null, 1), 'x.json')).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('cuts a top-level array into its elements, and NDJSON into its lines, however the text is split into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 8 }), fc.array(fc.nat()), fc.boolean(), (values, cuts, ndjson) => {
        const text = ndjson ? values.map((v) => JSON.stringify(v)).join('\n') : JSON.stringify(values, null, 2);
        const written = JSON.parse(JSON.stringify(values)) as unknown[]; // -0 is written as 0
        const expected = ndjson ? written.filter((v) => !Array.isArray(v)) : written;
        fc.pre(!ndjson || (values.length > 0 && expected.length === values.length)); // an empty input is refused; an NDJSON line that is an array is a list of records
        expect(scanRecords(text, cuts).map((r) => JSON.parse(r))).toEqual(expected);
      }),
    );
  });

  it('refuses a key written twice in one object, naming the object by its path', () => {
    const err = errorOf(() => decodeJson('{"plans": [{"id": 1}, {"id": 2,\n "id": 3}]}', 'x.json', { isKnownKey: (k) => k === 'plans' || k === 'id' }));
    expect(err.code).toBe('INPUT_NOT_JSON');
    expect(err.message).toBe('x.json: not accepted as JSON (line 2, column 2: the object at $.plans[1] has the key "id" twice)');
    expect(err.issues[0]!.expression).toEqual(['$.plans[1]']);
  });

  it('never names a key no schema knows: it may be patient data', () => {
    const err = errorOf(() => decodeJson('{"person": {"Mair Jones": 1, "Mair Jones": 2}}', 'x.json', { isKnownKey: (k) => k === 'person' }));
    expect(err.message).toContain('the object at $.person has the key (not shown) twice');
    expect(JSON.stringify(err.issues) + err.message).not.toContain('Mair');
    expect(jsonPath(['person', 'Mair Jones', 0], (k) => k === 'person')).toBe('$.person.(key not shown)[0]');
  });

  it('refuses nesting deeper than the limit with an error, not a stack overflow (5,000 deep)', () => {
    const deep = `${'{"a":['.repeat(2500)}1${']}'.repeat(2500)}`;
    const err = errorOf(() => decodeJson(deep, 'deep.json', { isKnownKey: (k) => k === 'a' }));
    expect(err.code).toBe('INPUT_NOT_JSON');
    expect(err.message).toMatch(
      /^deep\.json: not accepted as JSON \(line 1, column 3001: objects and arrays are nested more than 1000 levels deep at \$(\.a\[0\]){10}… \(1000 levels\)\)$/,
    );
    expect(decodeJson(`${'['.repeat(1000)}${']'.repeat(1000)}`, 'ok.json')).toBeInstanceOf(Array);
  });

  it('gives the line and column of a syntax error with the reason, never the text', () => {
    const err = errorOf(() => decodeJson('{\n  "a": 1,\n  "b": Mair\n}', 'x.json'));
    expect(err.message).toBe('x.json: not valid JSON (line 3, column 8: expected a value)');
    expect(errorOf(() => decodeJson('  ', 'x.json')).message).toBe('x.json: not valid JSON (the input is empty)');
  });
});

describe('cutting the records under a key of a top-level object', () => {
  it('gives each element of the list under the key, and every other member with its key, as JSON.parse reads them (property)', () => {
    const member = fc.tuple(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }));
    fc.assert(
      fc.property(
        fc.uniqueArray(member, { selector: ([k]) => k, maxLength: 5 }),
        fc.option(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 })),
        fc.nat(6),
        fc.array(fc.nat(), { maxLength: 8 }),
        (others, list, at, cuts) => {
          const members = others.filter(([k]) => k !== 'list');
          const entries: [string, unknown][] = list === null ? members : [...members.slice(0, at), ['list', list], ...members.slice(at)];
          const text = JSON.stringify(Object.fromEntries(entries), null, at % 2 === 0 ? undefined : 1);
          const records: unknown[] = [];
          const seen: [string, unknown][] = [];
          const scanner = new JsonScanner(
            { maxDepth: 100, records: { under: 'list' } },
            (record, index) => {
              expect(index).toBe(records.length);
              records.push(JSON.parse(record));
            },
            (key, value) => seen.push([key, value === undefined ? 'the list' : JSON.parse(value)]),
          );
          let from = 0;
          for (const cut of [...cuts].map((c) => c % (text.length + 1)).sort((a, b) => a - b)) {
            scanner.push(text.slice(from, cut));
            from = cut;
          }
          scanner.push(text.slice(from));
          scanner.end();
          const parsed = Object.entries(JSON.parse(text) as Record<string, unknown>);
          expect(seen).toEqual(parsed.map(([k, v]) => [k, k === 'list' ? 'the list' : v]));
          expect(records).toEqual(JSON.parse(JSON.stringify(list ?? [])));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a second top-level value', () => {
    const scanner = new JsonScanner({ maxDepth: 100, records: { under: 'list' } });
    expect(() => scanner.push('{"list": []} {}')).toThrow(JsonScanError);
  });
});

describe('decodeJson, JSON.parse first and the scanner only for text that fails', () => {
  /** JSON text with keys from a small set (so often repeated, some escaped), nested a few levels. */
  const key = fc.constantFrom('a', 'b', '\\u0061', 'a:', '{', '"');
  const text: fc.Arbitrary<string> = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.constantFrom('1', '"x"', '"]:{"', 'null', '"\\\\"'), tie('object'), tie('array')),
    object: fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((members) => `{${members.map(([k, v]) => `"${k === '"' ? '\\"' : k}" : ${v}`).join(',')}}`),
    array: fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
  })).value as fc.Arbitrary<string>;

  it('accepts and refuses exactly what the scanner does, with its error (property)', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 4 }), (json, maxDepth) => {
        let scanned: string | undefined;
        try {
          const scanner = new JsonScanner({ maxDepth, records: false });
          scanner.push(json);
          scanner.end();
        } catch (err) {
          scanned = (err as Error).message;
        }
        let decoded: string | undefined;
        try {
          expect(decodeJson(json, 'in.json', { maxDepth })).toEqual(JSON.parse(json));
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          decoded = err.message;
        }
        expect(decoded === undefined, `${json}: ${scanned}`).toBe(scanned === undefined);
        if (scanned !== undefined) expect(decoded).toContain(/line \d+, column \d+/.exec(scanned)![0]);
      }),
      { numRuns: 500 },
    );
  });

  it('finds a key repeated among many, as the scanner does', () => {
    const keys = Array.from({ length: 100 }, (_, i) => `"k${i}":${i}`);
    const repeated = `{${[...keys, '"k7":0'].join(',')}}`;
    expect(errorOf(() => decodeJson(repeated, 'in.json')).message).toMatch(/line 1, column \d+: the object at \$ has the key \(not shown\) twice/);
    expect(decodeJson(`{${keys.join(',')}}`, 'in.json')).toEqual(JSON.parse(`{${keys.join(',')}}`));
  });
});
