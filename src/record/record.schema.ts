/**
 * The canonical CTP record: one document per person carrying everything Schedule 2 of the
 * Mental Health (Care Co-ordination and Care and Treatment Planning) (Wales) Regulations 2011
 * requires, plus the context the Measure's rules need (episodes, coordinator appointments,
 * reviews, copies, Part 3 requests).
 *
 * Conventions:
 * - Field names are plain English; dates are ISO `YYYY-MM-DD`, instants ISO 8601 with offset.
 * - Other parts of the record are referred to by their local `id` (e.g. `organisationId`).
 * - A field that is absent means the source said nothing about it. A field holding
 *   `{ "notRecorded": … }` means the source explicitly holds no value (unknown, not asked …).
 */
import { z } from 'zod';
import {
  careAndTreatmentReviewKinds,
  dischargeDestinations,
  dischargeSteps,
  dischargeSummaryContents,
  informationPackContents,
  letterKinds,
  planKinds,
  planSections,
  riskFormulationParts,
  summaryRecipients,
} from './english-plans-vocabulary.js';
import {
  advanceStatementDecisions,
  capacityAccommodationKinds,
  capacityDecisionKinds,
  carerAssessmentResponses,
  closureReasons,
  consentToCareDecisions,
  contactAttemptMethods,
  dischargeLetterSections,
  flagKinds,
  incidentKinds,
  incidentReportingSystems,
  meetingPurposes,
  meetingRoles,
  mhaSections,
  riskAssessmentTools,
  riskReviewReasons,
} from './english-vocabulary.js';
import { clinicKinds, dialogDomains, medicationClasses, outcomeMeasureTools, physicalHealthChecks } from './health-vocabulary.js';
import {
  carerSupportKinds,
  carerSupportOutcomes,
  contactRequesters,
  disputeRaisers,
  disputeResolutions,
  familyInvolvementDecisions,
  frequencyUnits,
  interpreterModes,
  serviceTypes,
} from './quality-vocabulary.js';
import { onwardServices, referralDataItems, referralOutcomes, referralRecipients, referralRoutes, referralSources } from './referral-vocabulary.js';
import {
  actorKinds,
  agreementStatements,
  areaFindings,
  areasOfLife,
  assessmentKinds,
  cancelledByCodes,
  carePlanChangeTypes,
  carePlanStatuses,
  careTeamRoles,
  communicationNeedKinds,
  consultationOutcomes,
  continuedServicesDecisions,
  coordinatorEndReasons,
  coordinatorProfessions,
  copyRecipientRoles,
  copyStatuses,
  deliveryMethods,
  diagnosisStatuses,
  dischargeKinds,
  eligibilityDecisions,
  encounterKinds,
  episodeStatuses,
  genders,
  informationSharingStatuses,
  inpatientDischargeTypes,
  notRecordedReasons,
  organisationKinds,
  part3Priorities,
  part3ReferralKinds,
  part3Requesters,
  part3Statuses,
  patientViews as patientViewCodes,
  planLanguages,
  provisionDecisions,
  referralPriorities,
  registrationBodies,
  relatedPersonRoles,
  residenceStatuses,
  reviewDecisions,
  reviewRequesters,
  reviewTriggers,
  reviewViewsSought,
  riskCategories,
  riskLevels,
  sharingDecisionValues,
  sharingRecipientKinds,
  viewsStatuses,
} from './vocabulary.js';
import { ragRatings, waitingListEndReasons, waitingListKinds, waitingListLetterContents, waitingListLetterKinds } from './waiting-list-vocabulary.js';

const dateOnly = z.iso.date({ message: 'must be a date in the form YYYY-MM-DD' });
const instant = z.iso.datetime({ offset: true, message: 'must be a date-time with a timezone, e.g. 2025-03-01T09:30:00Z' });
/** A FHIR dateTime: a year, year-month, date, or date-time with seconds optional and a timezone when a time is given. */
const partialDateTime = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/, {
    message: 'must be a date or date-time such as 2025-03-01 or 2025-03-01T09:30:00Z',
  });
const text = z.string().trim().min(1, { message: 'must not be empty' });
const localId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be 1–64 letters, digits, ".", "_" or "-"' });

/** An explicit statement that the source holds no value, as opposed to saying nothing. */
export const notRecordedSchema = z
  .object({
    notRecorded: z.enum(notRecordedReasons).describe('Why no value is held (FHIR data-absent-reason code).'),
  })
  .strict();
export type NotRecorded = z.infer<typeof notRecordedSchema>;

/** Lists are absent or non-empty, so that "nothing" has one spelling and round trips are exact. */
const list = <T extends z.ZodType>(schema: T) => z.array(schema).min(1, { message: 'must not be an empty list (leave it out instead)' });

const orNotRecorded = <T extends z.ZodType>(schema: T) => z.union([schema, notRecordedSchema]);

/** NHS number: ten digits with a valid modulus 11 check digit. */
export const nhsNumberSchema = z
  .string()
  .regex(/^\d{10}$/, { message: 'must be 10 digits' })
  .refine(isValidNhsNumber, { message: 'has an invalid check digit' });

export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(value[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(value[9]);
}

export const humanNameSchema = z
  .object({
    given: list(text).optional(),
    family: text.optional(),
    prefix: list(text).optional(),
    text: text.optional(),
  })
  .strict()
  .refine((n) => n.family !== undefined || n.text !== undefined || (n.given?.length ?? 0) > 0, {
    message: 'a name needs at least a family name, a given name or a text form',
  });

/** An object with only optional fields that FHIR drops when empty: `{}` could not come back, so it must be left out. */
const notEmpty = <T extends object>(o: T): boolean => Object.keys(o).length > 0;
const NOT_EMPTY = { message: 'must not be empty (leave it out instead)' };

export const addressSchema = z
  .object({
    lines: list(text).optional(),
    city: text.optional(),
    district: text.optional(),
    postcode: text.optional(),
    country: text.optional(),
    text: text.optional(),
  })
  .strict()
  .refine(notEmpty, NOT_EMPTY);

export const telecomSchema = z
  .object({
    system: z.enum(['phone', 'email', 'fax', 'url', 'sms', 'other']),
    value: text,
    use: z.enum(['home', 'work', 'temp', 'old', 'mobile']).optional(),
  })
  .strict();

/**
 * What FHIR can carry as Coding.system / Identifier.system and Coding.code: an absolute URI, and a
 * code without line breaks, tabs or repeated spaces (profiles/README.md, "Record schema and profiles").
 */
const uri = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, { message: 'must be an absolute URI, e.g. http://snomed.info/sct' });
const code = z
  .string()
  .trim()
  .regex(/^\S+( \S+)*$/, { message: 'must be a code: no line breaks, tabs or repeated spaces' });

export const identifierSchema = z.object({ system: uri, value: text }).strict();

export const codingSchema = z
  .object({
    system: uri.describe('Code system URI, e.g. http://snomed.info/sct or http://hl7.org/fhir/sid/icd-10'),
    code,
    display: text.optional(),
  })
  .strict();

/** Who does, receives or requests something: the patient, or someone else in the record. */
export const actorSchema = z
  .object({
    kind: z.enum(actorKinds),
    id: localId.optional().describe('Local id of the practitioner, organisation or related person; absent for the patient and the whole care team.'),
  })
  .strict()
  .refine((a) => a.kind === 'patient' || a.kind === 'care-team' || a.id !== undefined, {
    message: 'id is required unless kind is "patient" or "care-team"',
  });

/** An ODS organisation code: upper-case letters and digits, 3 to 6 of them (W97001, 7A1). */
export const odsCodeSchema = z.string().regex(/^[A-Z0-9]{3,6}$/, { message: 'must be an ODS code: 3 to 6 upper-case letters or digits, e.g. W97001 or 7A1' });

/** The person’s decision on sharing their record with one recipient organisation (read by the sync’s consent gate). */
export const sharingDecisionSchema = z
  .object({
    recipient: z.object({ kind: z.enum(sharingRecipientKinds), odsCode: odsCodeSchema }).strict(),
    decision: z.enum(sharingDecisionValues),
    recordedOn: dateOnly,
  })
  .strict();
export type SharingDecision = z.infer<typeof sharingDecisionSchema>;

/**
 * The same decision twice (same recipient, date and decision) says nothing the first did not, and
 * FHIR could not tell the two copies apart; different decisions on the same day are both kept.
 */
function noRepeatedDecision(decisions: readonly SharingDecision[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  decisions.forEach((d, i) => {
    const key = `${d.recipient.kind}|${d.recipient.odsCode}|${d.recordedOn}|${d.decision}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: 'repeats an earlier decision (same recipient, date and decision): leave it out' });
    seen.add(key);
  });
}

/** The same decision on sharing with a related person twice (same date and decision) says nothing the first did not. */
function noRepeatedCarerDecision(decisions: readonly { decision: string; recordedOn: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  decisions.forEach((d, i) => {
    const key = `${d.recordedOn}|${d.decision}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: 'repeats an earlier decision (same date and decision): leave it out' });
    seen.add(key);
  });
}

export const patientSchema = z
  .object({
    nhsNumber: orNotRecorded(nhsNumberSchema).optional(),
    localIdentifiers: list(identifierSchema).optional(),
    names: list(humanNameSchema).optional(),
    dateOfBirth: orNotRecorded(dateOnly).optional(),
    gender: z.enum(genders).optional(),
    usualAddress: orNotRecorded(addressSchema).optional(),
    localAuthorityOfResidence: z
      .string()
      .regex(/^[EW]0[6-9]\d{6}$/, { message: 'must be an ONS local authority code such as W06000015' })
      .optional(),
    registeredGpPractice: localId.optional().describe('Local id of the GP practice organisation.'),
    preferredLanguage: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'must be a BCP-47 language tag such as cy or en-GB' })
      .optional(),
    prefersWelsh: z.boolean().optional().describe('Wishes to receive services and documents in Welsh.'),
    interpreterRequired: z.boolean().optional(),
    communicationNeeds: list(z.object({ kind: z.enum(communicationNeedKinds), detail: text.optional() }).strict()).optional(),
    telecom: list(telecomSchema).optional(),
    informationSharing: z
      .object({ status: z.enum(informationSharingStatuses), recordedOn: dateOnly })
      .strict()
      .optional()
      .describe('The person’s agreement to relevant information being shared.'),
    sharingDecisions: list(sharingDecisionSchema)
      .superRefine(noRepeatedDecision)
      .optional()
      .describe('The person’s decisions on sharing their record, one per recipient and date; a decline is kept whatever else the record says.'),
  })
  .strict()
  .refine(notEmpty, NOT_EMPTY);

export const organisationSchema = z
  .object({
    id: localId,
    kind: z.enum(organisationKinds).optional(),
    name: text.optional(),
    odsCode: text.optional(),
    onsCode: text.optional().describe('ONS code for a local authority, e.g. W06000015.'),
    telecom: list(telecomSchema).optional(),
    address: addressSchema.optional(),
  })
  .strict();

export const practitionerSchema = z
  .object({
    id: localId,
    name: humanNameSchema.optional(),
    registration: z
      .object({ body: z.enum(registrationBodies), number: text, registerPart: text.optional() })
      .strict()
      .optional(),
    telecom: list(telecomSchema).optional(),
    address: addressSchema.optional().describe('Postal address at which the practitioner can be contacted.'),
    speaksWelsh: z.boolean().optional(),
    wholeTimeEquivalent: z.number().gt(0).lte(1.5).optional().describe('Contracted hours as a fraction of full time (1 = full time), for caseloads pro rata.'),
    amhpRotaDays: z.number().gt(0).lte(7).optional().describe('Days a week on the AMHP rota, which reduce a caseload.'),
  })
  .strict();

export const relatedPersonSchema = z
  .object({
    id: localId,
    name: humanNameSchema.optional(),
    roles: list(z.enum(relatedPersonRoles)).optional(),
    relationship: codingSchema.optional().describe('Family relationship, e.g. v3-RoleCode MTH.'),
    telecom: list(telecomSchema).optional(),
    address: addressSchema.optional(),
    wishesToReceiveCopies: orNotRecorded(z.boolean()).optional(),
    copiesDeclinedOn: dateOnly.optional(),
    isPaidOrVolunteer: z.boolean().optional().describe('Cares under a contract or as a volunteer for a body (not a carer in law).'),
    dateOfBirth: z
      .string()
      .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, { message: 'must be a date such as 2015-06-01, or a year and month, or a year' })
      .optional()
      .describe('Date of birth (or expected date of birth of an unborn child); a year, or a year and month, when that is all that is known.'),
    inHousehold: z.boolean().optional().describe('Lives in the person’s household.'),
    youngCarer: z.boolean().optional().describe('A child or young person who cares for the person.'),
    active: z.boolean().optional().describe('Whether the relationship is current, as the source holds it (false: it has ended).'),
    period: z
      .object({ start: partialDateTime.optional(), end: partialDateTime.optional() })
      .strict()
      .refine(notEmpty, NOT_EMPTY)
      .optional()
      .describe('When the relationship began and, once it has, ended (a date, or a date-time as FHIR may hold it).'),
    carerSupport: list(z.object({ kind: z.enum(carerSupportKinds), offeredOn: dateOnly, outcome: z.enum(carerSupportOutcomes).optional() }).strict())
      .optional()
      .describe('Support other than an assessment offered to this person as a carer in their own right, and whether they took it up (an assessment is carerAssessment).'),
    carerAssessment: z
      .object({
        offeredOn: dateOnly.optional().describe('When the carer was told of their right to an assessment and offered one.'),
        response: z.enum(carerAssessmentResponses).optional(),
        referredOn: dateOnly.optional().describe('When the carer was referred to the local authority for an assessment.'),
      })
      .strict()
      .refine(notEmpty, NOT_EMPTY)
      .optional()
      .describe('The offer of a carer’s assessment and what came of it: the one place the record holds it.'),
    // ---- Carers and consent (English policies: LPT Care Coordination Policy §3.14; ELFT §13)
    sharingConsent: list(z.object({ decision: z.enum(sharingDecisionValues), recordedOn: dateOnly }).strict())
      .superRefine(noRepeatedCarerDecision)
      .optional()
      .describe('The person’s decisions on sharing information about them with this person (a decline also records someone they do not want involved).'),
    informationShared: list(
      z
        .object({
          id: localId,
          on: dateOnly,
          atDischarge: z.boolean().optional().describe('Shared about the person’s discharge from the team.'),
          withoutConsentRationale: text.optional().describe('Why it was shared without the person’s consent (risk, capacity), as recorded.'),
        })
        .strict(),
    )
      .optional()
      .describe('Information about the person shared with this person (a carer), and when.'),
    detailsConsent: z
      .object({ agreed: z.boolean(), recordedOn: dateOnly.optional() })
      .strict()
      .optional()
      .describe('The carer’s own consent to their details being held, as recorded.'),
    carerPlan: z
      .object({ madeOn: dateOnly, reviewedOn: list(dateOnly).optional() })
      .strict()
      .optional()
      .describe('The carer’s own written care plan: when it was made and each review.'),
  })
  .strict();

export const careTeamMemberSchema = z
  .object({
    id: localId,
    role: z.enum(careTeamRoles),
    roleText: text.optional(),
    member: actorSchema.optional(),
    start: dateOnly.optional(),
    end: dateOnly.optional(),
    wishesToReceiveCopies: orNotRecorded(z.boolean()).optional(),
  })
  .strict();

/** A date-time agrees with the date beside it when it is written on that date. */
const onDate = (at: string | undefined, on: string | undefined): boolean => at === undefined || at.slice(0, 10) === on;

export const inpatientStaySchema = z
  .object({
    id: localId,
    admittedOn: dateOnly.optional().describe('Absent when the source knows the stay only by its discharge.'),
    dischargedOn: dateOnly.optional(),
    dischargedAt: instant.optional().describe('The time of discharge, when the source holds it: written on the date of dischargedOn.'),
    hospital: localId.optional().describe('Local id of the hospital organisation.'),
    dischargeType: z.enum(inpatientDischargeTypes).optional(),
    followUpContactOn: dateOnly.optional(),
    detentions: list(z.object({ section: z.enum(mhaSections), start: dateOnly.optional(), end: dateOnly.optional() }).strict())
      .optional()
      .describe('Detention under the Mental Health Act 1983 during the stay, by section (English policies).'),
    // English policies: kinds of plan, discharge, ward and transfer (engplans).
    admittedAt: instant.optional().describe('The time of admission, when the source holds it: written on the date of admittedOn.'),
    communityTeamToldAt: partialDateTime.optional().describe('When the ward told the community team of the admission.'),
    outOfArea: z.boolean().optional().describe('An admission to a hospital outside the trust’s area.'),
    wardContacts: list(z.object({ at: partialDateTime, by: z.enum(meetingRoles).optional(), wardRound: z.boolean().optional() }).strict())
      .optional()
      .describe('Contacts with the ward during the stay, by their part in the person’s care, and whether at a ward round.'),
    dischargeSummaries: list(z.object({ to: z.enum(summaryRecipients), sentOn: dateOnly, contents: list(z.enum(dischargeSummaryContents)).optional() }).strict())
      .optional()
      .describe('Discharge summaries sent after the stay: to whom, when, and what they held.'),
    rehabilitation: z.boolean().optional().describe('An admission to a rehabilitation unit.'),
    referredBackOn: dateOnly.optional().describe('When the unit referred the person back to the community team ahead of discharge.'),
    careAndTreatmentReviews: list(z.object({ kind: z.enum(careAndTreatmentReviewKinds), on: dateOnly }).strict())
      .optional()
      .describe('Care and Treatment Reviews about the admission, for a person with a learning disability or autism.'),
  })
  .strict()
  .refine((s) => onDate(s.admittedAt, s.admittedOn), { message: 'must be on the date of admittedOn', path: ['admittedAt'] })
  .refine((s) => s.admittedOn !== undefined || s.dischargedOn !== undefined, { message: 'a stay needs its admission date, its discharge date or both', path: ['admittedOn'] })
  .refine((s) => onDate(s.dischargedAt, s.dischargedOn), { message: 'must be on the date of dischargedOn', path: ['dischargedAt'] });

export const dischargeSchema = z
  .object({
    date: dateOnly,
    kind: z.enum(dischargeKinds),
    dischargingBody: localId.optional(),
    reason: orNotRecorded(text).optional(),
    furtherSupport: text.optional().describe('What may be done, and by whom, if further support or advice is needed.'),
    part3Explained: z.boolean().optional().describe('Written information on the right to self-refer under Part 3 given.'),
    writtenInformationGivenOn: dateOnly.optional(),
    copiedToGp: z.boolean().optional(),
    letterSections: list(z.enum(dischargeLetterSections)).optional().describe('The sections the discharge letter holds.'),
    closureReason: z.enum(closureReasons).optional().describe('Why the episode was closed, as the source codes it (English policies); the free-text reason stays in reason.'),
    // English policies: kinds of plan, discharge, ward and transfer (engplans).
    steps: list(z.enum(dischargeSteps)).optional().describe('What was done at the discharge, step by step (checklist, workbook, relapse plan …).'),
    destination: z.enum(dischargeDestinations).optional().describe('Where the person went on discharge from the team.'),
  })
  .strict();

const onsCode = z.string().regex(/^[EW]0[6-9]\d{6}$/, { message: 'must be an ONS local authority code such as W06000015' });

/** Someone told of a decision about a referral, when, and whether in writing (English policies). */
const toldSchema = z.object({ who: z.enum(referralRecipients), on: dateOnly, inWriting: z.boolean().optional() }).strict();

export const episodeSchema = z
  .object({
    id: localId,
    status: z.enum(episodeStatuses),
    acceptedOn: dateOnly.optional(),
    responsibleBodies: list(localId).optional().describe('The LHB and/or local authority responsible; the first is the managing body.'),
    team: text.optional(),
    placement: z
      .object({ homeArea: onsCode, placementArea: onsCode })
      .strict()
      .optional()
      .describe('An out-of-area placement: the local authority areas of home and of the placement.'),
    custody: list(
      z
        .object({
          enteredOn: dateOnly.optional(),
          releasedOn: dateOnly.optional(),
          notifiedBeforeReleaseOn: dateOnly.optional().describe('When local services were told of the coming release.'),
          notifiedOnReleaseOn: dateOnly.optional().describe('When local services were told at the point of release.'),
        })
        .strict(),
    )
      .optional()
      .describe('Time in prison during the episode.'),
    transfers: list(
      z
        .object({
          date: dateOnly,
          from: localId.optional().describe('The body transferring care.'),
          to: localId.optional().describe('The body taking over.'),
          team: text.optional().describe('The team taking over.'),
          patientInvolved: z.boolean().optional(),
          implicationsExplained: z.boolean().optional(),
          // English policies: kinds of plan, discharge, ward and transfer (engplans).
          personInCrisis: z.boolean().optional().describe('Whether the person was in crisis when care was transferred.'),
          introductoryMeetingOn: dateOnly.optional().describe('When the transfer and introductory meeting with the new team was held.'),
        })
        .strict(),
    )
      .optional()
      .describe('Transfers between teams, bodies or areas during the episode.'),
    referral: z
      .object({
        receivedOn: dateOnly,
        receivedAt: instant.optional().describe('The time the referral was received, when the source holds it: written on the date of receivedOn.'),
        priority: z.enum(referralPriorities).optional(),
        contactAttempts: list(
          z
            .object({
              at: partialDateTime,
              method: z.enum(contactAttemptMethods),
              reached: z.boolean().optional(),
              // What the duty worker's call after triage agreed (English policies: referral handling)
              riskAssessed: z.boolean().optional().describe('Whether a brief risk assessment and mental state examination were made on the call.'),
              safetyPlanAgreed: z.boolean().optional().describe('Whether a safety plan was agreed until the person is fully assessed.'),
              timescaleAgreed: z.boolean().optional().describe('Whether a timescale for the assessment was agreed.'),
            })
            .strict(),
        )
          .optional()
          .describe('Attempts to reach the person about the referral, successful or not (English policies).'),
        loggedAt: partialDateTime.optional().describe('When the referral was logged on the source system (its audit time, not the receipt).'),
        triage: z
          .object({
            at: partialDateTime.optional().describe('When the referral was triaged.'),
            by: list(z.enum(meetingRoles)).optional().describe('The parts in the person’s care of those who triaged it.'),
            rationaleRecordedAt: partialDateTime.optional().describe('When the rationale for the triage decision was recorded.'),
          })
          .strict()
          .refine(notEmpty, NOT_EMPTY)
          .optional()
          .describe('The triage of the referral (English policies).'),
        // Referral decisions and who was told (English policies: waiting lists and referrals)
        route: z.enum(referralRoutes).optional().describe('How the referral reached the team.'),
        source: z.enum(referralSources).optional().describe('Who or what service made the referral.'),
        dataSet: z
          .object({
            items: list(z.enum(referralDataItems)).optional().describe('What the referral held of the data set.'),
            missingSoughtOn: dateOnly.optional().describe('When what the referral lacked was sought from the referrer.'),
          })
          .strict()
          .refine(notEmpty, NOT_EMPTY)
          .optional()
          .describe('What the referral held of the data set the team asks for, and when what it lacked was sought.'),
        decision: z
          .object({
            outcome: z.enum(referralOutcomes),
            on: dateOnly.optional(),
            onwardService: z.enum(onwardServices).optional().describe('The service a referral not accepted was passed on to.'),
            reasonsGiven: z.boolean().optional().describe('Whether the referrer was given the reasons for the decision.'),
            told: list(toldSchema).optional(),
          })
          .strict()
          .optional()
          .describe('The decision on the referral and who was told of it.'),
        regradings: list(
          z
            .object({
              from: z.enum(referralPriorities),
              to: z.enum(referralPriorities),
              on: dateOnly,
              rationaleGiven: z.boolean().optional().describe('Whether those told were given the rationale.'),
              told: list(toldSchema).optional(),
            })
            .strict(),
        )
          .optional()
          .describe('Changes to the referral’s priority, and who was told of each.'),
      })
      .strict()
      .refine((r) => onDate(r.receivedAt, r.receivedOn), { message: 'must be on the date of receivedOn', path: ['receivedAt'] })
      .optional()
      .describe('The referral that led to this episode.'),
    inpatientStays: list(inpatientStaySchema).optional(),
    discharge: dischargeSchema.optional(),
    cpaPeriods: list(z.object({ start: dateOnly.optional(), end: dateOnly.optional() }).strict().refine(notEmpty, NOT_EMPTY))
      .optional()
      .describe('When the person was on the Care Programme Approach during the episode (English policies); an end is a discharge from CPA.'),
    // English policies: kinds of plan, discharge, ward and transfer (engplans).
    dischargeChecklists: list(
      z
        .object({
          completedOn: dateOnly,
          uploaded: z.boolean().optional().describe('Whether the checklist was uploaded to the electronic record.'),
          referencedInNotes: z.boolean().optional().describe('Whether the progress notes refer to it.'),
        })
        .strict(),
    )
      .optional()
      .describe('Reviews of whether the person is ready for discharge, on the discharge checklist.'),
    informationPack: z
      .object({ givenOn: dateOnly.optional(), contents: list(z.enum(informationPackContents)).optional() })
      .strict()
      .refine(notEmpty, NOT_EMPTY)
      .optional()
      .describe('The information pack given to the person: when, and what it held.'),
    // ---- Consent to care (English policies: LPT Care Coordination Policy §5.7)
    consentToCare: z
      .object({
        decision: z.enum(consentToCareDecisions),
        recordedOn: dateOnly.optional(),
        capacityAssessedOn: dateOnly.optional().describe('When a mental capacity assessment about consent to care was completed and recorded.'),
      })
      .strict()
      .optional()
      .describe('The person’s consent to care in this episode, or why it could not be given.'),
  })
  .strict();

export const coordinatorAppointmentSchema = z
  .object({
    id: localId,
    practitioner: localId,
    profession: orNotRecorded(z.enum(coordinatorProfessions)).optional().describe('Any profession the source holds; the rules judge whether it is eligible.'),
    professionText: text.optional().describe('The profession as the source names it, e.g. when profession is "other".'),
    appointingBody: localId.optional(),
    employer: localId.optional(),
    episode: localId.optional(),
    start: dateOnly.optional(),
    end: dateOnly.optional(),
    endReason: z.enum(coordinatorEndReasons).optional(),
    temporary: z.boolean().optional(),
    covers: localId.optional().describe('The usual appointment a temporary coordinator stands in for.'),
    delayReason: text.optional().describe('Exceptional circumstances for an appointment later than 14 days.'),
    employerConsentOn: dateOnly.optional().describe('When the coordinator’s employer, if not the appointing body, consented to the appointment.'),
    patientInformedOn: dateOnly.optional().describe('When the person was told of a temporary coordinator arrangement.'),
    delegatedBy: localId.optional().describe('The body that delegated its function of appointing (it stays responsible).'),
    changeReason: text.optional().describe('Why the coordinator changed, when this appointment replaced another.'),
    changeDiscussedOn: dateOnly.optional().describe('When the change of coordinator was discussed with the person.'),
    changePlanned: z.boolean().optional().describe('Whether the change of coordinator this appointment began was planned (English policies).'),
    absences: list(z.object({ start: dateOnly, end: dateOnly.optional() }).strict())
      .optional()
      .describe('Periods when the coordinator could not act (leave, sickness); cover is a temporary appointment that covers this one.'),
  })
  .strict();

export const diagnosisSchema = z
  .object({
    id: localId,
    code: list(codingSchema).optional(),
    text: text.optional(),
    status: z.enum(diagnosisStatuses).optional(),
    recordedOn: dateOnly.optional(),
    onset: dateOnly.optional(),
    episode: localId.optional(),
  })
  .strict()
  .refine((d) => d.code !== undefined || d.text !== undefined, { message: 'a diagnosis needs a code or a text', path: ['code'] });

export const areaLinkSchema = z
  .object({
    area: z.enum(areasOfLife),
    otherArea: text.optional().describe('Name of the area when area is "other".'),
    explanation: orNotRecorded(text).optional().describe('How the outcome relates to this area.'),
  })
  .strict()
  .refine((a) => a.area !== 'other' || a.otherArea !== undefined, { message: 'otherArea is required when area is "other"', path: ['otherArea'] });

export const actionSchema = z
  .object({
    id: localId,
    description: text.optional(),
    when: text.optional().describe('When, as written on the plan (e.g. "weekly from March 2025").'),
    start: dateOnly.optional(),
    end: dateOnly.optional(),
    whoBy: list(actorSchema).optional(),
    status: z.enum(['not-started', 'scheduled', 'in-progress', 'completed', 'cancelled', 'cannot-be-delivered']).optional(),
    serviceType: z.enum(serviceTypes).optional().describe('The kind of service the action provides, where the source codes it (e.g. respite).'),
    section117: z.boolean().optional().describe('Whether this service is section 117 aftercare (English policies); absent when the plan does not say.'),
  })
  .strict();

export const outcomeSchema = z
  .object({
    id: localId,
    description: text.optional(),
    inPatientsWords: text.optional(),
    areas: list(areaLinkSchema).optional(),
    milestones: list(z.object({ description: text, targetDate: dateOnly.optional(), achievedOn: dateOnly.optional() }).strict()).optional(),
    achievement: z.enum(['in-progress', 'improving', 'worsening', 'no-change', 'achieved', 'not-achieved']).optional(),
    actions: list(actionSchema).optional(),
  })
  .strict();

export const crisisContactSchema = z
  .object({
    service: text,
    organisation: localId.optional(),
    telephone: text.optional(),
    hours: text.optional().describe('When the service is available, e.g. "24 hours" or "Mon–Fri 09:00–17:00".'),
  })
  .strict();

export const copySchema = z
  .object({
    id: localId,
    recipientRole: z.enum(copyRecipientRoles),
    recipient: actorSchema,
    status: z.enum(copyStatuses),
    date: dateOnly.optional(),
    method: z.enum(deliveryMethods).optional(),
    reason: text.optional().describe('Why a copy was declined, withheld or not sent.'),
    sections: list(text).optional().describe('The parts of the plan a partial copy holds.'),
    agreedMeans: text.optional().describe('The other means of delivery agreed with the recipient, when method is "other-agreed".'),
    patientView: z.enum(patientViewCodes).optional().describe('The person’s view on this recipient having a copy.'),
    dueConsideration: text.optional().describe('Why a copy went to someone despite the person’s objection.'),
    explanationGivenOn: dateOnly.optional().describe('When the person was given an explanation of the services, pending their copy.'),
    receivedOn: dateOnly.optional().describe('When the recipient acknowledged receiving the copy; absent when the source records no acknowledgement.'),
  })
  .strict();

export const consultationSchema = z
  .object({
    id: localId,
    consultee: actorSchema,
    outcome: z.enum(consultationOutcomes),
    date: dateOnly.optional(),
    reason: text.optional().describe('Why consultation was not practicable or was decided against.'),
    patientView: z.enum(patientViewCodes).optional().describe('The person’s view on consulting this person, taken first.'),
    dueConsideration: text.optional().describe('Why this person was consulted despite the person’s objection.'),
  })
  .strict();

export const planVersionSchema = z
  .object({
    id: localId.describe('Identifier of this plan version; stable across re-sends.'),
    kind: z
      .literal('other')
      .optional()
      .describe('Absent for a Care and Treatment Plan; "other" for another kind of care plan (read from another system’s FHIR), which the Measure does not apply to.'),
    planId: localId.describe('Identifier shared by all versions of the same plan.'),
    version: z.number().int().positive(),
    status: z.enum(carePlanStatuses),
    changeType: z.enum(carePlanChangeTypes).optional(),
    review: localId.optional().describe('The review that produced this version.'),
    episode: localId.optional(),
    coordinatorAppointment: localId.optional().describe('The appointment of the coordinator who prepared this plan.'),
    madeOn: dateOnly.optional(),
    reviewBy: orNotRecorded(dateOnly).optional(),
    completedOn: dateOnly.optional(),
    language: z.enum(planLanguages).optional(),
    addresses: list(localId).optional().describe('Diagnoses this plan addresses.'),
    outcomes: list(outcomeSchema).optional(),
    actions: list(actionSchema).optional().describe('Services or actions recorded without a link to an outcome (seen in other systems’ FHIR).'),
    relapseSignatures: orNotRecorded(list(text)).optional(),
    crisisPlan: z
      .object({
        actions: list(text).optional(),
        contacts: list(crisisContactSchema).optional(),
        contingencies: list(text).optional(),
      })
      .strict()
      .refine((c) => c.actions !== undefined || c.contacts !== undefined || c.contingencies !== undefined, {
        message: 'a crisis plan needs actions, contacts or contingencies (leave it out if there is none)',
      })
      .optional(),
    languageAndCommunication: orNotRecorded(text).optional().describe('Language and communication requirements, including Welsh; may say "None".'),
    patientViews: z
      .object({ status: z.enum(viewsStatuses), text: text.optional() })
      .strict()
      .refine((v) => v.status !== 'recorded' || v.text !== undefined, { message: 'text is required when status is "recorded"', path: ['text'] })
      .optional(),
    agreement: z
      .object({ statement: z.enum(agreementStatements), reasons: text.optional() })
      .strict()
      .optional(),
    responsibleProviders: list(localId).optional(),
    signatures: z
      .object({
        careCoordinator: z.object({ practitioner: localId, signedOn: dateOnly }).strict().optional(),
        patient: z.object({ signedOn: dateOnly }).strict().optional(),
      })
      .strict()
      .refine(notEmpty, NOT_EMPTY)
      .optional(),
    copies: list(copySchema).optional(),
    consultations: list(consultationSchema).optional(),
    involvement: z
      .object({ tookPart: z.boolean(), engagementAttempts: text.optional().describe('What was done to involve the person when they did not take part.') })
      .strict()
      .optional()
      .describe('Whether the person took part in planning.'),
    disputes: list(
      z
        .object({
          raisedOn: dateOnly,
          by: z.enum(disputeRaisers),
          resolvedOn: dateOnly.optional(),
          resolution: z.enum(disputeResolutions).optional(),
        })
        .strict(),
    )
      .optional()
      .describe('Requests to correct what this version of the plan says, and how each ended.'),
    familyInvolvement: z
      .object({ decision: z.enum(familyInvolvementDecisions), basis: text.optional(), decidedOn: dateOnly.optional() })
      .strict()
      .optional()
      .describe('The decision on involving the person’s family and carers, and its basis.'),
    contactFrequency: z
      .object({ times: z.number().int().positive(), every: z.number().int().positive(), unit: z.enum(frequencyUnits) })
      .strict()
      .optional()
      .describe('How often the plan says the person will be seen: `times` contacts every `every` `unit`s (e.g. 1 every 2 weeks).'),
    scannedOnly: z.boolean().optional().describe('This version is held only as a scanned document, without structured content.'),
  })
  .strict();

export const reviewSchema = z
  .object({
    id: localId,
    plan: localId.describe('The plan id (planId) under review.'),
    planVersion: z.number().int().positive().optional(),
    trigger: z.enum(reviewTriggers).optional().describe('Why the review was held; absent when the source does not say.'),
    request: z
      .object({
        receivedOn: dateOnly,
        requestedBy: z.enum(reviewRequesters),
        requester: actorSchema.optional(),
        decision: z.enum(reviewDecisions).optional(),
        decisionReason: text.optional(),
        decidedOn: dateOnly.optional(),
        explanationSentOn: dateOnly.optional().describe('When a refusal was explained to the person who asked.'),
      })
      .strict()
      .optional(),
    dueBy: dateOnly.optional(),
    patientInformedOn: dateOnly.optional().describe('When the person was told that the review would take place.'),
    heldOn: dateOnly.optional(),
    participants: list(actorSchema).optional().describe('Who took part in the review meeting.'),
    interpreter: z.enum(interpreterModes).optional().describe('How an interpreter took part in the review meeting; absent when the source records none.'),
    invitationSaidReview: z
      .boolean()
      .optional()
      .describe('Whether the invitation to the person said the meeting was a review of their plan; absent when the source does not hold the invitation.'),
    outcomeAchievements: list(z.object({ outcome: localId, achievement: z.enum(['in-progress', 'improving', 'worsening', 'no-change', 'achieved', 'not-achieved']) }).strict())
      .optional()
      .describe('How far each outcome of the plan reviewed was achieved.'),
    continuedServices: z.enum(continuedServicesDecisions).optional().describe('Whether the person stays in secondary mental health services.'),
    viewsSought: list(z.enum(reviewViewsSought)).optional().describe('Whose views the review sought (for a child’s plan).'),
    summary: text.optional(),
    advanceStatement: z
      .object({ offered: z.boolean(), decision: z.enum(advanceStatementDecisions).optional() })
      .strict()
      .optional()
      .describe('Whether the review offered an advance statement of wishes, and the decision (English policies).'),
    section117Reviewed: z.boolean().optional().describe('Whether the review considered the person’s eligibility for section 117 aftercare (English policies).'),
  })
  .strict();

export const encounterSchema = z
  .object({
    id: localId,
    kind: z.enum(encounterKinds).optional(),
    status: z.enum(['planned', 'in-progress', 'finished', 'cancelled', 'did-not-attend', 'unknown']),
    start: partialDateTime.optional(),
    end: partialDateTime.optional(),
    mode: z.enum(['face-to-face', 'telephone', 'video', 'other']).optional(),
    practitioner: localId.optional(),
    episode: localId.optional(),
    review: localId.optional(),
    cancellation: z
      .object({
        by: z.enum(cancelledByCodes).optional(),
        personToldAt: partialDateTime.optional().describe('When the person was told of the cancellation; absent if the source does not say they were.'),
      })
      .strict()
      .refine(notEmpty, NOT_EMPTY)
      .optional()
      .describe('Who cancelled a cancelled contact, and when the person was told.'),
    planned: z.boolean().optional().describe('Booked in advance (true) or an unplanned visit or call (false).'),
    participants: list(
      z
        .object({
          role: z.enum(meetingRoles),
          practitioner: localId.optional(),
          relatedPerson: localId.optional(),
          invited: z.boolean().optional(),
          attended: z.boolean().optional(),
          // Meetings (English policies; practice evidence §2 rows 49, 50)
          period: z
            .object({ start: partialDateTime.optional(), end: partialDateTime.optional() })
            .strict()
            .refine(notEmpty, NOT_EMPTY)
            .optional()
            .describe('When this participant joined and left the meeting, where the source holds it.'),
          patientAgreed: z.boolean().optional().describe('Whether the person agreed to this participant being invited; absent when the source does not say.'),
        })
        .strict()
        .refine((p) => p.practitioner === undefined || p.relatedPerson === undefined, {
          message: 'a participant is a practitioner or a related person, not both',
          path: ['relatedPerson'],
        }),
    )
      .optional()
      .describe('Who was invited to the contact or meeting (e.g. a CPA review) and who attended.'),
    followUpAttempts: list(z.object({ at: partialDateTime, method: z.enum(contactAttemptMethods), reached: z.boolean().optional() }).strict())
      .optional()
      .describe('Attempts to reach the person after the contact was missed or failed.'),
    // Physical health and medication (English policies)
    clinic: z.enum(clinicKinds).optional().describe('The clinic the appointment was in, e.g. a depot clinic (English policies).'),
    referrerInformedOn: dateOnly.optional().describe('When whoever referred the person to the clinic was told of a missed appointment.'),
    // Referral handling (English policies)
    seniorDiscussedAt: partialDateTime.optional().describe('When an assessment was discussed with a senior member of the team.'),
    // English policies: kinds of plan, discharge, ward and transfer (engplans).
    auditTimes: z
      .object({
        noteRecordedAt: partialDateTime.optional().describe('When the progress note about the contact was entered on the source system.'),
        outcomedAt: partialDateTime.optional().describe('When the appointment was outcomed (attended, not attended) on the source system.'),
      })
      .strict()
      .refine(notEmpty, NOT_EMPTY)
      .optional()
      .describe('The source system’s audit times for the contact (English policies).'),
    // ---- Meetings and case conferences (English policies: LPT SOP §6.24, §6.25.16, App 17)
    purpose: z.enum(meetingPurposes).optional().describe('What the meeting was held for (a referral, a discharge, a refused discharge …).'),
    section117Considered: z.boolean().optional().describe('Whether the meeting considered ending the person’s section 117 aftercare.'),
    letterToPersonAt: partialDateTime.optional().describe('When the chair wrote to the person (or their representative) after the meeting.'),
  })
  .strict();

/** A risk assessment or review of one (English policies: LPT Clinical Risk Assessment Policy; ELFT §11, §16). */
export const riskAssessmentSchema = z
  .object({
    id: localId,
    date: partialDateTime.optional().describe('When it was completed: a date, or a date and time.'),
    reason: z.enum(riskReviewReasons).optional(),
    reviewer: localId.optional().describe('The practitioner who completed it.'),
    episode: localId.optional(),
    incident: localId.optional().describe('The incident that prompted it.'),
    method: text.optional().describe('The form or tool used, as the source names it, e.g. "DMH & LD Risk Assessment Form".'),
    tool: z.enum(riskAssessmentTools).optional().describe('The form or tool used, as a code (English policies).'),
    patientInvolved: z.boolean().optional().describe('Whether the person took part in the assessment and the plan to manage the risks.'),
    notInvolvedReason: text.optional().describe('Why the person did not take part, as recorded.'),
    // English policies: kinds of plan, discharge, ward and transfer (engplans).
    formulation: list(z.enum(riskFormulationParts)).optional().describe('The parts of the risk formulation the risk summary sets out (LPT: the 5 P’s).'),
  })
  .strict();

/** An incident reported on the trust's incident system (Datix, eIRF). */
export const incidentSchema = z
  .object({
    id: localId,
    date: partialDateTime.optional(),
    kind: z.enum(incidentKinds),
    reportedOn: z
      .object({ system: z.enum(incidentReportingSystems), reference: text.optional().describe('The report’s number on that system.') })
      .strict()
      .optional(),
    episode: localId.optional(),
  })
  .strict();

/** An alert on the person's record: high risk, safeguarding. */
export const flagSchema = z
  .object({
    id: localId,
    kind: z.enum(flagKinds),
    start: dateOnly.optional(),
    end: dateOnly.optional(),
    detail: text.optional(),
    notified: list(z.object({ role: z.enum(meetingRoles), practitioner: localId.optional(), at: partialDateTime }).strict())
      .optional()
      .describe('Who was told that the alert was raised, and when (e.g. the consultant of a safeguarding adult alert).'),
  })
  .strict();

/** What a Part 3 assessment found for one kind of service: the services identified, or "none". */
const determination = z.union([list(text), z.literal('none')]).optional();

export const part3RequestSchema = z
  .object({
    id: localId,
    receivedAt: z.union([instant, dateOnly]).describe('When the request was received: a date-time with its offset, or the date alone when the source holds no time of day.'),
    requester: z.enum(part3Requesters),
    requesterPerson: localId.optional().describe('Related person id when the request came from someone other than the person (a donee, a deputy, a carer …).'),
    priority: z.enum(part3Priorities).optional(),
    status: z.enum(part3Statuses),
    localAuthority: localId.optional().describe('Local authority area in which the request was made.'),
    eligibility: z
      .object({
        decision: z.enum(eligibilityDecisions),
        reason: text.optional(),
        decidedOn: dateOnly.optional(),
        qualifyingDischargeOn: dateOnly.optional(),
        frivolousOrVexatious: z.boolean().optional().describe('Whether the request was found frivolous or vexatious (Code 8.32–8.36).'),
        decidedBy: localId.optional().describe('The practitioner who made the decision (a delegated officer, Code 8.35).'),
        groundsGivenOn: dateOnly.optional().describe('When the person was told the grounds of a decision not to assess (Code 8.32).'),
      })
      .strict()
      .optional(),
    assessment: z
      .object({
        startedOn: dateOnly.optional(),
        concludedOn: dateOnly.optional(),
        assessor: localId.optional(),
        partner: localId.optional().describe('The local mental health partner responsible.'),
        determinations: z
          .object({
            secondaryServices: determination,
            communityCare: determination,
            housing: determination,
            wellBeing: determination,
          })
          .strict()
          .optional()
          .describe('What the assessment found for each of the four kinds of service (8.4): the services identified, or "none".'),
      })
      .strict()
      .refine(notEmpty, NOT_EMPTY)
      .optional(),
    residence: z
      .object({
        status: z.enum(residenceStatuses),
        prisonLocalAuthority: onsCode.optional().describe('The local authority area of the prison, when the person is in prison in Wales.'),
      })
      .strict()
      .optional()
      .describe('Where the person usually lives, as far as the partners know (8.26–8.29).'),
    provision: z
      .object({ decision: z.enum(provisionDecisions), reason: text.optional(), decidedOn: dateOnly.optional() })
      .strict()
      .optional()
      .describe('The decision on providing the secondary mental health or community care services identified (8.41).'),
    referrals: list(
      z
        .object({
          service: text,
          kind: z.enum(part3ReferralKinds),
          provider: localId.optional(),
          referredOn: dateOnly.optional(),
          invitedToApplyOn: dateOnly.optional().describe('When the person was invited to apply, for services given only on application.'),
        })
        .strict(),
    )
      .optional()
      .describe('Referrals for housing or well-being services the assessment identified (8.42).'),
    report: z
      .object({
        providedOn: dateOnly,
        method: z.enum(deliveryMethods).optional().describe('How the report was delivered; absent when the source does not say.'),
        servicesIdentified: z.boolean().optional().describe('Whether the report says services were identified; absent when the source does not hold it.'),
        summary: text.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const assessmentSchema = z
  .object({
    id: localId,
    kind: z.enum(assessmentKinds),
    date: dateOnly,
    assessor: localId.optional(),
    episode: localId.optional(),
    review: localId.optional().describe('The review this assessment was made for.'),
    areas: list(z.object({ area: z.enum(areasOfLife), findings: list(z.enum(areaFindings)), detail: text.optional() }).strict()).optional(),
    risks: list(z.object({ category: z.enum(riskCategories), level: z.enum(riskLevels), detail: text.optional() }).strict()).optional(),
    patientViews: text.optional().describe('The person’s views and ambitions.'),
    carerViews: list(
      z
        .object({
          person: localId,
          views: text.optional(),
          notSoughtReason: text.optional(),
          confidential: z.boolean().optional().describe('The carer gave their views in confidence: not to be shared with the person.'),
        })
        .strict(),
    ).optional(),
    equalityNeedsConsidered: z.boolean().optional().describe('Needs arising from race, gender, religion, sexuality, age or disability considered.'),
    finance: z
      .object({ doneeOrDeputyInPlace: z.boolean(), powersIncludeFinance: z.boolean().optional() })
      .strict()
      .optional()
      .describe('Whether a donee or deputy is in place and whether their powers cover money (4.45).'),
    advocacyConsidered: z.boolean().optional().describe('Whether the coordinator considered the person’s need for advocacy (English policies).'),
    capacity: z
      .object({ lacksCapacity: z.boolean(), bestInterestsRecordedOn: dateOnly.optional() })
      .strict()
      .optional()
      .describe('Capacity to take part in planning, and the best-interests decision where it is lacking (4.13).'),
    // ---- Capacity decisions and the IMCA (English policies: LPT Care Coordination Policy App 1; Mental Capacity Act 2005 ss.37–39)
    capacityDecisions: list(
      z
        .object({
          kind: z.enum(capacityDecisionKinds),
          decidedOn: dateOnly.optional().describe('When the decision was made (or the treatment or move was arranged); absent when the source does not say.'),
          lacksCapacity: z.boolean().optional().describe('Whether the person was found to lack capacity to make this decision.'),
          someoneToConsult: z
            .boolean()
            .optional()
            .describe(
              'Whether there is anyone appropriate to consult about the person’s best interests other than those paid to care for them (family, friends, an attorney or deputy).',
            ),
          imcaInstructedOn: dateOnly.optional().describe('When an Independent Mental Capacity Advocate was instructed for this decision.'),
          urgent: z
            .boolean()
            .optional()
            .describe('Whether the treatment had to be given, or the move made, as a matter of urgency (Mental Capacity Act 2005 ss.37(4), 38(3), 39(4)).'),
          underMentalHealthAct: z
            .boolean()
            .optional()
            .describe(
              'Whether the treatment is regulated by Part 4 of the Mental Health Act 1983, or the person is to be accommodated under an obligation that Act imposes on them (Mental Capacity Act 2005 ss.37(2), 38(2), 39(3)).',
            ),
          accommodationKind: z
            .enum(capacityAccommodationKinds)
            .optional()
            .describe('For a change of accommodation: where the person is to live (a hospital, a care home or other).'),
          expectedStayDays: z
            .number()
            .int()
            .nonnegative()
            .optional()
            .describe('For a change of accommodation: how many days the stay was expected to last when the move was arranged.'),
          revisedStayDays: z
            .number()
            .int()
            .nonnegative()
            .optional()
            .describe(
              'For a change of accommodation: how many days, counted from the first day of the stay, the stay was later expected to last, once the NHS body or local authority arranging it came to expect it to be longer than first thought (Mental Capacity Act 2005 ss.38(4), 39(5)).',
            ),
          stayRevisedOn: dateOnly
            .optional()
            .describe('For a change of accommodation: when the NHS body or local authority arranging the stay came to expect it to last the revised number of days.'),
          dolsAuthorisedPlace: z
            .boolean()
            .optional()
            .describe(
              'For a change of accommodation: whether the person is to live in the hospital or care home that is the relevant one under a Deprivation of Liberty Safeguards standard authorisation, for which an IMCA must be appointed under Mental Capacity Act 2005 s.39A or s.39C to represent them; that IMCA then takes the place of the one owed for the move (ss.38(2A), 39(3A)).',
            ),
        })
        .strict(),
    )
      .optional()
      .describe('Decisions the person’s capacity was assessed for at this assessment, and whether an Independent Mental Capacity Advocate was instructed (English policies).'),
  })
  .strict();

/** A recorded, reasoned departure from guidance ("should") for one rule, as the Code allows (Introduction iv). */
export const departureSchema = z
  .object({
    id: localId,
    rule: z.string().regex(/^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)?$/, {
      message: 'must be a rule id, optionally with its check, e.g. CoP-P2-47/first-plan-within-6-weeks',
    }),
    about: localId.optional().describe('The plan version, review, appointment, episode or request it concerns; absent for the whole record.'),
    reason: text,
    recordedOn: dateOnly,
    recordedBy: localId.optional().describe('The practitioner who recorded it.'),
  })
  .strict();

/** A request from the person or a carer for the service to get in touch, and when it was answered (practice evidence §2 row 59). */
export const contactRequestSchema = z
  .object({
    id: localId,
    at: partialDateTime.describe('When the person or carer asked (rang, wrote or called in).'),
    from: z.enum(contactRequesters),
    relatedPerson: localId.optional().describe('The related person who asked, when it was not the person.'),
    repliedAt: partialDateTime.optional().describe('When the service replied; absent when the source records no reply.'),
    // Duty calls (English policies: referral handling)
    urgent: z.boolean().optional().describe('Taken as an urgent escalation, the caller told to expect a call back within 24 hours.'),
    callBacks: list(z.object({ at: partialDateTime, method: z.enum(contactAttemptMethods), reached: z.boolean().optional() }).strict())
      .optional()
      .describe('The service’s attempts to call back, and the text messages sent when a call back failed.'),
  })
  .strict();

/** A referral of the person to another service, by whoever made it (practice evidence §2 row 65). */
export const referralSchema = z
  .object({
    id: localId,
    madeOn: dateOnly,
    requester: actorSchema.refine((a) => a.kind !== 'care-team', { message: 'a referral is made by the patient, a practitioner, an organisation or a related person' }),
    to: localId.optional().describe('The organisation referred to.'),
    coordinatorInformedOn: dateOnly.optional().describe('When the care coordinator was told of the referral; absent when the source does not say they were.'),
  })
  .strict();

// ---------------------------------------------------------------- Physical health, medication and outcome measures (English policies)

/**
 * A medicine the person is prescribed, with the prescriber's reviews and, for a depot, each time
 * it was given (ELFT §15, §16; LPT SOP §6.12, §6.16).
 */
export const medicationSchema = z
  .object({
    id: localId,
    name: text.optional().describe('The medicine as the source names it.'),
    code: list(codingSchema).optional().describe('The medicine coded, e.g. in dm+d or SNOMED CT.'),
    class: z.enum(medicationClasses).optional().describe('The kind of medicine, e.g. an antipsychotic.'),
    highDose: z.boolean().optional().describe('Prescribed above the usual maximum dose (high-dose antipsychotic therapy).'),
    depot: z.boolean().optional().describe('A long-acting injection (depot).'),
    start: dateOnly.optional(),
    end: dateOnly.optional().describe('When it was stopped.'),
    episode: localId.optional(),
    prescriber: localId.optional().describe('The practitioner who prescribed it.'),
    reviews: list(
      z
        .object({
          on: dateOnly,
          by: localId.optional().describe('The prescriber who reviewed it.'),
          nextReviewOn: dateOnly.optional().describe('The review date set, as on the administration chart.'),
        })
        .strict(),
    )
      .optional()
      .describe('The prescriber’s reviews of the medicine.'),
    administrations: list(z.object({ at: partialDateTime, by: localId.optional() }).strict())
      .optional()
      .describe('Each time a depot was given, and by whom.'),
  })
  .strict();

/** A physical health check or measurement, made or declined (ELFT §15, §16; LPT SOP §6.11, §6.12, App 4). */
export const physicalHealthCheckSchema = z
  .object({
    id: localId,
    kind: z.enum(physicalHealthChecks),
    date: partialDateTime.describe('When it was made or offered: a date, or a date and time.'),
    declined: z.literal(true).optional().describe('The person declined it; no value is then held.'),
    value: z.number().optional(),
    unit: text.optional().describe('The unit of the value, as the source writes it (e.g. kg, mmol/L).'),
    abnormal: z.boolean().optional().describe('Whether the finding was judged abnormal.'),
    gpInformedOn: dateOnly.optional().describe('When the GP was told of the finding.'),
    by: localId.optional().describe('The practitioner who made it.'),
    episode: localId.optional(),
  })
  .strict()
  .refine((c) => c.declined !== true || (c.value === undefined && c.unit === undefined), { message: 'a declined check holds no value or unit', path: ['declined'] });

/** A rated outcome measure such as HoNOS or DIALOG (ELFT §11, §16; LPT Care Coordination Policy §3.17). */
export const outcomeMeasureSchema = z
  .object({
    id: localId,
    tool: z.enum(outcomeMeasureTools),
    date: partialDateTime.describe('When it was completed: a date, or a date and time.'),
    score: z.number().optional().describe('The total score, where the tool gives one.'),
    domains: list(z.object({ domain: z.enum(dialogDomains), score: z.number().int().optional() }).strict())
      .optional()
      .describe('The DIALOG domains rated, each with its rating where held.'),
    by: localId.optional().describe('The practitioner who completed it with the person.'),
    episode: localId.optional(),
  })
  .strict();

// ---------------------------------------------------------------- Waiting lists (English policies)

/**
 * A place on a waiting list (LPT SOP §6.17.3, §6.23.7, Appendix 13): from when the person was added
 * to when the place ended, with the RAG ratings, letters and reviews while they waited. A move to
 * another team's list is a new place that names the one it came from.
 */
export const waitingListEntrySchema = z
  .object({
    id: localId,
    list: z.enum(waitingListKinds),
    episode: localId.optional(),
    team: text.optional().describe('The team whose list it is.'),
    referredOn: dateOnly.optional().describe('The date of referral the place is based on.'),
    referrer: actorSchema.optional().describe('Who made the referral (for an internal referral, the referring clinician).'),
    priority: z.enum(referralPriorities).optional(),
    internalReferral: z.boolean().optional().describe('Referred from within the trust by a team caring for the person (an in-house referral).'),
    assessedOn: dateOnly.optional().describe('When the person was assessed, before joining the list.'),
    addedOn: dateOnly.describe('When the person was added to the list.'),
    removedOn: dateOnly.optional(),
    removedBecause: z.enum(waitingListEndReasons).optional(),
    transferredFrom: localId.optional().describe('The place on another team’s list this one replaced.'),
    anticipatedWait: text.optional().describe('The anticipated time to an appointment, as recorded.'),
    readinessReviewOn: dateOnly.optional().describe('When the person’s readiness to engage is to be reviewed.'),
    lettersInsteadOfCallsFrom: dateOnly.optional().describe('When it was agreed (with the MDT) not to telephone the person, who is written to instead.'),
    ratings: list(z.object({ rating: z.enum(ragRatings), on: dateOnly }).strict())
      .optional()
      .describe('RAG ratings by level of risk, each from the day it was given.'),
    letters: list(
      z
        .object({
          kind: z.enum(waitingListLetterKinds),
          sentOn: dateOnly,
          contents: list(z.enum(waitingListLetterContents)).optional().describe('What the letter tells the person, where the source holds it.'),
        })
        .strict(),
    )
      .optional()
      .describe('Letters to the person about the wait.'),
    reviews: list(z.object({ at: partialDateTime, method: z.enum(contactAttemptMethods), reached: z.boolean().optional() }).strict())
      .optional()
      .describe('Reviews of the person while waiting (telephone calls, or emails to the care team), reached or not.'),
  })
  .strict();

// ---------------------------------------------------------------- English policies: kinds of plan, discharge, ward and transfer (engplans)

/**
 * A plan other than the care plan, of a kind the English policies name: a safety plan, a
 * best-interest care plan, a leave plan, a step-down plan … (not a Care and Treatment Plan).
 */
export const otherPlanSchema = z
  .object({
    id: localId,
    kind: z.enum(planKinds),
    episode: localId.optional(),
    madeOn: dateOnly.optional().describe('When the plan was made or agreed.'),
    author: localId.optional().describe('The practitioner who wrote it.'),
    contents: list(z.enum(planSections)).optional().describe('The sections the plan sets out.'),
    givenTo: list(z.object({ role: z.enum(meetingRoles), on: dateOnly }).strict())
      .optional()
      .describe('Who was given or sent a copy, by their part in the person’s care, and when.'),
    reviewedOn: list(dateOnly).optional().describe('When the plan was reviewed.'),
  })
  .strict();

/** A letter about the person, of a kind the English policies time: to whom, when, and what it follows. */
export const letterSchema = z
  .object({
    id: localId,
    kind: z.enum(letterKinds),
    sentOn: dateOnly,
    to: list(z.enum(summaryRecipients)).optional().describe('Who the letter went to.'),
    encounter: localId.optional().describe('The contact (an assessment, a consultation) the letter follows.'),
    review: localId.optional().describe('The review whose outcome the letter gives.'),
    medicationChanged: z.boolean().optional().describe('Whether the letter reports a change of medication.'),
  })
  .strict();

export const recordSchema = z
  .object({
    schemaVersion: z.literal('1'),
    source: z
      .object({
        system: text.describe('Name of the source EPR, e.g. "wpas" or "vendor-a"; becomes part of every generated id.'),
        recordId: localId.describe("The source's own stable identifier for this person's record."),
        extractedAt: instant.describe('When the source produced this record.'),
        mappings: list(z.object({ id: localId, version: text }).strict())
          .optional()
          .describe('The mappings that took this record out of its source’s export, named again in the Provenance of the FHIR written from it.'),
      })
      .strict(),
    patient: patientSchema.optional().describe('Absent only when the source held nothing about the person (e.g. a lone FHIR resource).'),
    organisations: list(organisationSchema).optional(),
    practitioners: list(practitionerSchema).optional(),
    relatedPeople: list(relatedPersonSchema).optional(),
    careTeam: list(careTeamMemberSchema).optional(),
    episodes: list(episodeSchema).optional(),
    coordinatorAppointments: list(coordinatorAppointmentSchema).optional(),
    diagnoses: list(diagnosisSchema).optional(),
    plans: list(planVersionSchema).optional(),
    reviews: list(reviewSchema).optional(),
    encounters: list(encounterSchema).optional(),
    part3Requests: list(part3RequestSchema).optional(),
    assessments: list(assessmentSchema).optional().describe('Assessments of needs, strengths and risks.'),
    departures: list(departureSchema).optional().describe('Reasoned departures from the Code’s guidance.'),
    riskAssessments: list(riskAssessmentSchema).optional().describe('Risk assessments and their reviews (English policies).'),
    incidents: list(incidentSchema).optional().describe('Incidents reported on the trust’s incident system.'),
    flags: list(flagSchema).optional().describe('Alerts on the record: high risk, safeguarding.'),
    contactRequests: list(contactRequestSchema).optional().describe('Requests from the person or a carer to be contacted, and their replies.'),
    referrals: list(referralSchema).optional().describe('Referrals of the person to other services, and whether the coordinator was told.'),
    // Physical health, medication and outcome measures (English policies)
    medications: list(medicationSchema).optional().describe('Medicines prescribed, their reviews and depot administrations (English policies).'),
    physicalHealthChecks: list(physicalHealthCheckSchema).optional().describe('Physical health checks and measurements, made or declined (English policies).'),
    outcomeMeasures: list(outcomeMeasureSchema).optional().describe('Rated outcome measures such as HoNOS and DIALOG (English policies).'),
    // Waiting lists (English policies)
    waitingListEntries: list(waitingListEntrySchema).optional().describe('Places on waiting lists, and what happened while the person waited.'),
    // English policies: kinds of plan, discharge, ward and transfer (engplans).
    otherPlans: list(otherPlanSchema)
      .optional()
      .describe('Plans other than the care plan, of the kinds the English policies name (safety, best-interest, leave, step-down plans …).'),
    letters: list(letterSchema)
      .optional()
      .describe('Letters about the person of the kinds the English policies time (assessment outcome, medical, review outcome, transfer).'),
  })
  .strict();

export type CtpRecord = z.infer<typeof recordSchema>;
export type PlanVersion = z.infer<typeof planVersionSchema>;
export type Outcome = z.infer<typeof outcomeSchema>;
export type Actor = z.infer<typeof actorSchema>;
