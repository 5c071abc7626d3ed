/**
 * The vendor code maps translate into the canonical record's own codes (so a mapped record can
 * pass the schema), and every code map the source mappings use exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { actionSchema, encounterSchema, inpatientStaySchema, outcomeSchema, part3RequestSchema, telecomSchema } from '../../src/record/record.schema.js';
import * as vocabulary from '../../src/record/vocabulary.js';
import { ROOT } from './helpers.js';

const optionsOf = (schema: z.ZodType): readonly string[] => {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  if (!(s instanceof z.ZodEnum)) throw new Error('not an enum');
  return s.options as readonly string[];
};

/** What each kind of vendor list must translate to (by the code map id without its vendor prefix). */
const TARGETS: Readonly<Record<string, readonly string[] | RegExp>> = {
  'area-of-life': vocabulary.areasOfLife,
  profession: vocabulary.coordinatorProfessions,
  'copy-recipient': vocabulary.copyRecipientRoles,
  'copy-role': vocabulary.copyRecipientRoles,
  'delivery-method': vocabulary.deliveryMethods,
  'copy-status': vocabulary.copyStatuses,
  agreement: vocabulary.agreementStatements,
  views: vocabulary.viewsStatuses,
  'ctp-status': vocabulary.carePlanStatuses,
  'plan-status': vocabulary.carePlanStatuses,
  'ctp-change': vocabulary.carePlanChangeTypes,
  'plan-type': vocabulary.carePlanChangeTypes,
  'document-language': vocabulary.planLanguages,
  'plan-language': vocabulary.planLanguages,
  language: /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/,
  gender: vocabulary.genders,
  sex: vocabulary.genders,
  'absent-reason': vocabulary.notRecordedReasons,
  'intervention-status': optionsOf(actionSchema.shape.status),
  'action-status': optionsOf(actionSchema.shape.status),
  'outcome-progress': optionsOf(outcomeSchema.shape.achievement),
  'outcome-status': optionsOf(outcomeSchema.shape.achievement),
  'party-type': vocabulary.actorKinds,
  'actor-type': vocabulary.actorKinds,
  'org-type': vocabulary.organisationKinds,
  'reg-body': vocabulary.registrationBodies,
  'contact-type': optionsOf(telecomSchema.shape.system),
  'contact-usage': optionsOf(telecomSchema.shape.use),
  relationship: /^[A-Z]{3,7}$/,
  'relationship-display': /^[a-z ]+$/,
  'person-role': vocabulary.relatedPersonRoles,
  'team-role': vocabulary.careTeamRoles,
  'communication-need': vocabulary.communicationNeedKinds,
  'referral-status': vocabulary.episodeStatuses,
  'referral-priority': vocabulary.referralPriorities,
  'cancelled-by': vocabulary.cancelledByCodes,
  'discharge-type': vocabulary.dischargeKinds,
  'admission-discharge': optionsOf(inpatientStaySchema.shape.dischargeType),
  'allocation-end': vocabulary.coordinatorEndReasons,
  'diagnosis-scheme': ['http://snomed.info/sct', 'http://hl7.org/fhir/sid/icd-10'],
  'diagnosis-status': vocabulary.diagnosisStatuses,
  'review-reason': vocabulary.reviewTriggers,
  'review-trigger': vocabulary.reviewTriggers,
  'review-requester': vocabulary.reviewRequesters,
  'review-decision': vocabulary.reviewDecisions,
  'appointment-type': vocabulary.encounterKinds,
  'appointment-outcome': optionsOf(encounterSchema.shape.status),
  'appointment-mode': vocabulary.contactModes,
  'part3-requester': vocabulary.part3Requesters,
  'p3-requester': vocabulary.part3Requesters,
  'part3-priority': vocabulary.part3Priorities,
  'p3-priority': vocabulary.part3Priorities,
  'part3-status': optionsOf(part3RequestSchema.shape.status),
  'p3-status': optionsOf(part3RequestSchema.shape.status),
  'part3-eligibility': vocabulary.eligibilityDecisions,
  'p3-eligibility': vocabulary.eligibilityDecisions,
};

const codeMapDir = join(ROOT, 'mappings/code-maps');
const vendorMaps = readdirSync(codeMapDir)
  .filter((f) => /^(carepath|wpas)-.*\.yaml$/.test(f))
  .map((f) => parseYaml(readFileSync(join(codeMapDir, f), 'utf8')) as { id: string; entries: { from: string; to: string }[] });

describe('vendor code maps', () => {
  it('exist for both vendors', () => {
    expect(vendorMaps.filter((m) => m.id.startsWith('carepath-')).length).toBeGreaterThan(30);
    expect(vendorMaps.filter((m) => m.id.startsWith('wpas-')).length).toBeGreaterThan(20);
  });

  it.each(vendorMaps.map((m) => [m.id, m] as const))('%s translates into canonical codes', (id, map) => {
    const target = TARGETS[id.replace(/^(carepath|wpas)-/, '')];
    expect(target, `no expectation for ${id}`).toBeDefined();
    for (const { from, to } of map.entries) {
      if (target instanceof RegExp) expect(to, `${id}: ${from}`).toMatch(target);
      else expect(target, `${id}: ${from} → ${to}`).toContain(to);
    }
  });

  it.each(['carepath-json-to-ctp.yaml', 'wpas-csv-to-ctp.yaml'])('%s uses only its own vendor code maps, all present', (file) => {
    const text = readFileSync(join(ROOT, 'mappings', file), 'utf8');
    const used = new Set([...text.matchAll(/translate\('([a-z0-9-]+)'\)/g)].map((m) => m[1]!));
    const prefix = file.startsWith('carepath') ? 'carepath-' : 'wpas-';
    expect(used.size).toBeGreaterThan(10);
    for (const id of used) {
      expect(id.startsWith(prefix), id).toBe(true);
      expect(vendorMaps.map((m) => m.id)).toContain(id);
    }
  });
});
