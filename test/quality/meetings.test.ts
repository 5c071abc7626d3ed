/**
 * PE-49 and PE-50: part of a meeting held without the person or their carer (from when each
 * participant joined and left), and invitees the person did not agree to.
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { qualityFindings, signalResults, variant } from './helpers.js';

type Encounter = NonNullable<CtpRecord['encounters']>[number];
type Participant = NonNullable<Encounter['participants']>[number];

const at = (hm: string, day = '2025-05-15', offset = '+01:00') => `${day}T${hm}:00${offset}`;
const inRoom = (from: string, to: string) => ({ period: { start: at(from), end: at(to) } });
const staff: Participant[] = [
  { role: 'care-coordinator', practitioner: 'cc', attended: true, ...inRoom('14:00', '15:00') },
  { role: 'psychiatrist', invited: true, attended: true, ...inRoom('14:00', '15:00') },
];

function meetingOf(participants: Participant[], change: (e: Encounter) => void = () => {}): CtpRecord {
  return variant((r) => {
    const e: Encounter = { id: 'meeting', kind: 'review-meeting', status: 'finished', start: at('14:00'), end: at('15:00'), participants };
    change(e);
    r.encounters!.push(e);
  });
}
const findingsOf = (record: CtpRecord, key: string, asOf?: string) => {
  const [id, check] = key.split('/');
  return qualityFindings(record, asOf).filter((f) => f.ruleId === id && f.check === check);
};

describe('PE-49/part-without-person', () => {
  const key = 'PE-49/part-without-person';
  const person = (from: string, to = '15:00'): Participant => ({ role: 'patient', attended: true, ...inRoom(from, to) });

  it('fires when the person joined 10 minutes after the others, and is silent at 9', () => {
    const late = findingsOf(meetingOf([person('14:10'), ...staff]), key);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ result: 'fail', severity: 'information', location: 'encounters[2].participants[0]' });
    expect(late[0]!.message).toContain('The person was out of the meeting for 10 minutes');
    expect(signalResults(meetingOf([person('14:09'), ...staff]), key)).toEqual(['pass']);
  });

  it('fires for a carer kept outside while the person was in, and for a person who left early', () => {
    const carer: Participant = { role: 'carer', relatedPerson: 'carer', attended: true, ...inRoom('14:45', '15:00') };
    const found = findingsOf(meetingOf([person('14:00'), carer, ...staff]), key);
    expect(found.map((f) => [f.location, f.result])).toEqual([
      ['encounters[2].participants[0]', 'pass'],
      ['encounters[2].participants[1]', 'fail'],
    ]);
    expect(found[1]!.message).toContain('The carer (participant 2) was out of the meeting for 45 minutes');
    expect(signalResults(meetingOf([person('14:00', '14:30'), ...staff]), key)).toEqual(['fail']);
  });

  it('takes a person listed twice (out and back in) as one, counting only the time out', () => {
    const twice = meetingOf([person('14:00', '14:20'), person('14:25'), ...staff]);
    expect(findingsOf(twice, key).map((f) => [f.location, f.result])).toEqual([['encounters[2].participants[0]', 'pass']]);
    const longer = meetingOf([person('14:00', '14:20'), person('14:30'), ...staff]);
    expect(signalResults(longer, key)).toEqual(['fail']);
  });

  it('counts elapsed minutes across the autumn clock change', () => {
    // 01:55 BST is 00:55 UTC; the person came in at 01:05 GMT (01:05 UTC), 10 minutes later.
    const night = (start: string, end: string) => ({ period: { start, end } });
    const record = meetingOf(
      [
        { role: 'patient', attended: true, ...night('2025-10-26T01:05:00+00:00', '2025-10-26T01:30:00+00:00') },
        { role: 'care-coordinator', attended: true, ...night('2025-10-26T01:55:00+01:00', '2025-10-26T01:30:00+00:00') },
      ],
      (e) => Object.assign(e, { start: '2025-10-26T01:55:00+01:00', end: '2025-10-26T01:30:00+00:00' }),
    );
    const [finding] = findingsOf(record, key, '2025-11-01');
    expect(finding).toMatchObject({ result: 'fail' });
    expect(finding!.message).toContain('for 10 minutes');
  });

  it('does not judge without the times: dates only, a person whose times are not held, a person who did not attend, a meeting not yet held', () => {
    const dated = staff.map((p) => ({ ...p, period: { start: '2025-05-15', end: '2025-05-15' } }));
    expect(signalResults(meetingOf([{ role: 'patient', attended: true }, ...dated]), key)).toEqual(['not-applicable']);
    expect(signalResults(meetingOf([{ role: 'patient', attended: true }, ...staff]), key)).toEqual(['not-applicable']);
    expect(signalResults(meetingOf([{ role: 'patient', attended: false }, ...staff]), key)).toEqual(['not-applicable']);
    const future = meetingOf([person('14:30'), ...staff], (e) => Object.assign(e, { start: at('14:00', '2025-06-02'), end: at('15:00', '2025-06-02') }));
    expect(signalResults(future, key)).toEqual(['not-applicable']);
  });
});

describe('PE-50/invitee-not-agreed', () => {
  const key = 'PE-50/invitee-not-agreed';
  const person: Participant = { role: 'patient', attended: true };
  const tutor = (agreed?: boolean): Participant => ({ role: 'other', invited: true, ...(agreed === undefined ? {} : { patientAgreed: agreed }) });
  const psychiatrist = (agreed: boolean): Participant => ({ role: 'psychiatrist', invited: true, attended: true, patientAgreed: agreed });

  it('fires as a warning on an invitee the person did not agree to, and passes one they did', () => {
    const found = findingsOf(meetingOf([person, staff[0]!, psychiatrist(true), tutor(false)]), key);
    expect(found.map((f) => [f.location, f.result])).toEqual([
      ['encounters[2].participants[2]', 'pass'],
      ['encounters[2].participants[3]', 'fail'],
    ]);
    expect(found[1]).toMatchObject({ severity: 'warning' });
    expect(found[1]!.message).toBe('The other (participant 4) was invited although the person did not agree.');
  });

  it('fires on an invitee whose agreement is missing when others’ is recorded; is silent when every invitee was agreed', () => {
    expect(signalResults(meetingOf([person, psychiatrist(true), tutor()]), key)).toEqual(['pass', 'fail']);
    expect(signalResults(meetingOf([person, psychiatrist(true), tutor(true)]), key)).toEqual(['pass', 'pass']);
  });

  it('does not judge a meeting with no agreement recorded, the coordinator, someone neither invited nor present, or a case conference', () => {
    expect(signalResults(meetingOf([person, ...staff, tutor()]), key)).toEqual(['not-applicable']);
    expect(signalResults(meetingOf([person, staff[0]!, psychiatrist(true)]), key)).toEqual(['pass']);
    expect(signalResults(meetingOf([person, psychiatrist(true), { role: 'advocate', invited: false }]), key)).toEqual(['pass']);
    expect(
      signalResults(
        meetingOf([person, tutor(false)], (e) => (e.kind = 'case-conference')),
        key,
      ),
    ).toEqual(['not-applicable']);
  });
});
