/**
 * Which configured targets receive a record version, and with which resource types: the
 * recipients' rules of PONT_CONFIG (`records`) and the consent gate, applied to the facts
 * recipientsOf derived.
 */
import type { TargetConfig } from '../../config/sync-config.schema.js';
import type { CtpRecord } from '../../record/record.schema.js';
import { type ConsentVerdict, consentFor, type DecidedBy, type HoldReason, type SharingDecision } from './consent.js';
import { type DeliverableType, defaultResources, type RecipientKind } from './minimum-necessary.js';
import { normaliseOdsCode, type Recipients } from './recipients.js';

/** Why a target is entitled to the record. */
export type Entitlement = 'registered-practice' | 'resident' | 'under-care' | 'statutory-feed';

export type Routing =
  | {
      readonly action: 'send';
      readonly target: TargetConfig;
      readonly entitlement: readonly Entitlement[];
      readonly resources: readonly DeliverableType[];
      /** The decision that let it go; `none` when nothing is recorded or the gate does not apply. */
      readonly decidedBy: DecidedBy;
    }
  | {
      /** Entitled, but held by the person's decision: to be recorded, never silently dropped. */
      readonly action: 'hold';
      readonly target: TargetConfig;
      readonly entitlement: readonly Entitlement[];
      readonly reason: HoldReason;
      readonly decidedBy: DecidedBy;
    };

/**
 * One routing per target entitled to the record version, in the targets' order; a target that is
 * not (another practice's, another board's) is left out. A GP practice target is entitled to its
 * registered patients, a health board target to the people resident in its area or under its
 * care, a regulator's feed (`all`) to everyone.
 *
 * The consent gate holds a practice or board target when the person has declined sharing with it
 * (consentFor). It does not apply to a regulator's feed: that feed exists for the statutory returns
 * (the Measure's data collection), which rest on a legal duty rather than on the person's agreement
 * to sharing among those caring for them (Code of Practice 4.24), so a feed is configured as `all`
 * only for such returns.
 */
export function route(targets: readonly TargetConfig[], record: CtpRecord, recipients: Recipients, sharingDecisions: readonly SharingDecision[]): Routing[] {
  const routings: Routing[] = [];
  for (const target of targets) {
    const { kind, code } = recipientOf(target);
    const entitlement = entitlementOf(target, recipients);
    if (entitlement.length === 0) continue;
    const resources = (target.kind === 'fhir' ? target.resources : undefined) ?? defaultResources(kind);
    const gate: ConsentVerdict =
      kind === 'regulator'
        ? { verdict: 'share', decidedBy: { kind: 'none' } }
        : consentFor(
            [code, target.organisation].filter((c): c is string => c !== undefined),
            sharingDecisions,
            record.patient?.informationSharing,
          );
    routings.push(
      gate.verdict === 'share'
        ? { action: 'send', target, entitlement, resources, decidedBy: gate.decidedBy }
        : { action: 'hold', target, entitlement, reason: gate.reason, decidedBy: gate.decidedBy },
    );
  }
  return routings;
}

/** Whom a target stands for: a GP practice, a health board (by code), or a regulator's feed. */
export function recipientOf(target: TargetConfig): { kind: RecipientKind; code?: string } {
  const records = target.records;
  if ('gpPractice' in records) return { kind: 'gp-practice', code: records.gpPractice };
  if ('healthBoard' in records) return { kind: 'health-board', code: records.healthBoard };
  return { kind: 'regulator' };
}

function entitlementOf(target: TargetConfig, recipients: Recipients): Entitlement[] {
  const records = target.records;
  if ('gpPractice' in records) {
    const gp = recipients.gpPractice;
    return gp.status === 'known' && gp.odsCode === normaliseOdsCode(records.gpPractice) ? ['registered-practice'] : [];
  }
  if ('healthBoard' in records) {
    const board = normaliseOdsCode(records.healthBoard);
    const entitlement: Entitlement[] = [];
    if (recipients.residence.status === 'known' && recipients.residence.healthBoard === board) entitlement.push('resident');
    if (recipients.careHealthBoards.includes(board)) entitlement.push('under-care');
    return entitlement;
  }
  return ['statutory-feed'];
}
