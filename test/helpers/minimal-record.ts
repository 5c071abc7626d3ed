/**
 * Small, valid canonical records for tests. `minimalRecord()` returns a fresh record with one of
 * everything that can be referred to (organisations, a practitioner, a carer, an episode, a
 * coordinator appointment, a diagnosis, a plan with one outcome and action, a review, an
 * encounter), all references resolving, so a test can break exactly one thing.
 */
import type { CtpRecord } from '../../src/record/record.schema.js';

/** A fresh, schema-valid record with no integrity issues. */
export function minimalRecord(): CtpRecord {
  return {
    schemaVersion: '1',
    source: { system: 'pont-test', recordId: 'rec-1', extractedAt: '2025-06-01T09:00:00Z' },
    patient: {
      nhsNumber: '9990000018',
      names: [{ given: ['Test'], family: 'Person' }],
      dateOfBirth: '1990-01-01',
      registeredGpPractice: 'gp',
    },
    organisations: [
      { id: 'lhb', kind: 'local-health-board', name: 'Cardiff and Vale University Health Board', odsCode: '7A4' },
      { id: 'la', kind: 'local-authority', name: 'Cardiff Council', onsCode: 'W06000015' },
      { id: 'gp', kind: 'gp-practice', name: 'Test Surgery', odsCode: 'W99001' },
    ],
    practitioners: [{ id: 'cc', name: { given: ['Care'], family: 'Coordinator' } }],
    relatedPeople: [{ id: 'carer', name: { given: ['Carer'], family: 'Person' }, roles: ['carer'] }],
    careTeam: [{ id: 'ct1', role: 'mental-health-nurse', member: { kind: 'practitioner', id: 'cc' }, start: '2025-01-10' }],
    episodes: [{ id: 'ep', status: 'active', acceptedOn: '2025-01-06', responsibleBodies: ['lhb', 'la'] }],
    coordinatorAppointments: [
      {
        id: 'appt',
        practitioner: 'cc',
        profession: 'nurse-mental-health',
        appointingBody: 'lhb',
        episode: 'ep',
        start: '2025-01-10',
        temporary: false,
      },
    ],
    diagnoses: [{ id: 'dx', code: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'F32.1' }], status: 'active', episode: 'ep' }],
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
        reviewBy: '2026-01-31',
        addresses: ['dx'],
        outcomes: [
          {
            id: 'o1',
            description: 'Outcome',
            areas: [{ area: 'accommodation', explanation: 'Explanation' }],
            actions: [{ id: 'a1', description: 'Action', when: 'Weekly', whoBy: [{ kind: 'patient' }] }],
          },
        ],
        responsibleProviders: ['lhb'],
        signatures: { careCoordinator: { practitioner: 'cc', signedOn: '2025-02-01' } },
        copies: [{ id: 'c1', recipientRole: 'patient', recipient: { kind: 'patient' }, status: 'sent', date: '2025-02-03', method: 'hand' }],
      },
    ],
    reviews: [{ id: 'rv', plan: 'plan', planVersion: 1, trigger: 'scheduled', dueBy: '2026-01-31' }],
    encounters: [{ id: 'enc', kind: 'contact', status: 'finished', start: '2025-02-01', practitioner: 'cc', episode: 'ep' }],
  };
}
