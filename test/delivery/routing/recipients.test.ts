/**
 * recipientsOf: the GP practice, the health board of residence and the health boards of current
 * care, read from the record and the shipped reference data (mappings/reference). Expected values
 * are the examples' own facts (examples/README.md), written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { healthBoardOfOrganisation, recipientsOf } from '../../../src/delivery/routing/recipients.js';
import { parseRecord } from '../../../src/record/parse-record.js';
import type { CtpRecord } from '../../../src/record/record.schema.js';
import { loadCtpExamples } from '../../helpers/examples.js';
import { minimalRecord } from '../../helpers/minimal-record.js';
import { testRuntime } from '../../helpers/runtime.js';

const reference = { healthBoards: testRuntime().measureDeps.healthBoards };
const example = (name: string): CtpRecord => {
  const file = loadCtpExamples().find((f) => f.name === `${name}.json`)!;
  return parseRecord(file.json, file.path);
};

describe('recipientsOf the examples', () => {
  it.each([
    ['adult-all-eight-areas', 'W99001', '7A4', ['7A4'], []],
    ['child-with-parents', 'W99002', '7A1', ['7A1'], []],
    ['plan-not-agreed', 'W99003', '7A3', ['7A3'], []],
    // The hospital of her current stay has no ODS code: it is named, not guessed.
    ['carers-declined-copies', 'W99004', '7A6', ['7A6'], ['org-ty-cerrig']],
    // Bridgend has been served by 7A5 since April 2019.
    ['revised-plan-after-review', 'W99005', '7A5', ['7A5'], []],
    // Discharged in 2024, the Part 3 assessment completed: resident in Hywel Dda, under no board's care.
    ['part3-self-referral', 'W99006', '7A2', [], []],
  ])('%s: practice %s, resident in %s, under the care of %j', (name, practice, board, care, unresolved) => {
    const r = recipientsOf(example(name), reference);
    expect(r.gpPractice).toEqual({ status: 'known', odsCode: practice });
    expect(r.residence).toEqual({ status: 'known', healthBoard: board });
    expect(r.careHealthBoards).toEqual(care);
    expect(r.unresolvedCareOrganisations).toEqual(unresolved);
  });
});

describe('recipientsOf, one fact at a time', () => {
  const of = (change: (r: CtpRecord) => void) => {
    const record = minimalRecord();
    change(record);
    return recipientsOf(record, reference);
  };

  it('states a registered practice that is absent or cannot be resolved, and why', () => {
    expect(of((r) => delete r.patient!.registeredGpPractice).gpPractice).toEqual({ status: 'absent' });
    expect(of((r) => (r.patient!.registeredGpPractice = 'nowhere')).gpPractice).toEqual({ status: 'unresolved', reason: 'no-such-organisation' });
    expect(of((r) => delete r.organisations![2]!.odsCode).gpPractice).toEqual({ status: 'unresolved', reason: 'no-ods-code' });
    expect(of((r) => (r.patient!.registeredGpPractice = 'lhb')).gpPractice).toEqual({ status: 'unresolved', reason: 'not-a-gp-practice' });
  });

  it('reads an ODS code whatever its case and surrounding spaces', () => {
    expect(of((r) => (r.organisations![2]!.odsCode = ' w99001 ')).gpPractice).toEqual({ status: 'known', odsCode: 'W99001' });
  });

  it('states a residence that is absent, outside Wales or unknown', () => {
    expect(of(() => {}).residence).toEqual({ status: 'absent' });
    expect(of((r) => (r.patient!.localAuthorityOfResidence = 'E06000001')).residence).toEqual({ status: 'outside-wales' });
    expect(of((r) => (r.patient!.localAuthorityOfResidence = 'W06000099')).residence).toEqual({ status: 'unresolved', reason: 'unknown-local-authority' });
  });

  it('places a resident by the board that served their area on the day the record was extracted', () => {
    const bridgend = (extractedAt: string) =>
      of((r) => {
        r.patient!.localAuthorityOfResidence = 'W06000013';
        r.source.extractedAt = extractedAt;
      }).residence;
    expect(bridgend('2019-03-31T23:00:00+00:00')).toEqual({ status: 'known', healthBoard: '7A3' });
    expect(bridgend('2019-04-01T00:30:00+01:00')).toEqual({ status: 'known', healthBoard: '7A5' });
  });

  it('counts the care of active episodes, current appointments, open plans and open Part 3 requests, not finished ones', () => {
    expect(of(() => {}).careHealthBoards).toEqual(['7A4']);
    const ended = of((r) => {
      r.episodes![0]!.status = 'finished';
      r.coordinatorAppointments![0]!.end = '2025-05-31';
      r.plans![0]!.status = 'ended';
    });
    expect(ended.careHealthBoards).toEqual([]);
    // Ending on the record's own date is still current that day.
    expect(
      of((r) => {
        r.episodes![0]!.status = 'finished';
        r.plans![0]!.status = 'ended';
        r.coordinatorAppointments![0]!.end = '2025-06-01';
      }).careHealthBoards,
    ).toEqual(['7A4']);
  });

  it('reads only the latest version of each plan', () => {
    const record = minimalRecord();
    record.episodes = undefined;
    record.coordinatorAppointments = undefined;
    record.organisations!.push({ id: 'other-lhb', kind: 'local-health-board', odsCode: '7A6' });
    const v1 = record.plans![0]!;
    record.plans = [
      { ...v1, status: 'superseded', responsibleProviders: ['other-lhb'] },
      { ...v1, id: 'plan-v2', version: 2, status: 'active', responsibleProviders: ['lhb'] },
    ];
    expect(recipientsOf(record, reference).careHealthBoards).toEqual(['7A4']);
  });

  it('takes the body that took over in the latest transfer, and the partner of an open Part 3 request', () => {
    const care = of((r) => {
      r.organisations!.push({ id: 'site-7a2', odsCode: '7A2AB' }, { id: 'site-7a3', odsCode: '7A3CD' }, { id: 'partner', odsCode: '7A7' });
      r.episodes![0]!.transfers = [
        { date: '2025-03-01', to: 'site-7a2' },
        { date: '2025-04-01', to: 'site-7a3' },
      ];
      r.part3Requests = [{ id: 'p3', receivedAt: '2025-05-01T10:00:00Z', requester: 'self', status: 'assessing', assessment: { partner: 'partner' } }];
    }).careHealthBoards;
    expect(care).toEqual(['7A3', '7A4', '7A7']);
  });
});

describe('healthBoardOfOrganisation', () => {
  const boards = new Set(['7A1', '7A4']);
  it.each([
    ['7A4', '7A4'],
    ['7A4BV', '7A4'],
    ['7A1A4', '7A1'],
    ['7A4B', undefined],
    ['7A4BVX', undefined],
    ['7A9', undefined],
    ['7A9AB', undefined],
    ['W99001', undefined],
    ['RQ6', undefined],
  ])('%s → %s', (code, board) => {
    expect(healthBoardOfOrganisation(code, boards)).toBe(board);
  });
});
