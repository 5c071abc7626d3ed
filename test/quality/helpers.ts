/**
 * A record of good quality on 2025-06-01 (every quality signal silent), built on the compliant
 * record of the compliance tests, and helpers to break one thing and read one signal. Every
 * person and every word of plan text here is invented.
 */
import type { Finding } from '../../src/compliance/finding.js';
import { directoryConfig } from '../../src/ports/directory-config.js';
import { createQualityEngine, type QualityEngine } from '../../src/quality/quality-engine.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { compliantRecord, variant as compliantVariant } from '../compliance/helpers.js';
import { ROOT } from '../helpers/runtime.js';

export const ASOF = '2025-06-01';

let shared: QualityEngine | undefined;
export function quality(): QualityEngine {
  shared ??= createQualityEngine(directoryConfig(ROOT));
  return shared;
}

export function goodRecord(): CtpRecord {
  return compliantVariant((r) => {
    const plan = r.plans![0]!;
    plan.outcomes = [
      {
        id: 'o1',
        description: 'I will move into a flat of my own near my sister',
        inPatientsWords: 'I want my own front door',
        areas: [{ area: 'accommodation', explanation: 'Somewhere settled to live helps me stay on top of things' }],
        milestones: [{ description: 'Visit two flats with the housing officer', targetDate: '2025-07-01' }],
        actions: [{ id: 'a1', description: 'Housing officer to arrange viewings of two flats', when: 'By the end of June', whoBy: [{ kind: 'patient' }] }],
      },
      {
        id: 'o2',
        description: 'I will walk with my neighbour three mornings a week',
        areas: [{ area: 'personal-care-physical-wellbeing', explanation: 'Walking lifts my mood and helps my sleep' }],
        milestones: [{ description: 'Agree the days with my neighbour', targetDate: '2025-06-15' }],
        actions: [{ id: 'a2', description: 'Support worker to walk with me for the first two weeks', when: 'Mondays and Thursdays', whoBy: [{ kind: 'patient' }] }],
      },
    ];
    plan.relapseSignatures = ['I stop sleeping and stop answering the phone to my sister'];
    plan.familyInvolvement = { decision: 'equal-partners', basis: 'She asked for her carer to be part of every decision', decidedOn: '2025-01-28' };
    plan.copies!.find((c) => c.recipientRole === 'patient')!.receivedOn = '2025-02-06';
    r.relatedPeople![0]!.carerAssessment = { offeredOn: '2025-01-20', response: 'accepted' };
    plan.signatures = { ...plan.signatures, patient: { signedOn: '2025-02-01' } };
    r.encounters!.push({ id: 'enc2', kind: 'contact', status: 'finished', start: '2025-05-20', mode: 'face-to-face', practitioner: 'cc', episode: 'ep' });
  });
}

/** Applies a change to a fresh good record and checks the result is still a valid record. */
export function variant(change: (r: CtpRecord) => void): CtpRecord {
  return compliantVariant(change, goodRecord());
}

export function qualityFindings(record: CtpRecord, asOf = ASOF): readonly Finding[] {
  return quality().engine.evaluate(record, { asOf, pack: 'practice-quality' }).findings;
}

/** The results of one signal (`id/check`), e.g. ['pass', 'fail']. */
export function signalResults(record: CtpRecord, key: string, asOf = ASOF): string[] {
  const [id, check] = key.split('/');
  return qualityFindings(record, asOf)
    .filter((f) => f.ruleId === id && f.check === check)
    .map((f) => f.result);
}

export { compliantRecord };
