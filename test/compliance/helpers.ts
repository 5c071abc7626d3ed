/**
 * A record that meets every Welsh rule on 2025-06-01, and helpers to break one thing and read
 * the findings of one rule. Every person here is invented.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ComplianceEngine, createComplianceEngine } from '../../src/compliance/engine.js';
import type { Finding } from '../../src/compliance/finding.js';
import { loadRulePacks } from '../../src/compliance/load-packs.js';
import { type RulePackSpec, rulePackSchema } from '../../src/compliance/pack.schema.js';
import type { Emit } from '../../src/compliance/template.js';
import { builtInTemplates } from '../../src/compliance/templates/index.js';
import { parseYamlAgainst } from '../../src/input/yaml-file.js';
import { type CtpRecord, recordSchema } from '../../src/record/record.schema.js';
import { riskCategories, statutoryAreasOfLife } from '../../src/record/vocabulary.js';
import { ROOT } from '../helpers/runtime.js';

export const ASOF = '2025-06-01';
export const PACK_DIR = resolve(ROOT, 'mappings/rule-packs');

let shared: ComplianceEngine | undefined;
export function engine(): ComplianceEngine {
  shared ??= createComplianceEngine(loadRulePacks(PACK_DIR, builtInTemplates()));
  return shared;
}

export function compliantRecord(): CtpRecord {
  const record: CtpRecord = {
    schemaVersion: '1',
    source: { system: 'pont-test', recordId: 'rec-compliant', extractedAt: '2025-06-01T09:00:00Z' },
    patient: {
      nhsNumber: '9990000018',
      names: [{ given: ['Test'], family: 'Person' }],
      dateOfBirth: '1985-03-10',
      usualAddress: { lines: ['1 Test Street'], city: 'Cardiff', postcode: 'CF10 1AA' },
      localAuthorityOfResidence: 'W06000015',
      registeredGpPractice: 'gp',
      preferredLanguage: 'en',
      prefersWelsh: false,
      informationSharing: { status: 'agreed', recordedOn: '2025-01-20' },
    },
    organisations: [
      { id: 'lhb', kind: 'local-health-board', name: 'Test Health Board', odsCode: '7A4' },
      { id: 'la', kind: 'local-authority', name: 'Test Council', onsCode: 'W06000015' },
      { id: 'gp', kind: 'gp-practice', name: 'Test Surgery', odsCode: 'W99001' },
    ],
    practitioners: [
      {
        id: 'cc',
        name: { given: ['Care'], family: 'Coordinator' },
        registration: { body: 'nmc', number: 'EX000001' },
        telecom: [{ system: 'phone', value: '029 2000 0000', use: 'work' }],
        address: { lines: ['Test CMHT'], city: 'Cardiff', postcode: 'CF10 2BB' },
      },
      { id: 'cc2', name: { given: ['Second'], family: 'Coordinator' }, registration: { body: 'hcpc', number: 'OT000002' } },
    ],
    relatedPeople: [{ id: 'carer', name: { given: ['Carer'], family: 'Person' }, roles: ['carer'], wishesToReceiveCopies: true }],
    careTeam: [{ id: 'ct1', role: 'mental-health-nurse', member: { kind: 'practitioner', id: 'cc' }, start: '2025-01-10' }],
    episodes: [{ id: 'ep', status: 'active', acceptedOn: '2025-01-06', responsibleBodies: ['lhb', 'la'], team: 'Test Community Mental Health Team' }],
    coordinatorAppointments: [
      { id: 'appt', practitioner: 'cc', profession: 'nurse-mental-health', appointingBody: 'lhb', employer: 'lhb', episode: 'ep', start: '2025-01-10', temporary: false },
    ],
    plans: [
      {
        id: 'plan-v1',
        planId: 'plan',
        version: 1,
        status: 'active',
        changeType: 'initial',
        episode: 'ep',
        coordinatorAppointment: 'appt',
        madeOn: '2025-02-01',
        completedOn: '2025-02-01',
        reviewBy: '2026-01-31',
        language: 'en',
        outcomes: [
          {
            id: 'o1',
            description: 'Outcome',
            areas: [{ area: 'accommodation', explanation: 'Explanation' }],
            milestones: [{ description: 'Milestone', targetDate: '2025-09-01' }],
            actions: [{ id: 'a1', description: 'Action', when: 'Weekly', whoBy: [{ kind: 'patient' }] }],
          },
        ],
        relapseSignatures: ['Sign'],
        crisisPlan: { actions: ['Ring the team'], contacts: [{ service: 'Crisis team', telephone: '029 2000 0001', hours: '24 hours' }] },
        languageAndCommunication: 'None',
        patientViews: { status: 'recorded', text: 'Views' },
        agreement: { statement: 'agreed-s18-2' },
        responsibleProviders: ['lhb', 'la'],
        signatures: { careCoordinator: { practitioner: 'cc', signedOn: '2025-02-01' } },
        copies: [
          { id: 'c1', recipientRole: 'patient', recipient: { kind: 'patient' }, status: 'sent', date: '2025-02-03', method: 'hand', explanationGivenOn: '2025-02-01' },
          {
            id: 'c2',
            recipientRole: 'carer',
            recipient: { kind: 'related-person', id: 'carer' },
            status: 'sent',
            date: '2025-02-05',
            method: 'prepaid-post',
            patientView: 'agrees',
          },
          { id: 'c3', recipientRole: 'gp', recipient: { kind: 'organisation', id: 'gp' }, status: 'sent', date: '2025-02-05', method: 'prepaid-post', patientView: 'agrees' },
          { id: 'c4', recipientRole: 'provider', recipient: { kind: 'organisation', id: 'la' }, status: 'sent', date: '2025-02-05', method: 'hand', patientView: 'no-view' },
        ],
        consultations: [{ id: 'k1', consultee: { kind: 'related-person', id: 'carer' }, outcome: 'consulted', date: '2025-01-28', patientView: 'agrees' }],
        involvement: { tookPart: true },
      },
    ],
    encounters: [{ id: 'enc', kind: 'contact', status: 'finished', start: '2025-02-01', mode: 'face-to-face', practitioner: 'cc', episode: 'ep' }],
    assessments: [
      {
        id: 'as1',
        kind: 'initial',
        date: '2025-01-15',
        assessor: 'cc',
        episode: 'ep',
        areas: statutoryAreasOfLife.map((area) => ({ area, findings: area === 'accommodation' ? ['need' as const, 'strength' as const] : ['nothing-identified' as const] })),
        risks: riskCategories.map((category) => ({ category, level: 'none' as const })),
        patientViews: 'Views',
        carerViews: [{ person: 'carer', views: 'Views' }],
        equalityNeedsConsidered: true,
        finance: { doneeOrDeputyInPlace: false },
      },
    ],
  };
  return record;
}

/** Applies a change to a fresh compliant record and checks the result is still a valid record. */
export function variant(change: (r: CtpRecord) => void, base: CtpRecord = compliantRecord()): CtpRecord {
  const r = structuredClone(base);
  change(r);
  const parsed = recordSchema.safeParse(r);
  if (!parsed.success) throw new Error(`test record is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r;
}

/** Findings of one rule (`id/check`). */
export function findingsOf(record: CtpRecord, key: string, asOf = ASOF, pack?: string): Finding[] {
  const [id, check] = key.split('/');
  return engine()
    .evaluate(record, { asOf, pack })
    .findings.filter((f) => f.ruleId === id && f.check === check);
}

/** The results of one rule, e.g. ['pass', 'fail']. */
export function resultsOf(record: CtpRecord, key: string, asOf = ASOF, pack?: string): string[] {
  const found = findingsOf(record, key, asOf, pack);
  if (found.length === 0) throw new Error(`no findings for ${key}: is it in the pack?`);
  return found.map((f) => f.result);
}

/** A former user, discharged on 2022-06-01, asking again. */
export const formerUser = (request: Partial<NonNullable<CtpRecord['part3Requests']>[number]>, dateOfBirth = '1985-03-10') =>
  variant((r) => {
    r.patient!.dateOfBirth = dateOfBirth;
    r.episodes![0]!.status = 'finished';
    r.episodes![0]!.acceptedOn = '2021-01-06';
    r.episodes![0]!.discharge = {
      date: '2022-06-01',
      kind: 'full',
      reason: 'R',
      furtherSupport: 'S',
      writtenInformationGivenOn: '2022-06-01',
      part3Explained: true,
      copiedToGp: true,
    };
    r.coordinatorAppointments![0]!.start = '2021-01-10';
    Object.assign(r.coordinatorAppointments![0]!, { end: '2022-06-01', endReason: 'discharge' });
    r.plans![0]!.status = 'ended';
    r.reviews = [{ id: 'rv', plan: 'plan', trigger: 'discharge-planning', heldOn: '2022-05-20', summary: 'S' }];
    r.source.extractedAt = '2025-08-01T09:00:00Z';
    r.part3Requests = [{ id: 'p3', receivedAt: '2025-05-01T10:00:00+01:00', requester: 'self', priority: 'routine', status: 'completed', ...request }];
  });

/** An Emit that only counts what a template says. */
export function countingEmit(): Emit & { count: number } {
  const emit = {
    count: 0,
    pass() {
      emit.count += 1;
    },
    fail() {
      emit.count += 1;
    },
    cannotEvaluate() {
      emit.count += 1;
    },
    notApplicable() {
      emit.count += 1;
    },
  };
  return emit;
}

/** The rule packs as written, each parsed against the pack schema (a problem fails the test). */
export function packSpecs(): RulePackSpec[] {
  return readdirSync(PACK_DIR)
    .filter((n) => n.endsWith('.yaml'))
    .map((name) => {
      const problems: string[] = [];
      const spec = parseYamlAgainst(readFileSync(resolve(PACK_DIR, name), 'utf8'), name, rulePackSchema, problems);
      if (spec === undefined || problems.length > 0) throw new Error(`${name}: ${problems.join('; ')}`);
      return spec;
    });
}
