import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fhirpath from 'fhirpath';
import { describe, expect, it } from 'vitest';
import { ConfigError, EngineError, MappingError } from '../../src/errors/errors.js';
import { compileExpression } from '../../src/fhirpath/compile.js';
import { CodeMaps } from '../../src/mapping/code-maps.js';
import { CompiledMapping } from '../../src/mapping/engine.js';
import { loadMappings } from '../../src/mapping/loader.js';
import { mappingFileSchema } from '../../src/mapping/mapping.schema.js';

const codeMaps = new CodeMaps([
  {
    id: 'colours',
    description: 'test',
    entries: [
      { from: 'R', to: 'red' },
      { from: 'G', to: 'green' },
    ],
  },
  {
    id: 'kinds',
    description: 'test',
    entries: [
      { from: 'person', to: 'Practitioner' },
      { from: 'patient', to: 'Patient' },
    ],
  },
]);

function documentMapping(template: Record<string, unknown>): CompiledMapping {
  const spec = mappingFileSchema.parse({ id: 'test-doc', version: '1.0.0', description: 'test', input: 'x', output: 'ctp', template });
  return new CompiledMapping('mappings/test-doc.yaml', spec, codeMaps);
}

function resourceMapping(resources: unknown[], extra: Record<string, unknown> = {}): CompiledMapping {
  const spec = mappingFileSchema.parse({ id: 'test-fhir', version: '2.0.0', description: 'test', input: 'x', output: 'fhir', resources, ...extra });
  return new CompiledMapping('mappings/test-fhir.yaml', spec, codeMaps);
}

const map = (template: Record<string, unknown>, input: unknown) => documentMapping(template).toDocument(input).document;

describe('template values', () => {
  it('takes the value of a whole expression, keeping its type', () => {
    expect(map({ n: '{{ a.n }}', b: '{{ a.b }}', s: '{{ a.s }}' }, { a: { n: 3, b: false, s: 'x' } })).toEqual({ n: 3, b: false, s: 'x' });
  });

  it('drops keys whose expression is empty, and objects and lists that end up empty', () => {
    expect(map({ a: '{{ missing }}', o: { x: '{{ missing }}' }, l: ['{{ missing }}'], k: 'kept' }, {})).toEqual({ k: 'kept' });
  });

  it('treats empty strings in the input as absent', () => {
    expect(map({ a: '{{ s }}', b: 'b' }, { s: '' })).toEqual({ b: 'b' });
  });

  it('interpolates text and drops the whole string when a part is missing', () => {
    expect(map({ a: 'Patient/{{ id }}', b: 'x-{{ missing }}' }, { id: '7' })).toEqual({ a: 'Patient/7' });
  });

  it('refuses an interpolated expression with several values, but not one with a single value inside a list', () => {
    expect(() => map({ a: 'x-{{ v }}' }, { v: [1, 2] })).toThrow(/an interpolated expression returned several values/);
    expect(map({ a: 'x-{{ v }}', b: 'y-{{ $this.w }}' }, { v: [1], w: ['', 'z'] })).toEqual({ a: 'x-1', b: 'y-z' });
  });

  it('gives a list when an expression has several values, and spreads it inside a list', () => {
    expect(map({ many: '{{ v }}', list: ['first', '{{ v }}'], one: ['{{ w }}'] }, { v: [1, 2], w: 'only' })).toEqual({
      many: [1, 2],
      list: ['first', 1, 2],
      one: ['only'],
    });
  });
});

describe('directives', () => {
  it('$for repeats an object per item with $this and the $as variable', () => {
    const out = map({ items: [{ $for: 'xs', $as: 'x', v: '{{ v }}', again: '{{ %x.v }}' }] }, { xs: [{ v: 1 }, { v: 2 }] });
    expect(out).toEqual({
      items: [
        { v: 1, again: 1 },
        { v: 2, again: 2 },
      ],
    });
  });

  it('$index exposes the position of each item', () => {
    expect(map({ items: [{ $for: 'xs', $index: 'i', at: '{{ %i }}' }] }, { xs: ['a', 'b'] })).toEqual({ items: [{ at: 0 }, { at: 1 }] });
  });

  it('$with moves to one item, drops the object when there is none, and rejects several', () => {
    expect(map({ o: { $with: 'a', v: '{{ v }}' } }, { a: { v: 1 } })).toEqual({ o: { v: 1 } });
    expect(map({ o: { $with: 'a', v: '{{ v }}' }, k: 1 }, {})).toEqual({ k: 1 });
    expect(() => map({ o: { $with: 'a', v: '{{ v }}' } }, { a: [{ v: 1 }, { v: 2 }] })).toThrow(/\$with expected one item but found 2/);
  });

  it('$if keeps an object only when its condition is true', () => {
    expect(map({ a: { $if: 'flag', v: 1 }, b: { $if: 'flag.not()', v: 2 } }, { flag: true })).toEqual({ a: { v: 1 } });
  });

  it('$let binds variables for the subtree', () => {
    expect(map({ o: { $let: { twice: 'n * 2' }, v: '{{ %twice }}' } }, { n: 4 })).toEqual({ o: { v: 8 } });
  });

  it('$value stands for a scalar, and a list given as $value flattens into the enclosing list', () => {
    const out = map(
      { names: [{ $for: 'groups', $value: [{ $for: 'members', $value: '{{ name }}' }] }] },
      { groups: [{ members: [{ name: 'a' }, { name: 'b' }] }, { members: [{ name: 'c' }] }] },
    );
    expect(out).toEqual({ names: ['a', 'b', 'c'] });
  });

  it('$first takes the first alternative that yields something', () => {
    const t = { v: { $first: ['{{ a }}', { code: '{{ b }}' }, 'fallback'] } };
    expect(map(t, { a: 'x' })).toEqual({ v: 'x' });
    expect(map(t, { b: 'y' })).toEqual({ v: { code: 'y' } });
    expect(map(t, {})).toEqual({ v: 'fallback' });
  });

  it('$needs drops an object unless the named key came out', () => {
    const t = { ext: [{ $for: 'xs', $needs: 'extension', url: 'u', extension: [{ $with: 'v', url: 'v', value: '{{ $this }}' }] }] };
    expect(map(t, { xs: [{ v: 1 }, {}] })).toEqual({ ext: [{ url: 'u', extension: [{ url: 'v', value: 1 }] }] });
    expect(() => documentMapping({ a: { $needs: 'nope', b: 1 } })).toThrow(/\$needs names "nope"/);
  });

  it('rejects unknown directives and misuse at load time, naming the file and place', () => {
    expect(() => documentMapping({ a: { $bogus: 1 } })).toThrow(ConfigError);
    expect(() => documentMapping({ a: { $bogus: 1 } })).toThrow(/test-doc\.yaml rule "template" at a: unknown directive "\$bogus"/);
    expect(() => documentMapping({ a: { $as: 'x', v: 1 } })).toThrow(/\$as needs \$for or \$with/);
    expect(() => documentMapping({ a: { $value: 1, b: 2 } })).toThrow(/\$value cannot be combined/);
    expect(() => documentMapping({ a: '{{ (( }}' })).toThrow(/test-doc\.yaml rule "template" at a: cannot compile expression/);
  });
});

describe("error locations are in the input's terms, never the mapping's expressions", () => {
  function locationOf(run: () => unknown): string {
    try {
      run();
    } catch (err) {
      return (err as MappingError).location.inputPath;
    }
    throw new Error('expected the mapping to fail');
  }

  it('an item chosen by a filtering expression is located where it sits in the input', () => {
    const template = { items: [{ $for: "xs.where(k != 'skip')", c: "{{ code.translate('colours') }}" }] };
    const input = {
      xs: [
        { k: 'skip', code: 'Q' },
        { k: 'a', code: 'R' },
        { k: 'b', code: 'Q' },
      ],
    };
    expect(locationOf(() => map(template, input))).toBe('xs[2]');
  });

  it('an item reached through a variable is located where it sits in the input', () => {
    const template = { $let: { all: 'groups.members' }, items: [{ $for: '%all', c: "{{ code.translate('colours') }}" }] };
    const input = { groups: [{ members: [{ code: 'R' }] }, { members: [{ code: 'G' }, { code: 'Q' }] }] };
    expect(locationOf(() => map(template, input))).toBe('groups[1].members[1]');
  });

  it('FHIR input is located from its resource type, as Bundle.entry[i].resource', () => {
    const template = { items: [{ $for: "entry.resource.where(resourceType = 'Goal')", c: "{{ status.translate('colours') }}" }] };
    const bundle = { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Patient' } }, { resource: { resourceType: 'Goal', status: 'Q' } }] };
    expect(locationOf(() => map(template, bundle))).toBe('Bundle.entry[1].resource');
  });

  it('a resource rule iterating over a filtering expression is located in the input, too', () => {
    const rules = [
      {
        rule: 'item',
        for: "xs.where(k = 'b')",
        resourceType: 'Basic',
        profile: 'http://example.org/p',
        localId: '{{ k }}',
        template: { code: { text: "{{ code.translate('colours') }}" } },
      },
    ];
    expect(
      locationOf(() =>
        resourceMapping(rules).toResources({
          xs: [
            { k: 'a', code: 'R' },
            { k: 'b', code: 'Q' },
          ],
        }),
      ),
    ).toBe('xs[1]');
  });

  it("the caller may name where an object came from in the file (a CSV row's line); others keep their path", () => {
    const rows = [{ code: 'R' }, { code: 'Q' }];
    const lines = new Map<unknown, string>([[rows[1], 'line 3']]);
    const mapping = documentMapping({ items: [{ $for: 'rows', c: "{{ code.translate('colours') }}" }] });
    expect(locationOf(() => mapping.toDocument({ rows }, { locate: (item) => lines.get(item) }))).toBe('line 3');
    expect(locationOf(() => mapping.toDocument({ rows: [{ code: 'Q' }] }, { locate: (item) => lines.get(item) }))).toBe('rows[0]');
  });

  it("a value that is not one of the input's objects is located at the enclosing item", () => {
    const template = { items: [{ $for: 'xs', codes: [{ $for: "codes.where($this != 'R')", c: "{{ $this.translate('colours') }}" }] }] };
    expect(locationOf(() => map(template, { xs: [{ codes: ['R'] }, { codes: ['R', 'Q'] }] }))).toBe('xs[1]');
  });
});

describe('functions', () => {
  it('translate() maps codes both ways and fails on an unmapped code, naming the map, rule and input', () => {
    expect(map({ c: "{{ code.translate('colours') }}", r: "{{ 'green'.translate('colours', 'reverse') }}" }, { code: 'R' })).toEqual({ c: 'red', r: 'G' });
    let error: unknown;
    try {
      map({ items: [{ $for: 'xs', c: "{{ code.translate('colours') }}" }] }, { xs: [{ code: 'R' }, { code: 'Q' }] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MappingError);
    const e = error as MappingError;
    expect(e.code).toBe('MAPPING_UNKNOWN_CODE');
    expect(e.location).toMatchObject({ mappingFile: 'mappings/test-doc.yaml', rule: 'template (items[0].c)', inputPath: 'xs[1]', value: 'Q' });
    // What was in scope, most specific first, to place the value in the input's own terms (never in a message).
    expect(e.location.inScope?.[0]).toEqual({ code: 'Q' });
    expect(e.message).toContain('a code (1 character) has no entry in code map "colours"');
    expect(e.message).not.toContain('"Q"');
  });

  it('never quotes the value in an unmapped-code error, even when it looks like a code', () => {
    expect(() => map({ c: "{{ code.translate('colours') }}" }, { code: 'AlysBevan' })).toThrow(/a code \(9 characters\) has no entry/);
    expect(() => map({ c: "{{ code.translate('colours') }}" }, { code: 'Alys Bevan has a new address' })).toThrow(/a code \(28 characters\) has no entry/);
    try {
      map({ c: "{{ code.translate('colours') }}" }, { code: 'Alys Bevan has a new address' });
    } catch (err) {
      expect(JSON.stringify((err as MappingError).issues)).not.toContain('Alys');
    }
  });

  it('mapped() keeps only translatable codes', () => {
    expect(map({ c: ["{{ codes.mapped('colours') }}"] }, { codes: ['R', 'X', 'G'] })).toEqual({ c: ['R', 'G'] });
  });

  it('isoDate() reads dates in a source layout and refuses impossible ones without quoting them', () => {
    expect(map({ a: "{{ a.isoDate('DD/MM/YYYY') }}", b: "{{ b.isoDate('YYYYMMDD') }}" }, { a: '29/02/2024', b: '20250131' })).toEqual({ a: '2024-02-29', b: '2025-01-31' });
    expect(() => map({ a: "{{ a.isoDate('DD/MM/YYYY') }}" }, { a: '31/02/2025' })).toThrow(/a value is not a date in the layout DD\/MM\/YYYY/);
    expect(() => map({ a: "{{ a.isoDate('DD/MM/YYYY') }}" }, { a: '2025-02-01' })).toThrow(MappingError);
  });

  it('a fault of the compiled expressions is an engine error naming the mapping and rule, never the data', () => {
    const unreadable = {
      get code(): string {
        throw new RangeError('Alys Bevan');
      },
    };
    let error: unknown;
    try {
      map({ c: "{{ xs.where(code = 'R').exists() }}" }, { xs: [unreadable] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EngineError);
    const e = error as EngineError;
    expect([e.code, e.stage, e.retryable]).toEqual(['EXPRESSION_FAILED', 'mapping', false]);
    expect(e.message).toBe(`mappings/test-doc.yaml rule "template (c)": the compiled expression "xs.where(code = 'R').exists()" failed (RangeError)`);
    expect(JSON.stringify([e.message, e.issues])).not.toContain('Alys');
  });

  it('an expression fhirpath.js refuses on the input fails with its reason, without the values it quotes', () => {
    let error: unknown;
    try {
      map({ c: '{{ name contains codes }}' }, { name: 'Alys', codes: ['Alys Bevan', 'Cardiff'] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MappingError);
    const e = error as MappingError;
    expect(e.code).toBe('MAPPING_EXPRESSION');
    expect(e.message).toBe('mappings/test-doc.yaml rule "template (c)" at input (root): expression failed: Expected singleton on right side of contains');
    expect(JSON.stringify([e.message, e.issues])).not.toMatch(/Alys|Cardiff/);
  });

  it('recorded() drops notRecorded markers', () => {
    expect(map({ v: ['{{ xs.recorded() }}'] }, { xs: ['a', { notRecorded: 'unknown' }, 'b'] })).toEqual({ v: ['a', 'b'] });
  });
});

describe('mappings to FHIR', () => {
  const rules = [
    { rule: 'patient', resourceType: 'Patient', profile: 'https://example.org/p', localId: 'patient', template: { gender: '{{ sex }}' } },
    {
      rule: 'person',
      resourceType: 'Practitioner',
      profile: 'https://example.org/pr',
      for: 'people',
      as: 'person',
      localId: '{{ id }}',
      template: { name: [{ text: '{{ name }}' }], partner: { reference: "{{ partner.ref('Practitioner') }}" }, who: { reference: "{{ kindOf.refKind('kinds') }}" } },
    },
  ];
  const input = {
    sex: 'female',
    people: [
      { id: 'a', name: 'A', partner: 'b', kindOf: { kind: 'patient' } },
      { id: 'b', name: 'B', kindOf: { kind: 'person', id: 'a' } },
    ],
  };

  it('gives every resource a deterministic id and resolves ref() in any order', () => {
    const first = resourceMapping(rules, { scope: "'scope-1'" }).toResources(input);
    const second = resourceMapping(rules, { scope: "'scope-1'" }).toResources(input);
    expect(first.resources.map((r) => r.id)).toEqual(second.resources.map((r) => r.id));
    const [patient, a, b] = first.resources;
    expect(a!.resource.partner).toEqual({ reference: b!.fullUrl });
    expect(a!.resource.who).toEqual({ reference: patient!.fullUrl });
    expect(b!.resource.who).toEqual({ reference: a!.fullUrl });
    expect(a!.resource).toMatchObject({ resourceType: 'Practitioner', id: a!.id, meta: { profile: ['https://example.org/pr'] } });
    expect(a!.request).toEqual({ method: 'PUT', url: `Practitioner/${a!.id}` });
    expect(new Set(first.resources.map((r) => r.id)).size).toBe(3);
  });

  it('changes ids when the scope changes', () => {
    const one = resourceMapping(rules, { scope: "'scope-1'" })
      .toResources(input)
      .resources.map((r) => r.id);
    const two = resourceMapping(rules, { scope: "'scope-2'" })
      .toResources(input)
      .resources.map((r) => r.id);
    expect(one.some((id, i) => id === two[i])).toBe(false);
  });

  it('fails on a reference to an unknown local id, naming rule and input', () => {
    const bad = { ...input, people: [{ id: 'a', name: 'A', partner: 'zz', kindOf: { kind: 'patient' } }] };
    expect(() => resourceMapping(rules).toResources(bad)).toThrow(
      /test-fhir\.yaml rule "person \(partner\.reference\)" at input people\[0\]: refers to a Practitioner by a local id that no Practitioner in this record has$/,
    );
  });

  it('fails when two items share a local id', () => {
    const dup = {
      ...input,
      people: [
        { id: 'a', kindOf: { kind: 'patient' } },
        { id: 'a', kindOf: { kind: 'patient' } },
      ],
    };
    expect(() => resourceMapping(rules).toResources(dup)).toThrow(/at input people\[1\]: two Practitioner resources have the same local id$/);
  });

  it('uses a conditional update when one is declared and its value is present', () => {
    const conditional = [{ ...rules[0], conditional: 'identifier=urn:x|{{ nhs }}' }];
    expect(resourceMapping(conditional).toResources({ nhs: '1' }).resources[0]!.request.url).toBe('Patient?identifier=urn:x|1');
    expect(resourceMapping(conditional).toResources({}).resources[0]!.request.url).toMatch(/^Patient\/[0-9a-f-]{36}$/);
  });

  it('traces every output element to its rule, template path and input element', () => {
    const { trace } = resourceMapping(rules).toResources(input, { trace: true });
    expect(trace).toContainEqual({ path: 'Bundle.entry[1].resource.name[0].text', rule: 'test-fhir:person', template: 'name[0].text', input: 'people[0]' });
    expect(trace).toContainEqual({ path: 'Bundle.entry[0].resource.gender', rule: 'test-fhir:patient', template: 'gender', input: '(root)' });
    expect(trace).toContainEqual(expect.objectContaining({ path: 'Bundle.entry[2].resource.id', rule: 'test-fhir:person' }));
  });

  it('nests for levels, binding each level to its own variable', () => {
    const nested = [
      {
        rule: 'child',
        resourceType: 'Goal',
        profile: 'https://example.org/g',
        for: ['groups', 'members'],
        as: ['group', 'member'],
        localId: '{{ %group.id }}-{{ id }}',
        template: { description: { text: '{{ %group.name }}/{{ %member.name }}' } },
      },
    ];
    const { resources, trace } = resourceMapping(nested).toResources(
      {
        groups: [
          {
            id: 'g1',
            name: 'A',
            members: [
              { id: 'm1', name: 'x' },
              { id: 'm2', name: 'y' },
            ],
          },
          { id: 'g2', name: 'B', members: [{ id: 'm1', name: 'z' }] },
        ],
      },
      { trace: true },
    );
    expect(resources.map((r) => [r.localId, (r.resource.description as { text: string }).text])).toEqual([
      ['g1-m1', 'A/x'],
      ['g1-m2', 'A/y'],
      ['g2-m1', 'B/z'],
    ]);
    expect(trace).toContainEqual(expect.objectContaining({ path: 'Bundle.entry[2].resource.description.text', input: 'groups[1].members[0]' }));
  });

  it('takes the first key alternative that yields a value', () => {
    const keyed = [
      { rule: 'org', resourceType: 'Organization', profile: 'https://example.org/o', for: 'orgs', localId: '{{ id }}', key: ['ods|{{ ods }}', 'local|{{ id }}'] },
    ].map((r) => ({ ...r, template: { name: '{{ id }}' } }));
    const one = resourceMapping(keyed).toResources({ orgs: [{ id: 'a', ods: '7A1' }, { id: 'b' }] }).resources;
    const two = resourceMapping(keyed).toResources({ orgs: [{ id: 'c', ods: '7A1' }] }).resources;
    expect(one[0]!.id).toBe(two[0]!.id);
    expect(one[1]!.id).not.toBe(one[0]!.id);
  });

  it('produces the same resources with and without tracing', () => {
    const plain = resourceMapping(rules).toResources(input).resources;
    const traced = resourceMapping(rules).toResources(input, { trace: true }).resources;
    expect(traced).toEqual(plain);
  });
});

describe('the fast path for plain paths', () => {
  const inputs = [{ a: { b: [{ c: 1 }, { c: [2, 3] }, {}] } }, { a: [{ b: { c: 'x' } }, { b: null }] }, { a: 1 }, {}, { a: { b: { c: 2 } } }, { a: '1' }];
  for (const expr of ['a', 'a.b', 'a.b.c', '$this.a.b', "a.b.c = 'x'", 'a = 1', "a.b.c != 'x'", 'a.b.c = 2']) {
    it(`agrees with fhirpath.js on "${expr}"`, () => {
      const fast = compileExpression(expr, {});
      for (const input of inputs) expect(fast(input, {})).toEqual(fhirpath.evaluate(input, expr));
    });
  }
});

describe('loading mappings', () => {
  function folder(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'pont-mappings-'));
    mkdirSync(join(dir, 'code-maps'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  it('loads every mapping in the project', () => {
    const registry = loadMappings(join(import.meta.dirname, '../../mappings'));
    expect(registry.get('ctp-to-fhir')?.output).toBe('fhir');
    expect(registry.find('fhir', 'ctp')?.id).toBe('fhir-to-ctp');
  });

  it('a mapping may write a document in a format of its own (an EPR’s), from a template only', () => {
    const base = { id: 'ctp-to-vendor', version: '1.0.0', description: 'x', input: 'ctp', output: 'vendor-json' };
    const spec = mappingFileSchema.parse({ ...base, template: { id: '{{ source.recordId }}' } });
    const mapping = new CompiledMapping('mappings/ctp-to-vendor.yaml', spec, codeMaps);
    expect(mapping.output).toBe('vendor-json');
    expect(mapping.toDocument({ source: { recordId: 'r1' } }).document).toEqual({ id: 'r1' });
    const refused = mappingFileSchema.safeParse({ ...base, resources: [] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.message)).toEqual(['a mapping to a document needs a template', 'a mapping to a document uses template, not resources']);
    expect(mappingFileSchema.safeParse({ ...base, output: 'Not A Format', template: {} }).success).toBe(false);
  });

  it('reports every problem at once, each naming its file', () => {
    const dir = folder({
      'broken.yaml': 'id: [unclosed',
      'wrong.yaml': 'id: Not-Kebab\nversion: 1\ndescription: x\ninput: x\noutput: ctp\ntemplate: {}\n',
      'missing-map.yaml': 'id: uses-map\nversion: 1.0.0\ndescription: x\ninput: x\noutput: ctp\ntemplate: { a: "{{ x.translate(\'nowhere\') }}" }\n',
      'missing-kind-map.yaml': 'id: uses-kind-map\nversion: 1.0.0\ndescription: x\ninput: x\noutput: ctp\ntemplate: { a: "{{ x.mapped(\'elsewhere\') }}" }\n',
    });
    let error: ConfigError | undefined;
    try {
      loadMappings(dir);
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toContain('broken.yaml: not valid YAML');
    expect(error!.message).toContain('wrong.yaml: id: must be kebab-case');
    expect(error!.message).toContain('wrong.yaml: version: ');
    expect(error!.message).toContain('missing-map.yaml: uses code map "nowhere", which does not exist');
    expect(error!.message).toContain('missing-kind-map.yaml: uses code map "elsewhere", which does not exist');
  });
});

describe('conditional request URLs', () => {
  it('percent-encode what a URI query cannot hold, keep what reads the same, and decode back to the criteria', async () => {
    const { encodeCriteria } = await import('../../src/mapping/engine.js');
    const fc = (await import('fast-check')).default;
    expect(encodeCriteria('identifier=https://fhir.nhs.uk/Id/ods-organization-code|a a')).toBe('identifier=https://fhir.nhs.uk/Id/ods-organization-code|a%20a');
    fc.assert(
      fc.property(fc.string(), (value) => {
        const url = `Organization?${encodeCriteria(`identifier=https://fhir.nhs.uk/Id/ods-organization-code|${value}`)}`;
        expect(() => new URL(url, 'http://x/')).not.toThrow();
        expect(url).not.toMatch(/[\s"<>\\^`{}]/);
        expect(new URL(url, 'http://x/').searchParams.get('identifier')).toBe(`https://fhir.nhs.uk/Id/ods-organization-code|${value}`);
      }),
    );
  });
});

describe('functions for source-named identifiers', () => {
  const resource = {
    id: 'server-id',
    identifier: [
      { system: 'urn:old', value: 'old-id' },
      { system: 'urn:new/a', value: 'new-id' },
    ],
  };

  it('localId takes the value in the first of its systems the resource has, else the resource id', () => {
    expect(map({ a: "{{ localId('urn:new/a', 'urn:old') }}", b: "{{ localId('urn:new/b', 'urn:old') }}", c: "{{ localId('urn:new/b') }}" }, resource)).toEqual({
      a: 'new-id',
      b: 'old-id',
      c: 'server-id',
    });
    expect(map({ a: "{{ localId(missing, 'urn:old') }}" }, resource)).toEqual({ a: 'old-id' });
  });

  it('uriSegment writes a value as one URI path segment', () => {
    expect(map({ a: "{{ 'https://x.example/' + s.uriSegment() }}" }, { s: 'Vendor A/ŵ' })).toEqual({ a: 'https://x.example/Vendor%20A%2F%C5%B5' });
  });
});
