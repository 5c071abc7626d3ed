import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/errors.js';
import { HEALTH_BOARDS_FILE } from '../../src/measures/deps.js';
import { loadHealthBoards } from '../../src/measures/health-boards.js';
import { ROOT } from '../helpers/runtime.js';

const shipped = join(ROOT, HEALTH_BOARDS_FILE);
const directory = loadHealthBoards(shipped);
const dir = mkdtempSync(join(tmpdir(), 'pont-boards-'));

function problemsOf(yaml: string): string {
  const path = join(dir, `boards-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, yaml);
  try {
    loadHealthBoards(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('wales-health-boards.yaml', () => {
  it('has the seven health boards and the 22 local authorities', () => {
    expect(directory.healthBoardsOn('2025-01-01').map((b) => b.code)).toEqual(['7A1', '7A2', '7A3', '7A4', '7A5', '7A6', '7A7']);
    const las = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24].map((n) => `W06${String(n).padStart(6, '0')}`);
    expect(las.filter((la) => directory.residentHealthBoard(la, '2025-01-01') === undefined)).toEqual([]);
  });

  it('moves Bridgend from 7A3 to 7A5 on 1 April 2019, with the names of each date', () => {
    expect(directory.residentHealthBoard('W06000013', '2019-03-31')).toMatchObject({ code: '7A3', name: 'Abertawe Bro Morgannwg University Health Board' });
    expect(directory.residentHealthBoard('W06000013', '2019-04-01')).toMatchObject({ code: '7A5', name: 'Cwm Taf Morgannwg University Health Board' });
    expect(directory.residentHealthBoard('W06000011', '2019-04-01')).toMatchObject({
      code: '7A3',
      name: 'Swansea Bay University Health Board',
      nameCy: 'Bwrdd Iechyd Prifysgol Bae Abertawe',
    });
  });

  it('knows no board for an English or unknown code', () => {
    expect(directory.residentHealthBoard('E06000001', '2025-01-01')).toBeUndefined();
    expect(directory.localAuthority('W06000015')).toMatchObject({ name: 'Cardiff', nameCy: 'Caerdydd' });
  });

  it('rejects a bad code naming the file and the path', () => {
    const yaml = readFileSync(shipped, 'utf8').replace('onsCode: W06000015', 'onsCode: X06000015');
    const message = problemsOf(yaml);
    expect(message).toContain('boards-');
    expect(message).toMatch(/healthBoards\[3\]\.localAuthorities\[1\]\.onsCode/);
  });

  it('rejects a local authority in two boards at once', () => {
    const message = problemsOf(readFileSync(shipped, 'utf8').replace('from: 2019-04-01 }\n      - { onsCode: W06000016', 'from: 2019-03-01 }\n      - { onsCode: W06000016'));
    expect(message).toMatch(/healthBoards\[4\]\.localAuthorities\[0\]: belongs to two health boards at once/);
  });

  it('rejects a file that is not YAML, naming it', () => {
    expect(problemsOf('healthBoards: [\n')).toMatch(/boards-.*cannot read the health board reference data/);
  });
});
