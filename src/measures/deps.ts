/** Builds what measure evaluation needs from the data shipped with pont, once per process. */
import { resolve } from 'node:path';
import { createWorkingDayCalendar } from '../time/working-days.js';
import type { EvaluationDeps } from './evaluate.js';
import { loadHealthBoards } from './health-boards.js';

export const HEALTH_BOARDS_FILE = 'mappings/reference/wales-health-boards.yaml';

export function createMeasureDeps(packageRoot: string): EvaluationDeps {
  return { healthBoards: loadHealthBoards(resolve(packageRoot, HEALTH_BOARDS_FILE)), calendar: createWorkingDayCalendar('GB-WLS') };
}
