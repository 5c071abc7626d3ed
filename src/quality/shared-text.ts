/**
 * Plans that share their text across people (practice evidence §2 row 28): near-duplicate plan
 * bodies between different people, and plans carried over from a legacy template, found over
 * every record of one run by MinHash/LSH (src/quality/similarity.ts) rather than by comparing
 * every pair. The search keeps, per plan, only its shingle hashes and where it came from; its
 * findings name plans by the run's own place for them (input and position), never their text or
 * whose they are beyond that.
 */
import { z } from 'zod';
import { type Finding, makeFinding, type RuleIdentity } from '../compliance/finding.js';
import { ConfigError } from '../errors/errors.js';
import { parseYamlAgainst } from '../input/yaml-file.js';
import { CONFIG_LAYOUT, type ConfigSource, configPath } from '../ports/config-source.js';
import { personKey } from '../record/person-key.js';
import type { CtpRecord } from '../record/record.schema.js';
import { careSetting } from './care-setting.js';
import { planBody, wordCount } from './plan-text.js';
import { containment, type LshOptions, shingles, similarGroups } from './similarity.js';

export const sharedTextSchema = z
  .object({
    search: z
      .object({
        threshold: z.number().gt(0).max(1),
        shingleWords: z.number().int().positive(),
        minWords: z.number().int().positive(),
        bands: z.number().int().positive(),
        rows: z.number().int().positive(),
      })
      .strict(),
    stockPhrases: z.array(z.string().trim().min(1)),
    legacyTemplates: z.array(z.object({ id: z.string().min(1), title: z.string().min(1), text: z.string().min(1) }).strict()),
  })
  .strict();
export type SharedTextSettings = z.infer<typeof sharedTextSchema>;

export const SHARED_TEXT_FILE = 'shared-text.yaml';

export function loadSharedTextSettings(config: ConfigSource, folder: string = CONFIG_LAYOUT.wordLists): SharedTextSettings {
  const problems: string[] = [];
  const settings = parseYamlAgainst(config.read(configPath(folder, SHARED_TEXT_FILE)), SHARED_TEXT_FILE, sharedTextSchema, problems);
  if (!settings) throw new ConfigError(`shared text settings are invalid:\n- ${problems.join('\n- ')}`);
  return settings;
}

const PACK = 'practice-quality';
const EXPLANATION =
  'Plans whose outcomes and actions are nearly word for word another person’s, or an old form’s stock wording, say little about the person they are for. A prompt for human review, not a breach.';
export const nearDuplicateRule: RuleIdentity = {
  id: 'PE-28',
  check: 'near-duplicate-across-people',
  force: 'prompt',
  citation: 'Practice evidence §2 row 28 (§2.101, §2.106; case study 2)',
  explanation: EXPLANATION,
};
export const legacyTemplateRule: RuleIdentity = {
  id: 'PE-28',
  check: 'carried-over-from-legacy-template',
  force: 'prompt',
  citation: 'Practice evidence §2 row 28 (§2.101)',
  explanation: EXPLANATION,
};

/** Where a plan stands in a run: the name the run gives its record, and the plan's place in it. */
export interface PlanPlace {
  /** How the run names the record, e.g. `examples/a.json (record 2)`. */
  readonly record: string;
  /** The plan version's location in the record, e.g. `plans[1]`. */
  readonly plan: string;
  readonly person: string;
  readonly team?: string;
  readonly board?: string;
}

export interface SharedTextResult {
  /** One finding per plan in a group shared by two or more people, or matching a legacy template. */
  readonly findings: readonly (Finding & { readonly place: PlanPlace })[];
  /** Groups of plans shared by different people (plan places), largest first. */
  readonly groups: readonly (readonly PlanPlace[])[];
}

/**
 * Collects the current plan of each record of a run, one at a time, then searches them. It keeps
 * per plan its shingle set and place, nothing else of the record.
 */
export function sharedTextSearch(settings: SharedTextSettings) {
  const sets: Uint32Array[] = [];
  const places: PlanPlace[] = [];
  const size = { size: settings.search.shingleWords };
  const templates = settings.legacyTemplates.map((t) => ({ id: t.id, set: shingles(t.text, size) }));
  const stock = new Set(settings.stockPhrases.flatMap((p) => [...shingles(p, size)]));
  const carriedOver: { place: PlanPlace; templates: string[] }[] = [];
  return {
    add(record: CtpRecord, name: string): void {
      const setting = careSetting(record);
      const person = personKey(record);
      const latest = new Map<string, number>();
      (record.plans ?? []).forEach((p, i) => {
        if (p.kind === undefined && p.status !== 'draft') latest.set(p.planId, i);
      });
      for (const i of latest.values()) {
        const body = planBody(record.plans![i]!);
        if (wordCount(body) < settings.search.minWords) continue;
        const all = shingles(body, size);
        // Stock phrases are left out of what plans are compared on (legacy wording is looked for in the whole text).
        const set = stock.size === 0 ? all : all.filter((h) => !stock.has(h));
        const place = { record: name, plan: `plans[${i}]`, person, ...setting };
        sets.push(set);
        places.push(place);
        // A legacy template is a part of the plan when most of its shingles are in it, whatever else the plan adds.
        const matched = templates.filter((t) => containment(t.set, all) >= settings.search.threshold).map((t) => t.id);
        if (matched.length > 0) carriedOver.push({ place, templates: matched });
      }
    },
    /** The number of plans collected so far. */
    get size(): number {
      return sets.length;
    },
    search(): SharedTextResult {
      const lsh: LshOptions = { bands: settings.search.bands, rows: settings.search.rows };
      const findings: (Finding & { place: PlanPlace })[] = [];
      const groups: PlanPlace[][] = [];
      for (const { place, templates: ids } of carriedOver) {
        const message = `The plan’s outcomes and actions hold the stock wording of the legacy template ${ids.join(', ')}.`;
        findings.push({ ...makeFinding(legacyTemplateRule, PACK, 'fail', message, `${place.record} ${place.plan}`), place });
      }
      for (const group of similarGroups(sets, settings.search.threshold, lsh)) {
        const plans = group.map((i) => places[i]!);
        const people = new Set(plans.map((p) => p.person)).size;
        if (people < 2) continue;
        for (const place of plans) {
          const others = plans.filter((p) => p.person !== place.person).length;
          const message = `The plan’s outcomes and actions are nearly word for word the same as ${others} plan${others === 1 ? '' : 's'} of other people in this run.`;
          findings.push({ ...makeFinding(nearDuplicateRule, PACK, 'fail', message, `${place.record} ${place.plan}`), place });
        }
        groups.push(plans);
      }
      groups.sort((a, b) => b.length - a.length);
      return { findings, groups };
    },
  };
}
