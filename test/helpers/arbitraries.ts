/**
 * fast-check arbitraries of canonical CTP records, built from the example records in
 * examples/ctp/ with generated variations: free-text strings replaced, every date moved by the
 * same number of days, optional parts left out, list items left out or repeated. Which parts
 * may vary is found by trying each kind of change alone against parseRecord (a free-text field
 * takes any text, a code field does not; an optional part can go, a required one cannot); the
 * combined record is kept only when parseRecord accepts it too. Codes of the vocabularies that
 * hold what EPRs really record (issue 11: professions, means of delivery, agreement statements,
 * information sharing, Part 3 and review requesters, review triggers) are swapped for any code of
 * their list, so that round trips cover every one of them. Sharing decisions and the
 * source system's name are also generated, so that round trips cover every recipient kind and
 * identifier systems named after any source. Half the records also carry generated evidence of
 * the English policies (test/helpers/english-arbitraries.ts), and half that of the quality signals
 * (test/helpers/quality-arbitraries.ts).
 */
import fc from 'fast-check';
import { parseRecord } from '../../src/record/parse-record.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import {
  agreementStatements,
  coordinatorProfessions,
  deliveryMethods,
  informationSharingStatuses,
  part3Requesters,
  reviewRequesters,
  reviewTriggers,
  sharingDecisionValues,
  sharingRecipientKinds,
} from '../../src/record/vocabulary.js';
import { addDays } from '../../src/time/dates.js';
import { addEnglishEvidence, englishEvidence } from './english-arbitraries.js';
import { loadCtpExamples } from './examples.js';
import { addHealthEvidence, healthEvidence } from './health-arbitraries.js';
import { addQualityEvidence, qualityEvidence } from './quality-arbitraries.js';
import { addWaitingListEvidence, waitingListEvidence } from './waiting-list-arbitraries.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

/** Text as people write it in a Welsh service: Welsh letters, apostrophes, symbols, emoji, line breaks. */
const TEXT_CHARS = [...'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 âêîôûŵŷäëïöüÿáéíóúẁýàèìòùẁỳ’\'"&<>/-.,;:!?()£%+=#@*\n', '🙂', 'ŵ̂'];
export const freeText: fc.Arbitrary<string> = fc.string({ unit: fc.constantFrom(...TEXT_CHARS), minLength: 1, maxLength: 40 });

const DATE = /^(\d{4}-\d{2}-\d{2})(T.*)?$/;
const clone = <T>(value: T): T => structuredClone(value);

function isValid(json: Json): boolean {
  try {
    parseRecord(json, 'generated record');
    return true;
  } catch {
    return false;
  }
}

function at(root: Json, path: Path): Json {
  let node: Json = root;
  for (const key of path) node = (node as Record<string | number, Json>)[key]!;
  return node;
}

function leaves(node: Json, path: Path, out: { strings: Path[]; containers: Path[]; arrays: Path[] }): void {
  if (typeof node === 'string') out.strings.push(path);
  if (node === null || typeof node !== 'object') return;
  if (path.length > 0) out.containers.push(path);
  if (Array.isArray(node)) {
    out.arrays.push(path);
    node.forEach((item, i) => {
      leaves(item, [...path, i], out);
    });
  } else {
    for (const [key, value] of Object.entries(node)) leaves(value, [...path, key], out);
  }
}

function set(root: Json, path: Path, value: Json): void {
  (at(root, path.slice(0, -1)) as Record<string | number, Json>)[path.at(-1)!] = value;
}

/**
 * Removes the parts at these paths (array items from the last, so indices stay right). A list
 * or object left empty goes too, as a source leaves out what it does not hold: the record schema
 * refuses empty lists (FHIR has none, so they could not come back).
 */
const index = (path: Path) => (typeof path.at(-1) === 'number' ? (path.at(-1) as number) : -1);

function removeAll(root: Json, paths: readonly Path[]): void {
  // Every parent is found before anything moves; items of one list go from the last.
  const targets = [...paths]
    .sort((a, b) => index(b) - index(a))
    .map((path) => ({ parent: at(root, path.slice(0, -1)), key: path.at(-1)!, holder: path.length > 1 ? at(root, path.slice(0, -2)) : undefined, parentKey: path.at(-2) }));
  for (const { parent, key, holder, parentKey } of targets) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, Json>)[key as string];
    const empty = Array.isArray(parent) ? parent.length === 0 : Object.keys(parent as object).length === 0;
    if (empty && holder && !Array.isArray(holder)) delete (holder as Record<string, Json>)[parentKey as string];
  }
}

/** Code fields (by `fieldOf`) whose value may be any code of its list. */
const CODE_LISTS: Readonly<Record<string, readonly string[]>> = {
  'coordinatorAppointments.*.profession': coordinatorProfessions,
  'plans.*.copies.*.method': deliveryMethods,
  'plans.*.agreement.statement': agreementStatements,
  'patient.informationSharing.status': informationSharingStatuses,
  'part3Requests.*.requester': part3Requesters,
  'part3Requests.*.report.method': deliveryMethods,
  'reviews.*.trigger': reviewTriggers,
  'reviews.*.request.requestedBy': reviewRequesters,
};

interface Variable {
  readonly base: Json;
  /** Code leaves that may take any code of their list (CODE_LISTS). */
  readonly codes: readonly Path[];
  /** String leaves that accept any text. */
  readonly texts: readonly Path[];
  /** Object properties and array items that can be left out. */
  readonly removable: readonly Path[];
  /** Array items that can be repeated (the copy appended to its list). */
  readonly repeatable: readonly Path[];
  /** Date and dateTime leaves, moved together. */
  readonly dates: readonly Path[];
}

const PROBE = 'Probe ŵ’ 🙂';

/** The path with list positions left out (`plans.*.outcomes.*.description`): the same field in every record. */
const fieldOf = (path: Path) => path.map((k) => (typeof k === 'number' ? '*' : k)).join('.');

/**
 * Whether a field takes any text, or can be left out or repeated, is decided once per field, at
 * its first occurrence in any example.
 */
const textFields = new Map<string, boolean>();
const optionalFields = new Map<string, boolean>();
const repeatableFields = new Map<string, boolean>();

function variableParts(base: Json): Variable {
  const found = { strings: [] as Path[], containers: [] as Path[], arrays: [] as Path[] };
  leaves(base, [], found);
  const tryEdit = (edit: (copy: Json) => void) => {
    const copy = clone(base);
    edit(copy);
    return isValid(copy);
  };
  const decide = (memo: Map<string, boolean>, p: Path, edit: (copy: Json) => void) => {
    const field = fieldOf(p);
    let ok = memo.get(field);
    if (ok === undefined) memo.set(field, (ok = tryEdit(edit)));
    return ok;
  };
  const isItem = (p: Path) => typeof p.at(-1) === 'number';
  // A code is not free text: one its code system does not define makes the Bundle invalid, and
  // pont refuses it with an error naming where (test/fhir/bundle-validation.test.ts).
  const isCode = (p: Path) => p.at(-1) === 'code';
  const texts = found.strings.filter((p) => !DATE.test(at(base, p) as string) && !isCode(p) && decide(textFields, p, (c) => set(c, p, PROBE)));
  const parts = [...found.strings, ...found.containers].filter((p) => p.length > 1 || p[0] !== 'schemaVersion');
  /** A list item whose id is mentioned elsewhere (a reference) cannot go. */
  const hasId = (p: Path) => typeof (at(base, p) as Record<string, Json> | null)?.id === 'string';
  const mentioned = new Set(found.strings.filter((p) => p.at(-1) !== 'id').map((p) => at(base, p) as string));
  const referredTo = (p: Path) => hasId(p) && mentioned.has((at(base, p) as Record<string, Json>).id as string);
  const removable = parts.filter((p) => !referredTo(p) && decide(optionalFields, p, (c) => removeAll(c, [p])));
  // A copy of an item with an id would repeat the id.
  const repeatable = [...found.strings, ...found.containers]
    .filter((p) => isItem(p) && !hasId(p))
    .filter((p) => decide(repeatableFields, p, (c) => (at(c, p.slice(0, -1)) as Json[]).push(clone(at(c, p)))));
  const dates = found.strings.filter((p) => DATE.test(at(base, p) as string));
  const codes = found.strings.filter((p) => CODE_LISTS[fieldOf(p)] !== undefined);
  return { base, codes, texts, removable, repeatable, dates };
}

function shiftDate(value: string, days: number): string {
  const m = DATE.exec(value)!;
  return addDays(m[1]!, days) + (m[2] ?? '');
}

let examples: Variable[] | undefined;
const variables = () => (examples ??= loadCtpExamples().map((e) => variableParts(e.json as Json)));

/** Paths under one another cannot both change: the outer change wins. */
const under = (p: Path, q: Path) => q.length < p.length && q.every((k, i) => p[i] === k);

function vary(v: Variable, texts: readonly [number, string][], codes: readonly [number, number][], repeat: readonly Path[], remove: readonly Path[], shift: number): Json {
  const json = clone(v.base);
  for (const p of v.dates) set(json, p, shiftDate(at(json, p) as string, shift));
  for (const [i, c] of v.codes.length > 0 ? codes : []) {
    const p = v.codes[i % v.codes.length]!;
    const list = CODE_LISTS[fieldOf(p)]!;
    set(json, p, list[c % list.length]!);
  }
  for (const [i, text] of texts) set(json, v.texts[i % v.texts.length]!, text);
  // Repeats first (appended at the end of their list, they leave other paths alone).
  for (const p of repeat) (at(json, p.slice(0, -1)) as Json[]).push(clone(at(json, p)));
  removeAll(
    json,
    remove.filter((p) => !remove.some((q) => under(p, q))),
  );
  return json;
}

/** A person's decision on sharing with one organisation, as the record schema takes it. */
export const sharingDecision = fc.record({
  recipient: fc.record({ kind: fc.constantFrom(...sharingRecipientKinds), odsCode: fc.stringMatching(/^[A-Z0-9]{3,6}$/) }),
  decision: fc.constantFrom(...sharingDecisionValues),
  recordedOn: fc.integer({ min: 0, max: 6000 }).map((days) => addDays('2010-01-01', days)),
});

/** Decisions with no exact repeat (the schema refuses one), declines and agreements for the same recipient included. */
const sharingDecisions = fc.uniqueArray(sharingDecision, {
  minLength: 1,
  maxLength: 5,
  selector: (d) => `${d.recipient.kind}|${d.recipient.odsCode}|${d.recordedOn}|${d.decision}`,
});

/** Source system names: the examples' own, or any text a source might be called by (spaces, slashes, Welsh, emoji). */
const sourceSystem = fc.option(freeText, { freq: 2 });

/**
 * A canonical record, valid per parseRecord: one of the examples with generated variations,
 * sometimes with generated sharing decisions and a generated source system name.
 * Returns the decoded record (parseRecord's output), as the pipeline takes it.
 */
export function ctpRecord(): fc.Arbitrary<CtpRecord> {
  const all = variables();
  return fc
    .integer({ min: 0, max: all.length - 1 })
    .chain((index) => {
      const v = all[index]!;
      return fc.record({
        v: fc.constant(v),
        texts: fc.array(fc.tuple(fc.nat(), freeText), { maxLength: 8 }),
        codes: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
        repeat: fc.subarray([...v.repeatable], { maxLength: 3 }),
        remove: fc.subarray([...v.removable], { maxLength: 6 }),
        shift: fc.integer({ min: -3650, max: 3650 }),
        decisions: fc.option(sharingDecisions, { freq: 2 }),
        system: sourceSystem,
        english: fc.option(englishEvidence, { freq: 2 }),
        health: fc.option(healthEvidence, { freq: 2 }),
        quality: fc.option(qualityEvidence, { freq: 2 }),
        waiting: fc.option(waitingListEvidence, { freq: 3 }),
      });
    })
    .map(({ v, texts, codes, repeat, remove, shift, decisions, system, english, health, quality, waiting }) => {
      const json = vary(v, v.texts.length > 0 ? texts : [], codes, repeat, remove, shift) as Record<string, Json>;
      const patient = json.patient as Record<string, Json> | undefined;
      if (decisions !== null && patient) patient.sharingDecisions = decisions as unknown as Json;
      if (system !== null) (json.source as Record<string, Json>).system = system;
      if (english !== null) addEnglishEvidence(json, english);
      if (health !== null) addHealthEvidence(json, health);
      if (quality !== null) addQualityEvidence(json, quality);
      if (waiting !== null) addWaitingListEvidence(json, waiting);
      return json as Json;
    })
    .filter(isValid)
    .map((json) => parseRecord(json, 'generated record'));
}
