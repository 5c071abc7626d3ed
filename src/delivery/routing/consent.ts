/**
 * The consent gate: whether the person's recorded decisions let one recipient have their record.
 * Code of Practice 4.24 makes it the care coordinator's duty to seek the person's agreement to
 * relevant information being shared; 4.94 lets the coordinator send a copy against the person's
 * wishes only after due consideration, which is a person's decision, never pont's. So where the
 * person has declined, delivery is held (and recorded by the caller) for a person to decide.
 */
import type { CtpRecord } from '../../record/record.schema.js';
import type { IsoDate } from '../../time/dates.js';
import { normaliseOdsCode } from './recipients.js';

/** The person's decision about sharing with one recipient (the record's `patient.sharingDecisions`). */
export interface SharingDecision {
  readonly recipient: { readonly kind: 'gp-practice' | 'health-board' | 'organisation'; readonly odsCode: string };
  readonly decision: 'declined' | 'agreed';
  readonly recordedOn: IsoDate;
}

/** The person's general agreement to information being shared (the record's `patient.informationSharing`). */
export type InformationSharing = NonNullable<NonNullable<CtpRecord['patient']>['informationSharing']>;

/** The decision that settled the gate for a recipient, named without patient data. */
export type DecidedBy =
  | { readonly kind: 'sharing-decision'; readonly odsCode: string; readonly decision: SharingDecision['decision']; readonly recordedOn: IsoDate }
  | { readonly kind: 'information-sharing'; readonly status: InformationSharing['status']; readonly recordedOn: IsoDate }
  | { readonly kind: 'none' };

export type HoldReason =
  /** The latest decision about the recipient is a decline. */
  | 'consent-declined'
  /** The person agreed to only some sharing, and nothing recorded says this recipient is included. */
  | 'consent-partly-agreed';

export type ConsentVerdict =
  | { readonly verdict: 'share'; readonly decidedBy: DecidedBy }
  | { readonly verdict: 'hold'; readonly reason: HoldReason; readonly decidedBy: DecidedBy };

/**
 * The gate for a recipient known by one or more ODS codes (a target's GP practice or health board,
 * and its organisation). Per code: the person's decisions about that code and their general
 * status (agreed or declined, read as a decision about every recipient) are compared, the latest
 * by date wins, and a tie goes to declined, the safe side. A decision is matched by ODS code
 * whatever kind it names, since one code is one organisation. A general status of partly-agreed
 * names no recipient: only a decision about the code itself can then let the record go. A general
 * status of not-ascertainable is no decision at all, and counts as none. With no
 * decision at all the record goes: the Code expects the plan to reach the GP and the providers
 * (4.90 d, e) and the absence of a recorded decision is not a decline. The recipient is held when
 * any of its codes is held, a decline before a partial agreement.
 */
export function consentFor(recipientCodes: readonly string[], decisions: readonly SharingDecision[], informationSharing?: InformationSharing): ConsentVerdict {
  const verdicts = [...new Set(recipientCodes.map(normaliseOdsCode))].map((code) =>
    verdictFor(
      decisions.filter((d) => normaliseOdsCode(d.recipient.odsCode) === code),
      informationSharing,
    ),
  );
  return (
    verdicts.find((v) => v.verdict === 'hold' && v.reason === 'consent-declined') ??
    verdicts.find((v) => v.verdict === 'hold') ??
    verdicts.find((v) => v.decidedBy.kind !== 'none') ?? { verdict: 'share', decidedBy: { kind: 'none' } }
  );
}

interface Candidate {
  readonly declined: boolean;
  readonly recordedOn: IsoDate;
  readonly decidedBy: DecidedBy;
}

function verdictFor(about: readonly SharingDecision[], general: InformationSharing | undefined): ConsentVerdict {
  const candidates: Candidate[] = about.map((d) => ({
    declined: d.decision === 'declined',
    recordedOn: d.recordedOn,
    decidedBy: { kind: 'sharing-decision', odsCode: normaliseOdsCode(d.recipient.odsCode), decision: d.decision, recordedOn: d.recordedOn },
  }));
  // "Not ascertainable" says that no decision could be found out: it neither agrees nor declines, so it is no candidate.
  if (general !== undefined && (general.status === 'agreed' || general.status === 'declined')) {
    candidates.push({
      declined: general.status === 'declined',
      recordedOn: general.recordedOn,
      decidedBy: { kind: 'information-sharing', status: general.status, recordedOn: general.recordedOn },
    });
  }
  const latest = candidates.reduce<Candidate | undefined>((best, c) => (best === undefined || isLater(c, best) ? c : best), undefined);
  if (latest === undefined && general?.status === 'partly-agreed') {
    return { verdict: 'hold', reason: 'consent-partly-agreed', decidedBy: { kind: 'information-sharing', status: general.status, recordedOn: general.recordedOn } };
  }
  if (latest === undefined) return { verdict: 'share', decidedBy: { kind: 'none' } };
  return latest.declined ? { verdict: 'hold', reason: 'consent-declined', decidedBy: latest.decidedBy } : { verdict: 'share', decidedBy: latest.decidedBy };
}

/** Later by date; on the same date a decline outranks an agreement. */
function isLater(c: Candidate, than: Candidate): boolean {
  const a = c.recordedOn.slice(0, 10);
  const b = than.recordedOn.slice(0, 10);
  return a > b || (a === b && c.declined && !than.declined);
}
