/**
 * The Welsh health boards and the local authorities whose residents they serve, read from
 * `mappings/reference/wales-health-boards.yaml` once at start-up. Names and memberships carry
 * validity dates, so a person is grouped under the board their local authority belonged to on
 * the date that matters (Bridgend: 7A3 before 1 April 2019, 7A5 from then).
 */
import { basename, dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors/errors.js';
import { toExpression } from '../input/zod-outcome.js';
import { CONFIG_LAYOUT, type ConfigSource } from '../ports/config-source.js';
import { directoryConfig } from '../ports/directory-config.js';
import type { IsoDate } from '../time/dates.js';

const date = z.iso.date({ message: 'must be a date in the form YYYY-MM-DD' });
const name = z.string().trim().min(1);
const validity = { from: date.optional(), to: date.optional() };

const localAuthoritySchema = z
  .object({ onsCode: z.string().regex(/^W06\d{6}$/, { message: 'must be a Welsh ONS local authority code such as W06000015' }), en: name, cy: name, ...validity })
  .strict();

const healthBoardSchema = z
  .object({
    odsCode: z.string().regex(/^7A\d$/, { message: 'must be a health board ODS code such as 7A4' }),
    names: z.array(z.object({ en: name, cy: name, ...validity }).strict()).min(1),
    localAuthorities: z.array(localAuthoritySchema).min(1),
  })
  .strict();

export const healthBoardFileSchema = z.object({ healthBoards: z.array(healthBoardSchema).min(1) }).strict();

export interface OrganisationRef {
  readonly code: string;
  readonly name: string;
  readonly nameCy?: string;
}

export interface HealthBoardDirectory {
  /** The board serving residents of `laOnsCode` on `on`; undefined for an unknown code or date. */
  residentHealthBoard(laOnsCode: string, on: IsoDate): OrganisationRef | undefined;
  localAuthority(onsCode: string): OrganisationRef | undefined;
  /** The boards that existed on `on`, in ODS code order, with their names of that date. */
  healthBoardsOn(on: IsoDate): OrganisationRef[];
}

interface Dated {
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

const covers = (d: Dated, on: IsoDate): boolean => (d.from === undefined || d.from <= on) && (d.to === undefined || on <= d.to);
const overlap = (a: Dated, b: Dated): boolean => (a.from ?? '') <= (b.to ?? '9999') && (b.from ?? '') <= (a.to ?? '9999');

/**
 * Reads and checks the file at `file` of the configuration (a file path alone stands for that
 * file on disk); a problem is a ConfigError naming the file and the path in it.
 */
export function loadHealthBoards(from: ConfigSource | string, file: string = CONFIG_LAYOUT.healthBoards): HealthBoardDirectory {
  const config = typeof from === 'string' ? directoryConfig(dirname(from)) : from;
  const name = typeof from === 'string' ? basename(from) : file;
  const path = config.describe(name);
  let raw: unknown;
  try {
    const text = config.read(name);
    if (text === undefined) throw new Error('file not found');
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${path}: cannot read the health board reference data (${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'})`);
  }
  const parsed = healthBoardFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${path} at ${toExpression(i.path) || '(root)'}: ${i.message}`);
    throw new ConfigError(
      problems.join('\n'),
      problems.map((p) => ({ severity: 'error', code: 'invalid', diagnostics: p })),
    );
  }
  return createHealthBoardDirectory(parsed.data, path);
}

export function createHealthBoardDirectory(data: z.infer<typeof healthBoardFileSchema>, origin: string): HealthBoardDirectory {
  const problems = consistencyProblems(data);
  if (problems.length > 0) {
    throw new ConfigError(
      problems.map((p) => `${origin} at ${p}`).join('\n'),
      problems.map((p) => ({ severity: 'error', code: 'invalid', diagnostics: `${origin} at ${p}` })),
    );
  }
  const memberships = new Map<string, { board: (typeof data.healthBoards)[number]; period: Dated }[]>();
  const authorities = new Map<string, OrganisationRef>();
  for (const board of data.healthBoards) {
    for (const la of board.localAuthorities) {
      const list = memberships.get(la.onsCode) ?? [];
      list.push({ board, period: la });
      memberships.set(la.onsCode, list);
      authorities.set(la.onsCode, { code: la.onsCode, name: la.en, nameCy: la.cy });
    }
  }
  const boardOn = (board: (typeof data.healthBoards)[number], on: IsoDate): OrganisationRef | undefined => {
    const named = board.names.find((n) => covers(n, on));
    return named ? { code: board.odsCode, name: named.en, nameCy: named.cy } : undefined;
  };
  return {
    residentHealthBoard(laOnsCode, on) {
      const membership = memberships.get(laOnsCode)?.find((m) => covers(m.period, on));
      return membership ? boardOn(membership.board, on) : undefined;
    },
    localAuthority: (onsCode) => authorities.get(onsCode),
    healthBoardsOn: (on) =>
      data.healthBoards
        .map((b) => boardOn(b, on))
        .filter((b): b is OrganisationRef => b !== undefined)
        .sort((a, b) => a.code.localeCompare(b.code)),
  };
}

/** Duplicate boards, overlapping names of one board, or a local authority in two boards at once. */
function consistencyProblems(data: z.infer<typeof healthBoardFileSchema>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, { at: string; period: Dated }[]>();
  data.healthBoards.forEach((board, b) => {
    if (data.healthBoards.findIndex((x) => x.odsCode === board.odsCode) !== b) problems.push(`healthBoards[${b}].odsCode: duplicate health board`);
    board.names.forEach((n, i) => {
      if (n.from && n.to && n.to < n.from) problems.push(`healthBoards[${b}].names[${i}].to: earlier than from`);
      if (board.names.some((other, j) => j < i && overlap(other, n))) problems.push(`healthBoards[${b}].names[${i}]: overlaps an earlier name of the same board`);
    });
    board.localAuthorities.forEach((la, i) => {
      const at = `healthBoards[${b}].localAuthorities[${i}]`;
      if (la.from && la.to && la.to < la.from) problems.push(`${at}.to: earlier than from`);
      const earlier = seen.get(la.onsCode) ?? [];
      const clash = earlier.find((e) => overlap(e.period, la));
      if (clash) problems.push(`${at}: belongs to two health boards at once (also ${clash.at})`);
      earlier.push({ at, period: la });
      seen.set(la.onsCode, earlier);
    });
  });
  return problems;
}
