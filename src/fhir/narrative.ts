/**
 * Generated narratives (`text`, status `generated`) for the resources of one record's Bundle, so
 * that a clinician reading any FHIR viewer sees the person, the plan's outcomes by area of life,
 * the coordinator and the dates without decoding codes and references.
 *
 * Derived from the resources themselves after mapping: references are resolved among the
 * record's own resources (by fullUrl), codes are shown by their display. Every value is escaped
 * (src/fhir/xhtml.ts). The narrative is derived data: fhir-to-ctp never reads it back.
 */
import type { Address, CodeableConcept, Coding, Extension, HumanName, Identifier, Period, Reference } from '@medplum/fhirtypes';
import { codeSystemUrl, structureDefinitionUrl } from '../profiles/canonical.js';
import { areaOfLifeVocabulary } from '../record/vocabulary.js';
import { pontDisplay } from './code-displays.js';
import { isLocalIdentifierSystem } from './origin.js';
import { element, escapeXhtml, generatedNarrative, table, withNarrative } from './xhtml.js';

/** What a narrative needs of a resource in the Bundle: where other resources point to it. */
export interface NarratedResource {
  readonly fullUrl: string;
  readonly resource: Record<string, unknown>;
}

type Json = Record<string, unknown>;
type Lookup = (reference: Reference | undefined) => Json | undefined;
type Row = readonly [label: string, value: string | undefined];

const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number';
const ODS_CODE = 'https://fhir.nhs.uk/Id/ods-organization-code';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2025-02-11` → `11 February 2025`; other forms (date-times, partial dates) as given. */
export function readableDate(value: string | undefined): string | undefined {
  const m = value === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return value;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : value;
}

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const joined = (values: readonly (string | undefined)[], separator = '; '): string | undefined => {
  const present = values.filter((v): v is string => v !== undefined && v.length > 0);
  return present.length > 0 ? present.join(separator) : undefined;
};

function codingText(coding: Coding): string | undefined {
  return str(coding.display) ?? pontDisplay(coding.system, coding.code) ?? str(coding.code);
}

/** A CodeableConcept as text: its `text`, else the displays of its codings. */
function conceptText(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  return str(concept.text) ?? joined((concept.coding ?? []).map(codingText), ' / ');
}

function humanName(names: unknown): string | undefined {
  const name = list<HumanName>(names)[0];
  if (!name) return undefined;
  return str(name.text) ?? joined([...(name.prefix ?? []), ...(name.given ?? []), name.family], ' ');
}

function address(addresses: unknown): string | undefined {
  const a = list<Address>(addresses)[0];
  return a ? (str(a.text) ?? joined([...(a.line ?? []), a.city, a.district, a.postalCode, a.country], ', ')) : undefined;
}

function period(p: Period | undefined): string | undefined {
  if (!p || (p.start === undefined && p.end === undefined)) return undefined;
  if (p.end === undefined) return `from ${readableDate(p.start)}`;
  if (p.start === undefined) return `until ${readableDate(p.end)}`;
  return `${readableDate(p.start)} to ${readableDate(p.end)}`;
}

/** A quantity as "value unit", or either alone. */
function quantityText(q: Json | undefined): string | undefined {
  return q === undefined ? undefined : joined([typeof q.value === 'number' ? String(q.value) : undefined, str(q.unit)], ' ');
}

function identifierValue(identifiers: unknown, system: string): string | undefined {
  return str(list<Identifier>(identifiers).find((i) => i.system === system)?.value);
}

const extensionsOf = (owner: unknown, id: string): Extension[] =>
  list<Extension>((owner as Json | undefined)?.extension).filter((e) => e.url === structureDefinitionUrl(id) || e.url === id);

/** The primitive or coded value of an extension as text; a `valueCode` from pont's CodeSystem `codeSystem` by its display. */
function extensionValue(extension: Extension | undefined, codeSystem?: string): string | undefined {
  if (!extension) return undefined;
  for (const [key, value] of Object.entries(extension)) {
    if (!key.startsWith('value')) continue;
    if (typeof value === 'boolean') return value ? 'yes' : 'no';
    if (typeof value === 'number') return String(value);
    if (key === 'valueCode' && typeof value === 'string') return (codeSystem && pontDisplay(codeSystemUrl(codeSystem), value)) || value;
    if (typeof value === 'string') return key === 'valueDate' ? readableDate(value) : value;
    if (key === 'valueCoding') return codingText(value as Coding);
    if (key === 'valueCodeableConcept') return conceptText(value as CodeableConcept);
  }
  return undefined;
}

const extensionText = (owner: unknown, id: string, codeSystem?: string): string | undefined => extensionValue(extensionsOf(owner, id)[0], codeSystem);

/** The name a clinician knows a referenced resource by. */
function nameOf(resource: Json | undefined, lookup: Lookup): string | undefined {
  if (!resource) return undefined;
  switch (resource.resourceType) {
    case 'Patient':
    case 'Practitioner':
    case 'RelatedPerson':
      return humanName(resource.name);
    case 'Organization':
    case 'CareTeam':
      return str(resource.name);
    case 'PractitionerRole':
      return nameOf(lookup(resource.practitioner as Reference), lookup) ?? nameOf(lookup(resource.organization as Reference), lookup);
    default:
      return str(resource.title) ?? conceptText(resource.code as CodeableConcept);
  }
}

const refName = (reference: unknown, lookup: Lookup): string | undefined => {
  const r = reference as Reference | undefined;
  return nameOf(lookup(r), lookup) ?? str(r?.display);
};
const refNames = (references: unknown, lookup: Lookup): string | undefined => joined(list<Reference>(references).map((r) => refName(r, lookup)));

function rowsTable(rows: readonly Row[]): string {
  const present = rows.filter((r): r is readonly [string, string] => r[1] !== undefined && r[1].length > 0);
  return present.length > 0 ? `<table>${present.map(([label, value]) => `<tr>${element('th', label)}${element('td', value)}</tr>`).join('')}</table>` : '';
}

const heading = (text: string): string => `<p><b>${escapeXhtml(text)}</b></p>`;

interface Section {
  readonly title: string;
  readonly rows: readonly Row[];
  readonly extra?: string;
}

const AREA_ORDER = Object.keys(areaOfLifeVocabulary);
const AREA_SYSTEM = 'pont-area-of-life';

/** The plan's outcomes by area of life, in Schedule 2 order, each with its services and actions. */
function outcomesByArea(plan: Json, lookup: Lookup): string {
  const activities = list<Json>(plan.activity).map((a) => (a.detail ?? {}) as Json);
  const rows: { order: number; cells: string[] }[] = [];
  for (const goalRef of list<Reference>(plan.goal)) {
    const goal = lookup(goalRef);
    if (!goal) continue;
    const outcome = conceptText(goal.description as CodeableConcept) ?? '';
    const actions = activities.filter((d) => list<Reference>(d.goal).some((g) => g.reference === goalRef.reference));
    const services = joined(actions.map((d) => joined([str(d.description), refNames(d.performer, lookup)], ' — '))) ?? '';
    const areas = list<CodeableConcept>(goal.category).flatMap((c) => (c.coding ?? []).filter((coding) => coding.system?.endsWith(`/${AREA_SYSTEM}`)));
    for (const area of areas.length > 0 ? areas : [undefined]) {
      const order = area?.code ? AREA_ORDER.indexOf(area.code) : -1;
      rows.push({ order: order < 0 ? AREA_ORDER.length : order, cells: [area ? (codingText(area) ?? '') : '', outcome, services] });
    }
  }
  rows.sort((a, b) => a.order - b.order);
  return rows.length > 0
    ? `${heading('Outcomes by area of life')}${table(
        ['Area of life', 'Outcome', 'Services and actions'],
        rows.map((r) => r.cells),
      )}`
    : '';
}

function carePlan(r: Json, lookup: Lookup): Section {
  const crisis = extensionsOf(r, 'ctp-crisis-plan')[0];
  return {
    title: str(r.title) ?? 'Care and Treatment Plan',
    rows: [
      ['Status', str(r.status)],
      ['Change', extensionText(r, 'ctp-change-type', 'pont-ctp-change-type')],
      ['Made', readableDate(str(r.created))],
      ['Completed', extensionText(r, 'ctp-completed-date')],
      ['Review by', extensionText(r, 'ctp-review-by')],
      ['Care coordinator', refName(r.author, lookup)],
      ['Responsible providers', joined(extensionsOf(r, 'ctp-responsible-provider').map((e) => refName(e.valueReference, lookup)))],
      ['Relapse signatures', joined(extensionsOf(r, 'ctp-relapse-signature').map((e) => extensionValue(e)))],
      ['Crisis plan', crisis ? joined(extensionsOf(crisis, 'action').map((e) => extensionValue(e))) : undefined],
      ['Agreement', extensionText(extensionsOf(r, 'ctp-agreement')[0], 'statement', 'pont-agreement-statement')],
      ['Patient’s views', extensionText(extensionsOf(r, 'ctp-patient-views')[0], 'status', 'pont-views-status')],
    ],
    extra: outcomesByArea(r, lookup),
  };
}

function careTeam(r: Json, lookup: Lookup): Section {
  const rows = list<Json>(r.participant).map((p) => [
    joined(list<CodeableConcept>(p.role).map(conceptText)) ?? '',
    refName(p.member, lookup) ?? '',
    period(p.period as Period) ?? '',
  ]);
  return { title: str(r.name) ?? 'Care team', rows: [['Status', str(r.status)]], extra: rows.length > 0 ? table(['Role', 'Member', 'Period'], rows) : '' };
}

function clinicalImpression(r: Json, lookup: Lookup): Section {
  const rows = list<Json>(r.finding).map((f) => [
    conceptText(f.itemCodeableConcept as CodeableConcept) ?? refName(f.itemReference, lookup) ?? '',
    joined([...extensionsOf(f, 'area-finding').map((e) => extensionValue(e, 'pont-area-finding')), extensionText(f, 'risk-level', 'pont-risk-level')], ', ') ?? '',
  ]);
  return {
    title: `Assessment: ${conceptText(r.code as CodeableConcept) ?? 'needs, strengths and risks'}`,
    rows: [
      ['Status', str(r.status)],
      ['Date', readableDate(str(r.date))],
      ['Assessor', refName(r.assessor, lookup)],
    ],
    extra: rows.length > 0 ? table(['Area or risk', 'Finding'], rows) : '',
  };
}

/** A person's decision on sharing their record with one organisation (pont-consent). */
function sharingDecision(r: Json, lookup: Lookup): Section {
  const provision = (r.provision ?? {}) as Json;
  const actor = list<Json>(provision.actor)[0];
  const ods = (actor?.reference as Reference | undefined)?.identifier?.value;
  const decision = provision.type === 'deny' ? 'Declined' : provision.type === 'permit' ? 'Agreed' : undefined;
  return {
    title: decision ? `Sharing decision: ${decision.toLowerCase()}` : 'Sharing decision',
    rows: [
      // An organisation by its kind and ODS code; a related person (a carer) by name.
      ['Recipient', joined([extensionText(actor, 'sharing-recipient-kind', 'pont-sharing-recipient-kind'), ods && `ODS ${ods}`, refName(actor?.reference, lookup)], ', ')],
      ['Decision', decision],
      ['Recorded', readableDate(str(r.dateTime))],
    ],
  };
}

/** The title and rows of each kind of resource pont writes; anything else gets its type and status. */
function sectionOf(r: Json, lookup: Lookup): Section {
  switch (r.resourceType) {
    case 'Patient':
      return {
        title: humanName(r.name) ?? 'Patient',
        rows: [
          ['NHS number', identifierValue(r.identifier, NHS_NUMBER)],
          ['Date of birth', readableDate(str(r.birthDate))],
          ['Gender', str(r.gender)],
          ['Address', address(r.address)],
          ['GP', refNames(r.generalPractitioner, lookup)],
        ],
      };
    case 'Practitioner':
      return {
        title: humanName(r.name) ?? 'Practitioner',
        rows: [
          [
            'Registration',
            joined(
              list<Identifier>(r.identifier)
                .filter((i) => !isLocalIdentifierSystem(i.system))
                .map((i) => joined([i.system?.split('/').pop(), i.value], ' ')),
            ),
          ],
        ],
      };
    case 'PractitionerRole': {
      const appointment = extensionsOf(r, 'coordinator-appointment')[0];
      return {
        title: `Care coordinator: ${refName(r.practitioner, lookup) ?? 'not named'}`,
        rows: [
          ['Profession', joined(list<CodeableConcept>(r.code).slice(1).map(conceptText))],
          ['Organisation', refName(r.organization, lookup)],
          ['Appointed', period(r.period as Period)],
          ['Appointed by', refName(extensionsOf(appointment, 'appointingBody')[0]?.valueReference, lookup)],
          ['Temporary', extensionText(appointment, 'temporary')],
        ],
      };
    }
    case 'Organization':
      return {
        title: str(r.name) ?? 'Organisation',
        rows: [
          ['ODS code', identifierValue(r.identifier, ODS_CODE)],
          ['Kind', joined(list<CodeableConcept>(r.type).map(conceptText))],
        ],
      };
    case 'RelatedPerson':
      return {
        title: humanName(r.name) ?? 'Related person',
        rows: [
          ['Relationship', joined(list<CodeableConcept>(r.relationship).map(conceptText))],
          ['Wishes to receive copies', extensionText(r, 'wishes-to-receive-copies')],
        ],
      };
    case 'EpisodeOfCare':
      return {
        title: `Episode of care${joined(list<CodeableConcept>(r.type).map(conceptText)) ? `: ${joined(list<CodeableConcept>(r.type).map(conceptText))}` : ''}`,
        rows: [
          ['Status', str(r.status)],
          ['Period', period(r.period as Period)],
          ['Managing organisation', refName(r.managingOrganization, lookup)],
          ['Care coordinator', refName(r.careManager, lookup)],
        ],
      };
    case 'Condition':
      return {
        title: conceptText(r.code as CodeableConcept) ?? 'Condition',
        rows: [
          ['Clinical status', conceptText(r.clinicalStatus as CodeableConcept)],
          ['Onset', readableDate(str(r.onsetDateTime))],
          ['Recorded', readableDate(str(r.recordedDate))],
        ],
      };
    case 'Goal':
      return {
        title: `Outcome: ${conceptText(r.description as CodeableConcept) ?? 'not described'}`,
        rows: [
          ['Areas of life', joined(list<CodeableConcept>(r.category).map(conceptText))],
          ['In the person’s words', extensionText(r, 'goal-patient-words')],
          ['Achievement', conceptText(r.achievementStatus as CodeableConcept)],
          [
            'Milestones',
            joined(list<Json>(r.target).map((t) => joined([conceptText(t.measure as CodeableConcept), t.dueDate ? `by ${readableDate(str(t.dueDate))}` : undefined], ' '))),
          ],
        ],
      };
    case 'CarePlan':
      return carePlan(r, lookup);
    case 'CareTeam':
      return careTeam(r, lookup);
    case 'ClinicalImpression':
      return clinicalImpression(r, lookup);
    case 'Communication':
      return {
        title: joined(list<CodeableConcept>(r.category).map(conceptText)) ?? 'Communication',
        rows: [
          ['Status', str(r.status)],
          ['Sent', readableDate(str(r.sent))],
          ['To', refNames(r.recipient, lookup)],
          ['By', joined(list<CodeableConcept>(r.medium).map(conceptText))],
        ],
      };
    case 'Encounter':
      return {
        title: joined([conceptText(list<CodeableConcept>(r.type)[0]), codingText((r.class ?? {}) as Coding)], ' / ') ?? 'Encounter',
        rows: [
          ['Status', str(r.status)],
          ['Period', period(r.period as Period)],
          ['Service provider', refName(r.serviceProvider, lookup)],
        ],
      };
    case 'Task': {
      const restriction = (r.restriction ?? {}) as Json;
      return {
        title: conceptText(r.code as CodeableConcept) ?? 'Task',
        rows: [
          ['Status', str(r.status)],
          ['Reason', conceptText(r.reasonCode as CodeableConcept)],
          ['Due by', readableDate(str((restriction.period as Period | undefined)?.end))],
          ['Held', period(r.executionPeriod as Period)],
        ],
      };
    }
    case 'ServiceRequest':
      return {
        title: conceptText(r.code as CodeableConcept) ?? joined(list<CodeableConcept>(r.category).map(conceptText)) ?? 'Service request',
        rows: [
          ['Status', extensionText(r, 'part3-status', 'pont-part3-status') ?? str(r.status)],
          ['Received', readableDate(str(r.authoredOn))],
        ],
      };
    case 'DetectedIssue':
      return {
        title: conceptText(r.code as CodeableConcept) ?? 'Departure from guidance',
        rows: [
          ['Status', str(r.status)],
          ['Detail', str(r.detail)],
          ['Identified', readableDate(str(r.identifiedDateTime))],
        ],
      };
    case 'Consent':
      return sharingDecision(r, lookup);
    case 'RiskAssessment':
      return {
        title: 'Risk assessment',
        rows: [
          ['Completed', readableDate(str(r.occurrenceDateTime))],
          ['Reason', joined(list<CodeableConcept>(r.reasonCode).map(conceptText))],
          ['Completed by', refName(r.performer, lookup)],
          ['Form or tool', conceptText(r.method as CodeableConcept)],
        ],
      };
    case 'AdverseEvent':
      return {
        title: `Incident: ${conceptText(r.event as CodeableConcept) ?? 'not described'}`,
        rows: [
          ['Date', readableDate(str(r.date))],
          ['Reported on', extensionText(r, 'incident-reporting-system', 'pont-incident-reporting-system')],
        ],
      };
    case 'Flag':
      return {
        title: `Alert: ${conceptText(r.code as CodeableConcept) ?? 'not described'}`,
        rows: [
          ['Status', str(r.status)],
          ['Period', period(r.period as Period)],
        ],
      };
    case 'MedicationStatement':
      return {
        title: `Medicine: ${conceptText(r.medicationCodeableConcept as CodeableConcept) ?? 'not named'}`,
        rows: [
          ['Status', str(r.status)],
          ['Taken', period(r.effectivePeriod as Period)],
          ['Kind', extensionText(r, 'medication-class', 'pont-medication-class')],
          ['Prescriber', refName(r.informationSource, lookup)],
        ],
      };
    case 'Observation':
      return {
        title: conceptText(r.code as CodeableConcept) ?? 'Observation',
        rows: [
          ['When', readableDate(str(r.effectiveDateTime))],
          ['Result', quantityText(r.valueQuantity as Json | undefined) ?? conceptText(r.dataAbsentReason as CodeableConcept)],
          ['Interpretation', joined(list<CodeableConcept>(r.interpretation).map(conceptText))],
        ],
      };
    case 'Provenance':
      return {
        title: 'Provenance',
        rows: [
          ['Recorded', str(r.recorded)],
          ['Activity', conceptText(r.activity as CodeableConcept)],
          ['Mappings', joined(list<string>(r.policy))],
          ['Source', joined(list<Json>(r.agent).map((a) => refName(a.who, lookup) ?? str((a.who as Reference | undefined)?.identifier?.value)))],
        ],
      };
    default:
      return { title: String(r.resourceType), rows: [['Status', str(r.status)]] };
  }
}

/** The narrative of one resource; references resolve through `lookup`. */
export function narrativeOf(resource: Json, lookup: Lookup): string {
  const section = sectionOf(resource, lookup);
  // txt-2: the narrative must have some non-whitespace content whatever the values are.
  const title = section.title.trim().length > 0 ? section.title : String(resource.resourceType);
  return `${heading(title)}${rowsTable(section.rows)}${section.extra ?? ''}`;
}

/** Every resource with its generated narrative; any `text` the mapping gave is replaced. */
export function withNarratives<T extends NarratedResource>(resources: readonly T[]): T[] {
  const byUrl = new Map(resources.map((r) => [r.fullUrl, r.resource]));
  const lookup: Lookup = (reference) => (reference?.reference ? byUrl.get(reference.reference) : undefined);
  return resources.map((r) => ({ ...r, resource: withNarrative(r.resource as Json & { resourceType: string }, generatedNarrative(narrativeOf(r.resource, lookup))) }));
}
