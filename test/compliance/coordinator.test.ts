import { describe, expect, it } from 'vitest';
import { compliantRecord, findingsOf, resultsOf, variant } from './helpers.js';

const appointedOn = (start: string) => variant((r) => (r.coordinatorAppointments![0]!.start = start));

describe('CoP-P2-11 a care coordinator within 14 days of acceptance (accepted 2025-01-06)', () => {
  const key = 'CoP-P2-11/appointed-within-14-days';
  it('passes on day 14 and fails on day 15', () => {
    expect(resultsOf(appointedOn('2025-01-20'), key)).toEqual(['pass']);
    const late = findingsOf(appointedOn('2025-01-21'), key)[0]!;
    expect(late).toMatchObject({ result: 'fail', severity: 'warning', force: 'should', due: '2025-01-20', location: 'coordinatorAppointments[0]' });
    expect(late.message).toBe('A care coordinator was appointed 15 days after the person was accepted into services; the limit is 14 days.');
  });
  it('does not apply the 14 days when exceptional circumstances are recorded (3.6): neither met nor missed', () => {
    const r = variant((x) => Object.assign(x.coordinatorAppointments![0]!, { start: '2025-02-10', delayReason: 'Exceptional circumstances' }));
    expect(resultsOf(r, key)).toEqual(['not-applicable']);
  });
  it('is not met by a temporary coordinator: temporary cover stands in for a usual one (3.13, 3.15)', () => {
    const r = variant((x) => {
      x.coordinatorAppointments![0]!.start = '2025-02-10';
      x.coordinatorAppointments!.push({
        id: 'temp',
        practitioner: 'cc2',
        profession: 'occupational-therapist',
        appointingBody: 'lhb',
        employer: 'lhb',
        episode: 'ep',
        start: '2025-01-08',
        end: '2025-02-09',
        temporary: true,
      });
    });
    expect(resultsOf(r, key)).toEqual(['fail']);
  });
  it('is set aside when the person is discharged before the 14 days without a coordinator (7.7)', () => {
    const r = variant((x) => {
      delete x.coordinatorAppointments;
      delete x.plans![0]!.coordinatorAppointment;
      x.episodes![0]!.status = 'finished';
      x.episodes![0]!.discharge = { date: '2025-01-20', kind: 'full' };
    });
    expect(resultsOf(r, key)).toEqual(['not-applicable']);
  });
  it('counts a coordinator who was already acting when the episode began', () => {
    expect(resultsOf(appointedOn('2024-12-01'), key)).toEqual(['pass']);
  });
  it('fails with no appointment once 14 days have passed, and is not yet applicable before', () => {
    const none = variant((r) => {
      delete r.coordinatorAppointments;
      delete r.plans![0]!.coordinatorAppointment;
    });
    expect(resultsOf(none, key, '2025-01-20')).toEqual(['not-applicable']);
    expect(resultsOf(none, key, '2025-01-21')).toEqual(['fail']);
  });
  it('cannot be evaluated without the acceptance date', () => {
    const r = variant((x) => delete x.episodes![0]!.acceptedOn);
    expect(findingsOf(r, key)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].acceptedOn'] });
  });
});

describe('CoP-P2-11 a care coordinator is in place (must)', () => {
  const key = 'CoP-P2-11/coordinator-in-place';
  const ended = (end: string) => variant((r) => Object.assign(r.coordinatorAppointments![0]!, { end, endReason: 'terminated' }));
  it('passes while an appointment covers the evaluation date', () => {
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
  });
  it('allows 14 days after the last coordinator left, then fails as an error', () => {
    expect(resultsOf(ended('2025-05-18'), key)).toEqual(['not-applicable']); // 14 days to 2025-06-01
    const f = findingsOf(ended('2025-05-17'), key)[0]!;
    expect(f).toMatchObject({ result: 'fail', severity: 'error' });
  });
  it('applies to children too: Part 2 has no age limit (CoP-GEN-02)', () => {
    const child = variant((r) => {
      r.patient!.dateOfBirth = '2012-04-01';
      r.relatedPeople![0]!.roles = ['parental-responsibility'];
      Object.assign(r.coordinatorAppointments![0]!, { end: '2025-04-01', endReason: 'terminated' });
    });
    expect(resultsOf(child, key)).toEqual(['fail']);
  });
  it('does not apply after full discharge', () => {
    const r = variant((x) => {
      x.episodes![0]!.status = 'finished';
      x.episodes![0]!.discharge = { date: '2025-05-01', kind: 'full' };
      Object.assign(x.coordinatorAppointments![0]!, { end: '2025-05-01', endReason: 'discharge' });
    });
    expect(resultsOf(r, key)).toEqual(['not-applicable']);
  });
});

describe('CoP-P2-12 one acting coordinator at a time', () => {
  const key = 'CoP-P2-12/one-acting-coordinator';
  const second = (extra: object) =>
    variant((r) =>
      r.coordinatorAppointments!.push({
        id: 'appt2',
        practitioner: 'cc2',
        profession: 'occupational-therapist',
        appointingBody: 'lhb',
        episode: 'ep',
        start: '2025-03-01',
        ...extra,
      }),
    );
  it('passes for a single appointment and for a temporary cover', () => {
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
    expect(resultsOf(second({ temporary: true, covers: 'appt', end: '2025-03-20' }), key)).toEqual(['pass']);
  });
  it('fails for two overlapping usual appointments', () => {
    expect(findingsOf(second({ temporary: false }), key)[0]).toMatchObject({ result: 'fail', severity: 'error', location: 'coordinatorAppointments[1]' });
  });
  it('passes when the first ends the day before the second starts', () => {
    const r = variant((x) => Object.assign(x.coordinatorAppointments![0]!, { end: '2025-02-28', endReason: 'replaced' }), second({ temporary: false }));
    expect(resultsOf(r, key)).toEqual(['pass']);
  });
});

describe('CoP-P2-13 eligible profession with a matching registration', () => {
  const key = 'CoP-P2-13/eligible-profession';
  it('passes for a mental health nurse on the NMC register', () => {
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
  });
  it('fails when the register does not match the profession', () => {
    const r = variant((x) => (x.coordinatorAppointments![0]!.profession = 'social-worker'));
    expect(findingsOf(r, key)[0]).toMatchObject({ result: 'fail', location: 'practitioners[0].registration' });
  });
  it('cannot be evaluated without a profession or a registration, and applies to temporary coordinators too', () => {
    expect(
      resultsOf(
        variant((x) => (x.coordinatorAppointments![0]!.profession = { notRecorded: 'unknown' })),
        key,
      ),
    ).toEqual(['cannot-evaluate']);
    expect(
      resultsOf(
        variant((x) => delete x.practitioners![0]!.registration),
        key,
      ),
    ).toEqual(['cannot-evaluate']);
    const temp = variant((x) =>
      x.coordinatorAppointments!.push({
        id: 't',
        practitioner: 'cc2',
        profession: 'medical-practitioner',
        start: '2025-03-01',
        end: '2025-03-10',
        temporary: true,
        covers: 'appt',
      }),
    );
    expect(resultsOf(temp, key)).toEqual(['pass', 'fail']);
  });
});

describe('CoP-P2-14 consent of another employer', () => {
  const key = 'CoP-P2-14/employer-consent';
  it('passes when the appointing body employs the coordinator', () => {
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
  });
  it('cannot be evaluated when another organisation employs them (consent is not in the record)', () => {
    expect(
      findingsOf(
        variant((x) => (x.coordinatorAppointments![0]!.employer = 'la')),
        key,
      )[0],
    ).toMatchObject({ result: 'cannot-evaluate', severity: 'warning' });
  });
});

describe('CoP-P2-15 the body that appoints', () => {
  const key = 'CoP-P2-15/appointing-body';
  it('expects the health board when both it and the council provide services', () => {
    expect(resultsOf(compliantRecord(), key)).toEqual(['pass']);
    expect(
      findingsOf(
        variant((x) => (x.coordinatorAppointments![0]!.appointingBody = 'la')),
        key,
      )[0],
    ).toMatchObject({ result: 'fail', severity: 'warning' });
  });
  it('expects the council when only it provides services', () => {
    const r = variant((x) => {
      x.episodes![0]!.responsibleBodies = ['la'];
      x.coordinatorAppointments![0]!.appointingBody = 'la';
    });
    expect(resultsOf(r, key)).toEqual(['pass']);
  });
  it('cannot be evaluated without the appointing body', () => {
    expect(
      resultsOf(
        variant((x) => delete x.coordinatorAppointments![0]!.appointingBody),
        key,
      ),
    ).toEqual(['cannot-evaluate']);
  });
});

describe('CoP-P2-19 a new coordinator within 14 days of the last one ending', () => {
  const key = 'CoP-P2-19/replaced-within-14-days';
  const replacedOn = (start: string) =>
    variant((r) => {
      Object.assign(r.coordinatorAppointments![0]!, { end: '2025-03-01', endReason: 'terminated' });
      r.coordinatorAppointments!.push({ id: 'appt2', practitioner: 'cc2', profession: 'occupational-therapist', appointingBody: 'lhb', episode: 'ep', start });
    });
  it('passes on day 14 and fails on day 15', () => {
    expect(resultsOf(replacedOn('2025-03-15'), key)).toEqual(['pass']);
    expect(resultsOf(replacedOn('2025-03-16'), key)).toEqual(['fail']);
  });
  it('is not applicable when there has been no change, or when the appointment ended with discharge', () => {
    expect(resultsOf(compliantRecord(), key)).toEqual(['not-applicable']);
    const r = variant((x) => {
      x.episodes![0]!.discharge = { date: '2025-03-01', kind: 'full' };
      x.episodes![0]!.status = 'finished';
      Object.assign(x.coordinatorAppointments![0]!, { end: '2025-03-01', endReason: 'discharge' });
    });
    expect(resultsOf(r, key)).toEqual(['not-applicable']);
  });
  it('is not triggered by a move to another health board, which does not end the appointment (CoP-P2-20, E-09)', () => {
    const moved = variant((x) => {
      x.organisations!.push({ id: 'lhb2', kind: 'local-health-board', name: 'Second Health Board', odsCode: '7A6' });
      x.episodes![0]!.transfers = [{ date: '2025-03-01', from: 'lhb', to: 'lhb2', patientInvolved: true, implicationsExplained: true }];
      x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'transfer', heldOn: '2025-03-20', summary: 'S' }];
    });
    expect(resultsOf(moved, key)).toEqual(['not-applicable']);
    expect(resultsOf(moved, 'CoP-P2-11/coordinator-in-place')).toEqual(['pass']);
    expect(resultsOf(moved, 'CoP-P2-12/one-acting-coordinator')).toEqual(['pass']);
  });

  it('is not triggered by a hospital admission or a move, which do not end the appointment (CoP-P2-20)', () => {
    const r = variant((x) => {
      x.episodes![0]!.inpatientStays = [{ id: 'stay', admittedOn: '2025-03-01', dischargedOn: '2025-03-20', followUpContactOn: '2025-03-22' }];
      x.reviews = [{ id: 'rv', plan: 'plan', trigger: 'discharge-planning', heldOn: '2025-03-18', summary: 'Review' }];
    });
    expect(resultsOf(r, key)).toEqual(['not-applicable']);
    expect(resultsOf(r, 'CoP-P2-11/coordinator-in-place')).toEqual(['pass']);
  });
});
