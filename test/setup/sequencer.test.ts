import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/runtime.js';
import { HEAVIEST_FIRST } from './sequencer.js';

describe('the order test files start in', () => {
  it('names only test files that exist, each once (a renamed file would silently lose its place)', () => {
    expect(HEAVIEST_FIRST.filter((f) => !existsSync(join(ROOT, f)) || !f.endsWith('.test.ts'))).toEqual([]);
    expect(new Set(HEAVIEST_FIRST).size).toBe(HEAVIEST_FIRST.length);
  });
});
