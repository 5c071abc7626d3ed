/**
 * The consent gate (consentFor): the latest decision about a recipient wins, a tie goes to
 * declined, the general information-sharing status counts as a decision about everyone except
 * when it is partly-agreed, and no decision at all lets the record go.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consentFor, type InformationSharing, type SharingDecision } from '../../../src/delivery/routing/consent.js';

const GP = 'W99001';
const decision = (odsCode: string, verdict: SharingDecision['decision'], recordedOn: string, kind: SharingDecision['recipient']['kind'] = 'gp-practice'): SharingDecision => ({
  recipient: { kind, odsCode },
  decision: verdict,
  recordedOn,
});
const general = (status: InformationSharing['status'], recordedOn: string): InformationSharing => ({ status, recordedOn });

describe('consentFor, case by case', () => {
  it('lets the record go when nothing is recorded', () => {
    expect(consentFor([GP], [])).toEqual({ verdict: 'share', decidedBy: { kind: 'none' } });
  });

  it('holds on a general decline, and names it', () => {
    expect(consentFor([GP], [], general('declined', '2025-01-10'))).toEqual({
      verdict: 'hold',
      reason: 'consent-declined',
      decidedBy: { kind: 'information-sharing', status: 'declined', recordedOn: '2025-01-10' },
    });
  });

  it('lets a later agreement about the recipient outweigh an earlier general decline, and the reverse', () => {
    expect(consentFor([GP], [decision(GP, 'agreed', '2025-02-01')], general('declined', '2025-01-10')).verdict).toBe('share');
    expect(consentFor([GP], [decision(GP, 'agreed', '2025-02-01')], general('declined', '2025-03-01')).verdict).toBe('hold');
  });

  it('on the same day, a decline outweighs an agreement', () => {
    expect(consentFor([GP], [decision(GP, 'agreed', '2025-02-01'), decision(GP, 'declined', '2025-02-01')])).toMatchObject({ verdict: 'hold', reason: 'consent-declined' });
    expect(consentFor([GP], [decision(GP, 'agreed', '2025-02-01')], general('declined', '2025-02-01')).verdict).toBe('hold');
    expect(consentFor([GP], [decision(GP, 'declined', '2025-02-01')], general('agreed', '2025-02-01')).verdict).toBe('hold');
  });

  it('with a partial general agreement, lets the record go only to a recipient the person agreed to by name', () => {
    const partly = general('partly-agreed', '2025-01-10');
    expect(consentFor([GP], [], partly)).toEqual({
      verdict: 'hold',
      reason: 'consent-partly-agreed',
      decidedBy: { kind: 'information-sharing', status: 'partly-agreed', recordedOn: '2025-01-10' },
    });
    expect(consentFor([GP], [decision('7A4', 'agreed', '2025-02-01')], partly).verdict).toBe('hold');
    // A named agreement counts whenever it was made: partly-agreed says some sharing is agreed, not which.
    expect(consentFor([GP], [decision(GP, 'agreed', '2024-12-01')], partly).verdict).toBe('share');
    expect(consentFor([GP], [decision(GP, 'declined', '2025-02-01')], partly)).toMatchObject({ verdict: 'hold', reason: 'consent-declined' });
  });

  it('reads a general status of not-ascertainable as no decision: it neither holds nor outweighs one', () => {
    const unknown = general('not-ascertainable', '2025-03-01');
    expect(consentFor([GP], [], unknown)).toEqual({ verdict: 'share', decidedBy: { kind: 'none' } });
    expect(consentFor([GP], [decision(GP, 'declined', '2025-01-01')], unknown)).toMatchObject({ verdict: 'hold', reason: 'consent-declined' });
    expect(consentFor([GP], [decision(GP, 'agreed', '2025-01-01')], unknown)).toMatchObject({ verdict: 'share', decidedBy: { kind: 'sharing-decision' } });
  });

  it('matches decisions by ODS code whatever kind they name, and whatever the code’s case', () => {
    expect(consentFor([GP], [decision('w99001 ', 'declined', '2025-02-01', 'organisation')]).verdict).toBe('hold');
  });

  it('holds a recipient known by several codes when the latest decision about any one of them is a decline', () => {
    const verdict = consentFor(['7A4', '7A4BV'], [decision('7A4BV', 'declined', '2025-01-01', 'organisation'), decision('7A4', 'agreed', '2025-06-01', 'health-board')]);
    expect(verdict).toEqual({
      verdict: 'hold',
      reason: 'consent-declined',
      decidedBy: { kind: 'sharing-decision', odsCode: '7A4BV', decision: 'declined', recordedOn: '2025-01-01' },
    });
  });
});

const CODES = ['W99001', 'W99002', '7A4', '7A4BV'];
const date = fc.integer({ min: 0, max: 60 }).map((d) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10));
const anyDecision = fc.record({
  recipient: fc.record({ kind: fc.constantFrom('gp-practice' as const, 'health-board' as const, 'organisation' as const), odsCode: fc.constantFrom(...CODES) }),
  decision: fc.constantFrom('declined' as const, 'agreed' as const),
  recordedOn: date,
});
const anyGeneral = fc.option(
  fc.record({ status: fc.constantFrom('agreed' as const, 'partly-agreed' as const, 'declined' as const, 'not-ascertainable' as const), recordedOn: date }),
  { nil: undefined },
);
const recipient = fc.subarray(CODES, { minLength: 1 });
const permuted = fc.array(anyDecision, { maxLength: 8 }).chain((ds) => fc.tuple(fc.constant(ds), fc.shuffledSubarray(ds, { minLength: ds.length, maxLength: ds.length })));

describe('consentFor, laws', () => {
  it('does not depend on the order decisions are listed in', () => {
    fc.assert(
      fc.property(recipient, permuted, anyGeneral, (codes, [decisions, shuffled], status) => {
        const outcome = (ds: readonly SharingDecision[]) => {
          const v = consentFor(codes, ds, status);
          return v.verdict === 'hold' ? v.reason : v.verdict;
        };
        expect(outcome(shuffled)).toBe(outcome(decisions));
      }),
    );
  });

  it('a decision about the recipient dated after everything else settles it', () => {
    fc.assert(
      fc.property(
        recipient,
        fc.array(anyDecision, { maxLength: 8 }),
        anyGeneral,
        fc.constantFrom('declined' as const, 'agreed' as const),
        (codes, decisions, status, last) => {
          // One decision per code of the recipient, so no other code's earlier decline still holds it.
          const latest = codes.map((code) => decision(code, last, '2025-12-31'));
          expect(consentFor(codes, [...decisions, ...latest], status).verdict).toBe(last === 'declined' ? 'hold' : 'share');
        },
      ),
    );
  });

  it('a decline about any of the recipient’s codes, dated on or after every other decision, holds it', () => {
    fc.assert(
      fc.property(recipient, fc.array(anyDecision, { maxLength: 8 }), anyGeneral, fc.nat(), (codes, decisions, status, pick) => {
        const dates = [...decisions.map((d) => d.recordedOn), status?.recordedOn ?? '2025-01-01'].sort();
        const code = codes[pick % codes.length]!;
        expect(consentFor(codes, [...decisions, decision(code, 'declined', dates.at(-1)!)], status)).toMatchObject({ verdict: 'hold', reason: 'consent-declined' });
      }),
    );
  });

  it('decisions about other organisations change nothing', () => {
    fc.assert(
      fc.property(fc.array(anyDecision, { maxLength: 8 }), anyGeneral, (decisions, status) => {
        const about = decisions.filter((d) => d.recipient.odsCode === GP);
        expect(consentFor([GP], decisions, status)).toEqual(consentFor([GP], about, status));
      }),
    );
  });
});
