/** Where a person is cared for: what quality signals are counted by. */
import type { CtpRecord } from '../record/record.schema.js';

/** Where a person is cared for, for aggregation: the team and managing health board of their latest active (else latest) episode. */
export function careSetting(record: CtpRecord): { team?: string; board?: string } {
  const episodes = record.episodes ?? [];
  const episode = episodes.filter((e) => e.status === 'active').at(-1) ?? episodes.at(-1);
  const boards = (record.organisations ?? []).filter((o) => o.kind === 'local-health-board');
  const board = boards.find((b) => episode?.responsibleBodies?.includes(b.id)) ?? boards[0];
  return {
    ...(episode?.team !== undefined ? { team: episode.team } : {}),
    ...(board !== undefined ? { board: board.name ?? board.odsCode ?? board.id } : {}),
  };
}
