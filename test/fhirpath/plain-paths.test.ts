import fhirpath from 'fhirpath';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/fhirpath/compile.js';
import { type ExpressionFunctions, NONE, NOT_SINGLE } from '../../src/fhirpath/types.js';

const functions: ExpressionFunctions = {};

const document = {
  id: 'd1',
  blank: '',
  zero: 0,
  no: false,
  nothing: null,
  none: [],
  one: ['only'],
  two: ['a', 'b'],
  holes: [null, 'kept'],
  onlyNull: [null],
  nested: [['deep']],
  text: 'plain',
  child: { id: 'c1', list: [{ code: 'x' }], pair: [{ code: 'y' }, { code: 'z' }], inner: { value: 7 } },
  children: [{ id: 'k1', tags: ['t1'] }, { id: 'k2' }, { tags: ['t2', 't3'] }],
};

const env = { doc: document, list: [document.child, document.child], missing: null, word: 'w' };
const inputs: unknown[] = [document, document.child, document.children, 'text', 3, null, undefined, []];

const paths = [
  'id',
  'blank',
  'zero',
  'no',
  'nothing',
  'none',
  'one',
  'two',
  'holes',
  'onlyNull',
  'nested',
  'text.more',
  'child.id',
  'child.list.code',
  'child.pair.code',
  'child.inner.value',
  'children.id',
  'children.tags',
  'children.tags.more',
  '$this',
  '$this.id',
  '$this.child.inner',
  '%doc.child.list.code',
  '%doc.one',
  '%list.id',
  '%missing.id',
  '%word',
];

function reference(path: string, input: unknown): unknown[] {
  return fhirpath.evaluate(input ?? {}, path, env) as unknown[];
}

describe('plain paths', () => {
  it('give what fhirpath.js gives', () => {
    for (const path of paths) {
      const compiled = compileExpression(path, functions);
      for (const input of inputs) {
        if (input === null || input === undefined) continue; // the engine passes {} for no input
        expect(compiled(input, env), `${path} on ${JSON.stringify(input)}`).toEqual(reference(path, input));
      }
    }
  });

  it('give the single item without a collection only when fhirpath.js gives exactly that item', () => {
    let singles = 0;
    for (const path of paths) {
      const single = compileExpression(path, functions).single;
      expect(single, path).toBeDefined();
      for (const input of inputs) {
        if (input === null || input === undefined) continue;
        const value = single!(input, env);
        const expected = reference(path, input);
        if (value === NOT_SINGLE) continue;
        if (value === NONE) expect(expected, `${path} on ${JSON.stringify(input)}`).toEqual([]);
        else {
          expect([value], `${path} on ${JSON.stringify(input)}`).toEqual(expected);
          singles++;
        }
      }
    }
    expect(singles).toBeGreaterThan(20);
  });

  it('hand over several items to the collection', () => {
    const single = compileExpression('two', functions).single!;
    expect(single(document, env)).toBe(NOT_SINGLE);
    expect(compileExpression('children.id', functions).single!(document, env)).toBe(NOT_SINGLE);
  });

  it('fail the same way on an undefined variable', () => {
    const compiled = compileExpression('%undefinedName.x', functions);
    expect(() => compiled(document, env)).toThrow(/undefined environment variable %undefinedName/);
    expect(() => compiled.single!(document, env)).toThrow(/undefined environment variable %undefinedName/);
  });
});
