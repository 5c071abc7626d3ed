/** Which store a deployment asked for, from its environment (kept apart from the drivers, which are slow to load). */
import { join } from 'node:path';

export interface StoreSettings {
  readonly databaseUrl?: string;
  readonly dataDir: string;
}

export function storeSettings(env: Readonly<Record<string, string | undefined>>, cwd: string): StoreSettings {
  const databaseUrl = env.DATABASE_URL?.trim();
  return { ...(databaseUrl ? { databaseUrl } : {}), dataDir: env.PONT_DATA_DIR?.trim() || join(cwd, '.pont') };
}
