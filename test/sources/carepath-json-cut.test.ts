import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Input, isReadable } from '../../src/app/inputs.js';
import { readInputs } from '../../src/cli/input-file.js';
import { CarePathCutter, type CarePathPart } from '../../src/sources/carepath-json.cut.js';
import { carePathFilePath, parseCarePathJson } from '../../src/sources/carepath-json.parse.js';
import { errorOf, exampleText, SCENARIOS } from './helpers.js';

type Json = Record<string, unknown>;

/** The examples' clients under one export header, as a CarePath export of several clients. */
function exportOf(mutate: (clients: Json[], header: Json) => void = () => {}): { exportMeta: Json; clients: Json[] } {
  const files = SCENARIOS.map((s) => JSON.parse(exampleText('carepath-json', s)) as Json);
  const header = files[0]!.exportMeta as Json;
  const clients = files.map(({ exportMeta: _, ...client }) => client);
  mutate(clients, header);
  return { exportMeta: header, clients };
}

function cut(text: string, cuts: readonly number[] = []): CarePathPart[] {
  const cutter = new CarePathCutter('export.json');
  const parts: CarePathPart[] = [];
  let at = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (c <= at || c >= text.length) continue;
    parts.push(...cutter.push(text.slice(at, c)));
    at = c;
  }
  parts.push(...cutter.push(text.slice(at)));
  parts.push(...cutter.end());
  return parts;
}

/** Each part's documents with the path each names its client by, or the part's issues. */
function read(parts: readonly CarePathPart[]) {
  return parts.map((p) => {
    if ('issues' in p) return { issues: p.issues };
    try {
      return parseCarePathJson(p.text, 'export.json', p.position === undefined ? {} : { position: p.position }).map((doc) => ({ doc, at: carePathFilePath(doc, 'client') }));
    } catch (err) {
      return { issues: (err as { issues: OperationOutcomeIssue[] }).issues };
    }
  });
}

const whole = (text: string) => parseCarePathJson(text, 'export.json').map((doc) => ({ doc, at: carePathFilePath(doc, 'client') }));
const expressions = (results: readonly unknown[]) =>
  results.flatMap((r) => ('issues' in (r as Json) ? (r as { issues: OperationOutcomeIssue[] }).issues.flatMap((i) => i.expression ?? [i.diagnostics]) : []));

describe('cutting a CarePath export into clients as it is read', () => {
  it('gives each client as the whole file’s check does, at the same path, however the text arrives (property)', () => {
    for (const text of [JSON.stringify(exportOf()), JSON.stringify(exportOf(), null, 2)]) {
      const expected = whole(text);
      expect(expected).toHaveLength(SCENARIOS.length);
      fc.assert(
        fc.property(fc.array(fc.nat(text.length), { maxLength: 16 }), (cuts) => {
          const parts = cut(text, cuts);
          expect(parts.map((p) => ('position' in p ? p.position : undefined))).toEqual(SCENARIOS.map((_, i) => i));
          expect(read(parts).flat()).toEqual(expected);
        }),
        { numRuns: 40 },
      );
    }
  });

  it('names a client’s problems by its path in the file, as the whole file’s check does, and hands on the valid clients', () => {
    const text = JSON.stringify(
      exportOf((clients) => {
        (clients[2]!.client as Json).dateOfBirth = '31/02/1991';
        (clients[4]!.referrals as Json[])[0]!.unknownKey = 1;
      }),
    );
    const results = read(cut(text));
    expect(expressions(results)).toEqual(expressions([{ issues: errorOf(() => parseCarePathJson(text, 'export.json')).issues }]));
    expect(expressions(results)).toEqual(['clients[2].client.dateOfBirth', 'clients[4].referrals[0]']);
    expect(results.filter((r) => !('issues' in r))).toHaveLength(SCENARIOS.length - 2);
  });

  it('checks the export header once, before any client, and hands on no client under a header that is wrong', () => {
    const text = JSON.stringify(exportOf((_, header) => void (header.exportedAt = 'yesterday')));
    const parts = cut(text, [10, 200, 5000]);
    expect(parts).toEqual([{ issues: [expect.objectContaining({ expression: ['exportMeta.exportedAt'] })] }]);
  });

  it('holds clients that come before the header until it comes', () => {
    const { exportMeta, clients } = exportOf();
    const text = JSON.stringify({ clients, exportMeta });
    expect(read(cut(text, [100, 3000])).flat()).toEqual(whole(JSON.stringify({ exportMeta, clients })));
  });

  it('hands a file of one client, an empty list, a file that is not an object and a file with a key of no field on as the whole file’s check would read them', () => {
    const single = exampleText('carepath-json', 'plan-not-agreed');
    expect(cut(single, [50])).toEqual([{ text: expect.any(String) }]);
    expect(read(cut(single, [50])).flat()).toEqual(whole(single));
    const { exportMeta, clients } = exportOf();
    const one = JSON.stringify({ exportMeta, clients: clients.slice(0, 1) });
    expect(read(cut(one)).flat()).toEqual(whole(one));
    expect(cut(one)).toEqual([{ text: one }]);
    for (const text of [JSON.stringify({ exportMeta, clients: [] }), '[1, 2]', '"x"', '12', 'null', 'true', JSON.stringify({ exportMeta, clients: {} })]) {
      expect(expressions(read(cut(text)))).toEqual(expressions([{ issues: errorOf(() => parseCarePathJson(text, 'export.json')).issues }]));
    }
    // A key of no field is told after every client, wherever it stood.
    for (const text of [JSON.stringify({ exportMeta, extra: 1, clients }), JSON.stringify({ exportMeta, clients, extra: 1 })]) {
      const parts = cut(text);
      expect(parts.slice(0, -1).map((p) => ('position' in p ? p.position : 'issues'))).toEqual(SCENARIOS.map((_, i) => i));
      expect(expressions(read(parts.slice(-1)))).toEqual(expressions([{ issues: errorOf(() => parseCarePathJson(text, 'export.json')).issues }]));
    }
  });

  it('holds at most the client being read and one more, however many clients the export has', () => {
    const { exportMeta, clients } = exportOf();
    const many = Array.from({ length: 300 }, (_, i) => clients[i % clients.length]!);
    const text = JSON.stringify({ exportMeta, clients: many });
    const largest = Math.max(...clients.map((c) => JSON.stringify(c).length));
    const cutter = new CarePathCutter('export.json');
    let peak = 0;
    let handed = 0;
    for (let at = 0; at < text.length; at += 4096) {
      handed += cutter.push(text.slice(at, at + 4096)).length;
      peak = Math.max(peak, cutter.pendingLength);
    }
    handed += cutter.end().length;
    expect(handed).toBe(many.length);
    expect(peak).toBeLessThan(2 * largest + JSON.stringify(exportMeta).length + 4096);
  });
});

describe('reading a CarePath export from a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pont-carepath-'));
  async function inputs(text: string, maxBytes: number): Promise<Input[]> {
    const file = join(dir, 'export.json');
    writeFileSync(file, text);
    const out: Input[] = [];
    for await (const input of readInputs([file], { source: 'carepath-json', maxBytes, known: ['carepath-json'], isKnownKey: () => false })) out.push(input);
    return out;
  }

  it('holds --max-bytes to each client, so an export may be far larger than the limit', async () => {
    const text = JSON.stringify(exportOf());
    const largest = Math.max(...whole(text).map(({ doc }) => JSON.stringify(doc).length));
    const read = await inputs(text, largest + 200);
    expect(text.length).toBeGreaterThan(2 * (largest + 200));
    expect(read.map((i) => (isReadable(i) ? i.position : i.issues))).toEqual(SCENARIOS.map((_, i) => i));
    const tooSmall = await inputs(text, 1000);
    expect(tooSmall).toEqual([
      { origin: join(dir, 'export.json'), issues: [expect.objectContaining({ code: 'too-costly', diagnostics: 'Client 1 is over the 1000-byte limit.' })] },
    ]);
  });

  it('names a JSON error by line, column and path in the whole file, after the clients before it', async () => {
    const text = JSON.stringify(exportOf(), null, 1);
    const broken = `${text.slice(0, text.lastIndexOf('"ClientID"'))}"ClientID" "x"${text.slice(text.lastIndexOf('"ClientID"') + 10)}`;
    const read = await inputs(broken, 1 << 20);
    expect(read.filter(isReadable).map((i) => i.position)).toEqual(SCENARIOS.slice(0, -1).map((_, i) => i));
    const last = read.at(-1)!;
    expect(isReadable(last)).toBe(false);
    expect(JSON.stringify(last)).toMatch(/\(line \d+, column \d+\): expected ':' after a property name/);
  });
});
