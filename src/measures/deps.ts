/** Builds what measure evaluation needs from pont's configuration, once per process. */
import { CONFIG_LAYOUT, type ConfigSource } from '../ports/config-source.js';
import { directoryConfig } from '../ports/directory-config.js';
import { createWorkingDayCalendar } from '../time/working-days.js';
import type { EvaluationDeps } from './evaluate.js';
import { loadHealthBoards } from './health-boards.js';

export const HEALTH_BOARDS_FILE = CONFIG_LAYOUT.healthBoards;

/** `from` is the configuration, or the folder it is installed in (pont's package root). */
export function createMeasureDeps(from: ConfigSource | string): EvaluationDeps {
  const config = typeof from === 'string' ? directoryConfig(from) : from;
  return { healthBoards: loadHealthBoards(config, HEALTH_BOARDS_FILE), calendar: createWorkingDayCalendar('GB-WLS') };
}
