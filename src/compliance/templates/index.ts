/** Every rule template pont knows, by name. */
import type { TemplateRegistry } from '../compile-pack.js';
import type { RuleTemplate } from '../template.js';
import { alertTemplates } from './alerts.js';
import { assessmentTemplates } from './assessments.js';
import { carerConsentTemplates } from './carer-consent.js';
import { carerTemplates } from './carers.js';
import { consentToCareTemplates } from './consent-to-care.js';
import { consultationTemplates } from './consultation.js';
import { contactTemplates } from './contacts.js';
import { coordinatorTemplates } from './coordinator.js';
import { copyTemplates } from './copies.js';
import { dischargeTemplates } from './discharge.js';
import { dutyTemplates } from './duty.js';
import { engagementTemplates } from './engagement.js';
import { englishTemplates } from './english.js';
import { englishDischargeTemplates } from './english-discharge.js';
import { englishLetterTemplates } from './english-letters.js';
import { englishPlanTemplates } from './english-plans.js';
import { englishTransferTemplates } from './english-transfers.js';
import { englishWardTemplates } from './english-wards.js';
import { generalTemplates } from './general.js';
import { hospitalTemplates } from './hospital.js';
import { imcaTemplates } from './imca.js';
import { meetingTemplates } from './meetings.js';
import { outcomeMeasureTemplates } from './outcome-measures.js';
import { part3Templates } from './part3.js';
import { physicalHealthTemplates } from './physical-health.js';
import { planTemplates } from './plans.js';
import { referralDecisionTemplates } from './referral-decisions.js';
import { referralHandlingTemplates } from './referral-handling.js';
import { referralTemplates } from './referrals.js';
import { reviewTemplates } from './reviews.js';
import { riskTemplates } from './risk.js';
import { section117PlanTemplates } from './section-117-plan.js';
import { supportAndClinicTemplates } from './support-and-clinics.js';
import { vocationalTemplates } from './vocational.js';
import { waitingListTemplates } from './waiting-lists.js';

export function builtInTemplates(): TemplateRegistry {
  const all: RuleTemplate<unknown>[] = [
    ...coordinatorTemplates,
    ...planTemplates,
    ...copyTemplates,
    ...reviewTemplates,
    ...hospitalTemplates,
    ...dischargeTemplates,
    ...part3Templates,
    ...generalTemplates,
    ...referralTemplates,
    ...consultationTemplates,
    ...assessmentTemplates,
    ...riskTemplates,
    ...contactTemplates,
    ...englishTemplates,
    ...alertTemplates,
    ...carerTemplates,
    ...referralHandlingTemplates,
    ...physicalHealthTemplates,
    ...outcomeMeasureTemplates,
    ...supportAndClinicTemplates,
    ...vocationalTemplates,
    ...waitingListTemplates,
    ...referralDecisionTemplates,
    ...dutyTemplates,
    ...englishPlanTemplates,
    ...englishWardTemplates,
    ...englishDischargeTemplates,
    ...englishLetterTemplates,
    ...englishTransferTemplates,
    ...meetingTemplates,
    ...carerConsentTemplates,
    ...engagementTemplates,
    ...consentToCareTemplates,
    ...section117PlanTemplates,
    ...imcaTemplates,
  ];
  const registry = new Map<string, RuleTemplate<unknown>>();
  for (const t of all) {
    if (registry.has(t.name)) throw new Error(`two rule templates are named "${t.name}"`);
    registry.set(t.name, t);
  }
  return registry;
}
