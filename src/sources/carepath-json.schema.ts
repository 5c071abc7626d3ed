/**
 * The export format of CarePath MH (a fictional vendor EPR; see mappings/sources/carepath-json.md
 * for the interface specification). The schema checks structure and formats only: local codes
 * are checked as codes here and translated (or rejected) by the code maps of
 * mappings/carepath-json-to-ctp.yaml, so each code list lives in one place.
 *
 * Conventions of the format: dates are `DD/MM/YYYY` strings, times `HH:MM` with a separate UTC
 * offset, flags `"Y"`/`"N"`, absent values are left out or `null`, lists may be empty. Objects
 * are closed: an unknown field is an error, so that nothing in a file is silently dropped.
 */
import { z } from 'zod';

const isCalendarDate = (value: string): boolean => {
  const [d, m, y] = value.split('/').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** A calendar date written `DD/MM/YYYY`. */
export const carePathDate = z
  .string({ error: 'must be a date string in the form DD/MM/YYYY' })
  .regex(/^\d{2}\/\d{2}\/\d{4}$/, { error: 'must be a date in the form DD/MM/YYYY', abort: true })
  .refine(isCalendarDate, { error: 'is not a real calendar date' });
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time in the form HH:MM (24-hour clock)' });
const utcOffset = z.string().regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, { error: 'must be a UTC offset in the form +HH:MM or -HH:MM' });
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a UTC offset, e.g. 2025-03-01T09:30:00Z' });
const flag = z.enum(['Y', 'N'], { error: 'must be "Y" or "N"' });
/** A code of one of CarePath's local code lists; which codes are known is up to the code maps. */
const code = z.string().regex(/^[A-Z0-9][A-Z0-9_-]{0,11}$/, { error: 'must be a CarePath code (1–12 capital letters, digits, "_" or "-")' });
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'must be a CarePath identifier (1–64 letters, digits, ".", "_" or "-")' });
const text = z.string().trim().min(1, { error: 'must not be empty' });
const nhsNumber = z.string().regex(/^\d{3} ?\d{3} ?\d{4}$/, { error: 'must be 10 digits, optionally written 3-3-4 with spaces' });

/** Optional: the field may be left out or null. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish();
/** An optional list: left out, null or empty all mean "none". */
const list = <T extends z.ZodType>(schema: T) => z.array(schema).nullish();

export const contactDetailSchema = z.strictObject({
  type: code,
  value: text,
  usage: opt(code),
});

export const addressSchema = z.strictObject({
  line1: opt(text),
  line2: opt(text),
  line3: opt(text),
  line4: opt(text),
  town: opt(text),
  county: opt(text),
  postCode: opt(text),
  country: opt(text),
});

const personName = {
  title: opt(text),
  forename: opt(text),
  middleNames: opt(text),
  surname: opt(text),
};

export const clientSchema = z.strictObject({
  ClientID: id,
  NHSNumber: opt(nhsNumber),
  NHSNumberAbsentReason: opt(code),
  ...personName,
  dateOfBirth: opt(carePathDate),
  dateOfBirthAbsentReason: opt(code),
  gender: opt(code),
  address: opt(addressSchema),
  addressAbsentReason: opt(code),
  laCode: opt(z.string().regex(/^[EW]0[6-9]\d{6}$/, { error: 'must be an ONS local authority code such as W06000015' })),
  gpPracticeOrgId: opt(id),
  preferredLanguage: opt(code),
  welshPreference: opt(flag),
  interpreterRequired: opt(flag),
  communicationNeeds: list(z.strictObject({ needCode: code, detail: opt(text) })),
  contactDetails: list(contactDetailSchema),
});

export const organisationSchema = z.strictObject({
  OrgID: id,
  orgType: code,
  orgName: text,
  odsCode: opt(text),
  onsCode: opt(text),
  contactDetails: list(contactDetailSchema),
  address: opt(addressSchema),
});

export const staffSchema = z
  .strictObject({
    StaffID: id,
    ...personName,
    regBody: opt(code),
    regNumber: opt(text),
    regPart: opt(text),
    contactDetails: list(contactDetailSchema),
    baseAddress: opt(addressSchema),
    welshSpeaker: opt(flag),
  })
  .refine((s) => (s.regBody == null) === (s.regNumber == null), { error: 'regBody and regNumber go together', path: ['regNumber'] });

/** "Y", "N" or a CarePath absent-reason code. */
const copiesWanted = code;

export const relatedPersonSchema = z.strictObject({
  PersonID: id,
  ...personName,
  roles: z.array(code).min(1, { error: 'must list at least one role' }),
  relationship: opt(code),
  contactDetails: list(contactDetailSchema),
  address: opt(addressSchema),
  copiesWanted: opt(copiesWanted),
  copiesDeclinedDate: opt(carePathDate),
  paidOrVolunteer: opt(flag),
});

/** Who does, receives or requests something. `ref` is empty for the client and the whole team. */
export const partySchema = z.strictObject({ type: code, ref: opt(id) });

export const careTeamMemberSchema = z.strictObject({
  TeamMemberID: id,
  role: code,
  roleDescription: opt(text),
  member: partySchema,
  startDate: opt(carePathDate),
  endDate: opt(carePathDate),
  copiesWanted: opt(copiesWanted),
});

export const diagnosisSchema = z.strictObject({
  DiagnosisID: id,
  referralId: opt(id),
  codes: z.array(z.strictObject({ scheme: code, code: text, term: opt(text) })).min(1, { error: 'must list at least one code' }),
  description: opt(text),
  status: code,
  recordedDate: opt(carePathDate),
  onsetDate: opt(carePathDate),
});

export const admissionSchema = z
  .strictObject({
    AdmissionID: id,
    admitDate: opt(carePathDate),
    dischargeDate: opt(carePathDate),
    dischargeTime: opt(time),
    utcOffset: opt(utcOffset),
    hospitalOrgId: opt(id),
    dischargeMethod: opt(code),
    followUpDate: opt(carePathDate),
  })
  .refine((a) => a.admitDate != null || a.dischargeDate != null, { error: 'admitDate or dischargeDate is required', path: ['admitDate'] })
  .refine((a) => a.dischargeTime == null || a.dischargeDate != null, { error: 'needs dischargeDate', path: ['dischargeTime'] })
  .refine((a) => a.dischargeTime == null || a.utcOffset != null, { error: 'is required when dischargeTime is given', path: ['utcOffset'] });

export const dischargeSchema = z.strictObject({
  dischargeDate: carePathDate,
  dischargeType: code,
  dischargingOrgId: opt(id),
  reason: opt(text),
  reasonAbsent: opt(code),
  furtherSupport: opt(text),
  part3InfoGiven: opt(flag),
  writtenInfoDate: opt(carePathDate),
  copiedToGP: opt(flag),
});

export const keyWorkerAllocationSchema = z
  .strictObject({
    AllocationID: id,
    StaffID: id,
    profession: opt(code),
    professionAbsentReason: opt(code),
    appointingOrgId: id,
    employerOrgId: opt(id),
    startDate: carePathDate,
    endDate: opt(carePathDate),
    endReason: opt(code),
    temporary: flag,
    coversAllocationId: opt(id),
    lateReason: opt(text),
  })
  .refine((k) => k.profession != null || k.professionAbsentReason != null, {
    error: 'profession or professionAbsentReason is required',
    path: ['profession'],
  });

export const interventionSchema = z.strictObject({
  InterventionID: id,
  text,
  frequency: opt(text),
  startDate: opt(carePathDate),
  endDate: opt(carePathDate),
  responsible: list(partySchema),
  status: opt(code),
});

export const goalSchema = z.strictObject({
  GoalID: id,
  goal: text,
  clientWords: opt(text),
  lifeAreas: list(
    z.strictObject({
      code,
      otherDesc: opt(text),
      rationale: opt(text),
      rationaleAbsent: opt(code),
    }),
  ),
  milestones: list(z.strictObject({ text, targetDate: opt(carePathDate), achievedDate: opt(carePathDate) })),
  progress: opt(code),
  interventions: list(interventionSchema),
});

export const distributionSchema = z.strictObject({
  CopyID: id,
  recipientCategory: code,
  recipient: partySchema,
  status: code,
  date: opt(carePathDate),
  method: opt(code),
  reason: opt(text),
});

export const ctpSectionsSchema = z.strictObject({
  outcomes: list(goalSchema),
  relapseIndicators: list(text),
  relapseIndicatorsAbsent: opt(code),
  crisisPlan: opt(
    z.strictObject({
      actions: list(text),
      contacts: list(z.strictObject({ service: text, orgId: opt(id), phone: opt(text), availability: opt(text) })),
      contingencies: list(text),
    }),
  ),
  communication: opt(text),
  communicationAbsent: opt(code),
  clientViews: opt(z.strictObject({ code, text: opt(text) })),
  agreement: opt(z.strictObject({ code, reasons: opt(text) })),
  signatures: opt(
    z.strictObject({
      keyWorker: opt(z.strictObject({ StaffID: id, date: carePathDate })),
      client: opt(z.strictObject({ date: carePathDate })),
    }),
  ),
  distribution: list(distributionSchema),
});

export const ctpDocumentSchema = z
  .strictObject({
    DocumentID: id,
    ctpRef: id,
    versionNo: z.int({ error: 'must be a whole number' }).positive({ error: 'must be 1 or more' }),
    status: code,
    changeType: code,
    reviewId: opt(id),
    keyWorkerAllocationId: opt(id),
    createdDate: carePathDate,
    reviewDueDate: opt(carePathDate),
    reviewDueAbsent: opt(code),
    completedDate: opt(carePathDate),
    language: opt(code),
    diagnosisIds: list(id),
    responsibleOrgIds: list(id),
    sections: ctpSectionsSchema,
  })
  .refine((d) => d.reviewDueDate != null || d.reviewDueAbsent != null, {
    error: 'reviewDueDate or reviewDueAbsent is required',
    path: ['reviewDueDate'],
  });

export const ctpReviewSchema = z.strictObject({
  ReviewID: id,
  ctpRef: id,
  versionNo: opt(z.int({ error: 'must be a whole number' }).positive({ error: 'must be 1 or more' })),
  reason: code,
  request: opt(
    z.strictObject({
      receivedDate: carePathDate,
      requestedBy: code,
      requester: opt(partySchema),
      decision: opt(code),
      decisionReason: opt(text),
      decisionDate: opt(carePathDate),
    }),
  ),
  dueDate: opt(carePathDate),
  heldDate: opt(carePathDate),
  summary: opt(text),
});

export const referralSchema = z
  .strictObject({
    ReferralID: id,
    status: code,
    acceptedDate: carePathDate,
    referralDate: opt(carePathDate),
    referralTime: opt(time),
    utcOffset: opt(utcOffset),
    referralPriority: opt(code),
    responsibleOrgIds: z.array(id).min(1, { error: 'must list at least one responsible organisation' }),
    teamName: opt(text),
    admissions: list(admissionSchema),
    discharge: opt(dischargeSchema),
    keyWorker: list(keyWorkerAllocationSchema),
    ctpDocuments: list(ctpDocumentSchema),
    ctpReviews: list(ctpReviewSchema),
  })
  .refine((r) => (r.referralTime == null && r.referralPriority == null) || r.referralDate != null, { error: 'needs referralDate', path: ['referralDate'] })
  .refine((r) => r.referralTime == null || r.utcOffset != null, { error: 'is required when referralTime is given', path: ['utcOffset'] });

export const appointmentSchema = z
  .strictObject({
    ApptID: id,
    type: code,
    outcome: code,
    date: carePathDate,
    startTime: opt(time),
    endTime: opt(time),
    utcOffset: opt(utcOffset),
    mode: opt(code),
    StaffID: opt(id),
    referralId: opt(id),
    reviewId: opt(id),
    planned: opt(flag),
    cancelledBy: opt(code),
  })
  .refine((a) => a.startTime == null || a.utcOffset != null, { error: 'is required when startTime is given', path: ['utcOffset'] })
  .refine((a) => a.endTime == null || a.startTime != null, { error: 'needs startTime', path: ['endTime'] });

export const part3RequestSchema = z.strictObject({
  RequestID: id,
  receivedDate: carePathDate,
  receivedTime: time,
  utcOffset,
  requestedBy: code,
  requesterPersonId: opt(id),
  priority: opt(code),
  status: code,
  localAuthorityOrgId: opt(id),
  eligibility: opt(
    z.strictObject({
      decision: code,
      reason: opt(text),
      decisionDate: opt(carePathDate),
      qualifyingDischargeDate: opt(carePathDate),
    }),
  ),
  assessment: opt(
    z.strictObject({
      startDate: opt(carePathDate),
      endDate: opt(carePathDate),
      assessorStaffId: opt(id),
      partnerOrgId: opt(id),
    }),
  ),
  report: opt(
    z.strictObject({
      sentDate: carePathDate,
      method: code,
      servicesIdentified: opt(flag),
      summary: opt(text),
    }),
  ),
});

/** Everything CarePath exports about one client. */
export const clientExportSchema = z.strictObject({
  client: clientSchema,
  organisations: list(organisationSchema),
  staff: list(staffSchema),
  relatedPersons: list(relatedPersonSchema),
  careTeam: list(careTeamMemberSchema),
  diagnoses: list(diagnosisSchema),
  referrals: list(referralSchema),
  appointments: list(appointmentSchema),
  part3Requests: list(part3RequestSchema),
});

export const exportMetaSchema = z.strictObject({
  system: z.literal('CarePath MH', { error: 'must be "CarePath MH"' }),
  version: text,
  siteCode: z.string().regex(/^[A-Z0-9]{2,8}$/, { error: 'must be a CarePath site code (2–8 capital letters or digits)' }),
  exportedAt: instant,
});

/** A file holding one client: the client export with its export header. */
export const singleClientFileSchema = clientExportSchema.extend({ exportMeta: exportMetaSchema });

/** A file holding several clients under one export header. */
export const multiClientFileSchema = z.strictObject({
  exportMeta: exportMetaSchema,
  clients: z.array(clientExportSchema).min(1, { error: 'must hold at least one client' }),
});

export type ClientExport = z.infer<typeof clientExportSchema>;
export type ExportMeta = z.infer<typeof exportMetaSchema>;
/** One document handed to mappings/carepath-json-to-ctp.yaml: one client with the export header. */
export type CarePathDocument = ClientExport & { exportMeta: ExportMeta };
