/**
 * The English packs' rules on meetings about the person: multidisciplinary team meetings (LPT-N12,
 * LPT-R17), case conferences on a refused discharge (LPT-N14, LPT-Z8), the discussion before a
 * discharge (LPT-Z6) and a restricted patient's discharge (ELFT-M5). Each passes, fails, is held
 * to its limit on each side, and cannot be evaluated without the data it needs.
 */
import { describe, expect, it } from 'vitest';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { ELFT, findings, LPT, results, WALES } from './english-helpers.js';
import { variant } from './helpers.js';

type Encounter = NonNullable<CtpRecord['encounters']>[number];

/** The compliant record with one more encounter (encounters[1]), and any other change. */
const withMeeting = (meeting: Omit<Encounter, 'id'>, change: (r: CtpRecord) => void = () => {}) =>
  variant((r) => {
    r.encounters!.push({ id: 'meeting', ...meeting });
    change(r);
  });

describe('LPT-N12: a multidisciplinary team meeting lists who attended', () => {
  const N12 = 'LPT-N12/mdt-attendees-listed';
  const mdt = (participants?: Encounter['participants'], status: Encounter['status'] = 'finished') =>
    withMeeting({ kind: 'mdt-meeting', status, start: '2025-03-04T10:00:00Z', ...(participants ? { participants } : {}) });

  it('passes with an attendee listed, fails with none or only absentees', () => {
    expect(findings(mdt([{ role: 'psychiatrist', practitioner: 'cc2', attended: true }]), LPT, N12)[0]).toMatchObject({ result: 'pass', location: 'encounters[1]' });
    expect(findings(mdt(), LPT, N12)[0]).toMatchObject({ result: 'fail', location: 'encounters[1]', message: 'The multidisciplinary team meeting lists no attendees.' });
    expect(results(mdt([{ role: 'gp', invited: true, attended: false }]), LPT, N12)).toEqual(['fail']);
  });
  it('does not judge a meeting not yet held, nor one after the date of evaluation; is not a rule of ELFT or Wales', () => {
    expect(results(mdt(undefined, 'planned'), LPT, N12)).toEqual(['not-applicable']);
    expect(results(mdt(), LPT, N12, '2025-03-03')).toEqual(['not-applicable']);
    expect(findings(mdt(), ELFT, N12)).toEqual([]);
    expect(findings(mdt(), WALES, N12)).toEqual([]);
  });
  it('is not a contact with the person: an MDT meeting does not meet LPT-A4, a contact that day does', () => {
    const A4 = 'LPT-A4/seen-within-14-days-of-allocation';
    const on = (kind: Encounter['kind']) => withMeeting({ kind, status: 'finished', start: '2025-01-15', practitioner: 'cc', episode: 'ep' });
    expect(results(on('mdt-meeting'), LPT, A4)).toEqual(['fail']);
    expect(results(on('contact'), LPT, A4)).toEqual(['pass']);
  });
});

describe('LPT-R17: a referral discussed at the hub and spoke MDT is opened within 24 hours, or the next working day', () => {
  const R17 = 'LPT-R17/referral-opened-after-mdt';
  const meeting = (start: string, loggedAt?: string, change: (e: Encounter) => void = () => {}) =>
    variant((r) => {
      const e: Encounter = { id: 'mdt', kind: 'mdt-meeting', status: 'finished', start, purpose: 'referral', episode: 'ep' };
      change(e);
      r.encounters!.push(e);
      r.episodes![0]!.referral = { receivedOn: '2025-01-02', ...(loggedAt ? { loggedAt } : {}) };
    });

  it('Thursday 10:00 to Friday 10:00 passes; a minute later fails, at the meeting', () => {
    expect(results(meeting('2025-03-06T10:00:00Z', '2025-03-07T10:00:00Z'), LPT, R17)).toEqual(['pass']);
    expect(findings(meeting('2025-03-06T10:00:00Z', '2025-03-07T10:01:00Z'), LPT, R17)[0]).toMatchObject({
      result: 'fail',
      location: 'encounters[1]',
      due: '2025-03-07',
      severity: 'error',
    });
  });
  it('24 hours ending on a Saturday run to the end of Monday: 23:59 on Monday passes, midnight fails', () => {
    expect(results(meeting('2025-03-07T10:00:00Z', '2025-03-10T23:59:00Z'), LPT, R17)).toEqual(['pass']);
    expect(findings(meeting('2025-03-07T10:00:00Z', '2025-03-11T00:00:00Z'), LPT, R17)[0]).toMatchObject({ result: 'fail', due: '2025-03-10' });
  });
  it('counts elapsed hours across the spring clock change: 00:30 GMT on Sunday is due by 01:30 BST on Monday', () => {
    expect(results(meeting('2025-03-30T00:30:00Z', '2025-03-31T01:30:00+01:00'), LPT, R17)).toEqual(['pass']);
    expect(results(meeting('2025-03-30T00:30:00Z', '2025-03-31T01:31:00+01:00'), LPT, R17)).toEqual(['fail']);
  });
  it('judges dates alone where they settle it, and names the missing time where they do not', () => {
    expect(results(meeting('2025-03-06', '2025-03-06T15:00:00Z'), LPT, R17)).toEqual(['pass']);
    expect(findings(meeting('2025-03-06', '2025-03-07T12:00:00Z'), LPT, R17)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['encounters[1].start'] });
  });
  it('not yet due before the deadline; cannot be evaluated without the logging time or the episode', () => {
    expect(results(meeting('2025-03-06T10:00:00Z', '2025-03-07T09:00:00Z'), LPT, R17, '2025-03-06')).toEqual(['not-applicable']);
    expect(findings(meeting('2025-03-06T10:00:00Z'), LPT, R17)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].referral.loggedAt'] });
    const noEpisode = meeting('2025-03-06T10:00:00Z', '2025-03-07T09:00:00Z', (e) => delete e.episode);
    expect(findings(noEpisode, LPT, R17)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['encounters[1].episode'] });
  });
  it('judges only MDT meetings held for a referral, and is not a rule of ELFT or Wales', () => {
    expect(
      results(
        meeting('2025-03-06T10:00:00Z', '2025-03-10T10:00:00Z', (e) => (e.purpose = 'discharge')),
        LPT,
        R17,
      ),
    ).toEqual(['not-applicable']);
    expect(
      results(
        meeting('2025-03-06T10:00:00Z', '2025-03-10T10:00:00Z', (e) => (e.kind = 'case-conference')),
        LPT,
        R17,
      ),
    ).toEqual(['not-applicable']);
    expect(findings(meeting('2025-03-06T10:00:00Z', '2025-03-10T10:00:00Z'), ELFT, R17)).toEqual([]);
    expect(findings(meeting('2025-03-06T10:00:00Z', '2025-03-10T10:00:00Z'), WALES, R17)).toEqual([]);
  });
});

describe('LPT-N14 and LPT-Z8: a case conference on a refused discharge', () => {
  const N14 = 'LPT-N14/letter-within-24-hours-of-case-conference';
  const Z8 = 'LPT-Z8/person-invited-to-case-conference';
  const conference = (change: (e: Encounter) => void) => {
    const e: Encounter = {
      id: 'cc-meeting',
      kind: 'case-conference',
      status: 'finished',
      purpose: 'refused-discharge',
      start: '2025-10-22T14:00:00+01:00',
      end: '2025-10-22T16:00:00+01:00',
      participants: [{ role: 'patient', invited: true, attended: true }],
    };
    change(e);
    return withMeeting(e);
  };
  const letter = (at: string, change: (e: Encounter) => void = () => {}) =>
    conference((e) => {
      e.letterToPersonAt = at;
      change(e);
    });

  it('N14: written to 24 hours after the end passes; a minute later fails, at the meeting', () => {
    expect(results(letter('2025-10-23T16:00:00+01:00'), LPT, N14)).toEqual(['pass']);
    expect(findings(letter('2025-10-23T16:01:00+01:00'), LPT, N14)[0]).toMatchObject({ result: 'fail', location: 'encounters[1]', due: '2025-10-23', severity: 'warning' });
  });
  it('N14: counts elapsed hours across the autumn clock change (noon BST on Saturday is due by 11:00 GMT on Sunday)', () => {
    const saturday = (at: string) => letter(at, (e) => Object.assign(e, { start: '2025-10-25T11:00:00+01:00', end: '2025-10-25T12:00:00+01:00' }));
    expect(results(saturday('2025-10-26T11:00:00Z'), LPT, N14)).toEqual(['pass']);
    expect(results(saturday('2025-10-26T11:01:00Z'), LPT, N14)).toEqual(['fail']);
  });
  it('N14: without the end, the meeting stands for its day, and the end is named where that leaves it open', () => {
    const noEnd = letter('2025-10-23T10:00:00+01:00', (e) => delete e.end);
    expect(findings(noEnd, LPT, N14)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['encounters[1].end'] });
    expect(
      results(
        letter('2025-10-22T18:00:00+01:00', (e) => delete e.end),
        LPT,
        N14,
      ),
    ).toEqual(['pass']);
  });
  it('N14: no letter is not yet due on 23 October and fails from the 24th; other purposes are not judged', () => {
    const none = conference(() => {});
    expect(results(none, LPT, N14, '2025-10-23')).toEqual(['not-applicable']);
    expect(findings(none, LPT, N14, '2025-10-24')[0]).toMatchObject({ result: 'fail', due: '2025-10-23' });
    expect(
      results(
        conference((e) => (e.purpose = 'review')),
        LPT,
        N14,
      ),
    ).toEqual(['not-applicable']);
  });
  it('Z8: the person, an advocate or a carer invited passes; not invited fails; not recorded cannot be evaluated', () => {
    expect(
      results(
        conference(() => {}),
        LPT,
        Z8,
      ),
    ).toEqual(['pass']);
    expect(
      results(
        conference((e) => (e.participants = [{ role: 'advocate', invited: true }])),
        LPT,
        Z8,
      ),
    ).toEqual(['pass']);
    expect(
      findings(
        conference((e) => (e.participants = [{ role: 'patient', invited: false }])),
        LPT,
        Z8,
      )[0],
    ).toMatchObject({ result: 'fail', location: 'encounters[1]' });
    expect(
      results(
        conference((e) => delete e.participants),
        LPT,
        Z8,
      ),
    ).toEqual(['fail']);
    expect(
      findings(
        conference((e) => (e.participants = [{ role: 'patient', attended: true }])),
        LPT,
        Z8,
      )[0],
    ).toMatchObject({
      result: 'cannot-evaluate',
      missing: ['encounters[1].participants[0].invited'],
    });
  });
  it('are not rules of ELFT or Wales', () => {
    expect(
      findings(
        conference(() => {}),
        ELFT,
        N14,
      ),
    ).toEqual([]);
    expect(
      findings(
        conference(() => {}),
        WALES,
        Z8,
      ),
    ).toEqual([]);
  });
});

describe('LPT-Z6: a discharge discussed beforehand, and section 117 considered', () => {
  const Z6 = 'LPT-Z6/discharge-discussed';
  const Z6s117 = 'LPT-Z6/section-117-considered-at-discharge';
  /** Discharged from the team on 30 June 2025, after a discussion on `on` (if any), and a detention under `section` from 1 February. */
  const discharged = (on: string | null, extra: Partial<Encounter> = {}, section?: 's2' | 's3') =>
    variant((r) => {
      r.episodes![0]!.status = 'finished';
      r.episodes![0]!.discharge = { date: '2025-06-30', kind: 'full' };
      if (on !== null) r.encounters!.push({ id: 'talk', kind: 'mdt-meeting', status: 'finished', start: on, purpose: 'discharge', episode: 'ep', ...extra });
      if (section) r.episodes![0]!.inpatientStays = [{ id: 'stay', admittedOn: '2025-02-01', dischargedOn: '2025-02-20', detentions: [{ section, start: '2025-02-01' }] }];
    });

  it('a discussion 3 months before passes, a day earlier fails; on the day passes, after it fails', () => {
    expect(results(discharged('2025-03-30'), LPT, Z6)).toEqual(['pass']);
    expect(findings(discharged('2025-03-29'), LPT, Z6)[0]).toMatchObject({ result: 'fail', location: 'episodes[0].discharge' });
    expect(results(discharged('2025-06-30'), LPT, Z6)).toEqual(['pass']);
    expect(results(discharged('2025-07-01'), LPT, Z6)).toEqual(['fail']);
    expect(results(discharged(null), LPT, Z6)).toEqual(['fail']);
  });
  it('an outpatient contact held for the discharge counts; a meeting for another purpose does not', () => {
    expect(results(discharged('2025-06-01', { kind: 'contact' }), LPT, Z6)).toEqual(['pass']);
    expect(results(discharged('2025-06-01', { purpose: 'review' }), LPT, Z6)).toEqual(['fail']);
  });
  it('section 117: considered passes, not considered fails, not recorded cannot be evaluated', () => {
    expect(results(discharged('2025-06-01', { section117Considered: true }, 's3'), LPT, Z6s117)).toEqual(['pass']);
    expect(results(discharged('2025-06-01', { section117Considered: false }, 's3'), LPT, Z6s117)).toEqual(['fail']);
    expect(findings(discharged('2025-06-01', {}, 's3'), LPT, Z6s117)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['encounters[1].section117Considered'] });
  });
  it('section 117: not judged after section 2 alone, without a discussion, or still in services', () => {
    expect(results(discharged('2025-06-01', { section117Considered: false }, 's2'), LPT, Z6s117)).toEqual(['not-applicable']);
    expect(results(discharged(null, {}, 's3'), LPT, Z6s117)).toEqual(['not-applicable']);
    expect(
      results(
        variant(() => {}),
        LPT,
        Z6,
      ),
    ).toEqual(['not-applicable']);
  });
  it('is not a rule of ELFT or Wales', () => {
    expect(findings(discharged(null), ELFT, Z6)).toEqual([]);
    expect(findings(discharged(null), WALES, Z6)).toEqual([]);
  });
});

describe('ELFT-M5: a restricted patient discharged only after discussion with the Ministry of Justice case worker', () => {
  const M5 = 'ELFT-M5/moj-case-worker-before-discharge';
  const restricted = (talkOn: string | null, change: (r: CtpRecord) => void = () => {}) =>
    variant((r) => {
      r.episodes![0]!.status = 'finished';
      r.episodes![0]!.discharge = { date: '2025-06-30', kind: 'full' };
      r.episodes![0]!.inpatientStays = [{ id: 'stay', admittedOn: '2024-06-01', dischargedOn: '2024-12-01', detentions: [{ section: 's37-41', start: '2024-06-01' }] }];
      if (talkOn !== null)
        r.encounters!.push({ id: 'moj', kind: 'contact', status: 'finished', start: talkOn, mode: 'telephone', participants: [{ role: 'moj-case-worker', attended: true }] });
      change(r);
    });

  it('a discussion on the day of discharge passes; the day after, or none, fails as an error', () => {
    expect(results(restricted('2025-06-30'), ELFT, M5)).toEqual(['pass']);
    expect(findings(restricted('2025-07-01'), ELFT, M5)[0]).toMatchObject({ result: 'fail', location: 'episodes[0].discharge', severity: 'error' });
    expect(results(restricted(null), ELFT, M5)).toEqual(['fail']);
  });
  it('a case worker recorded as absent, or a discussion before the detention, does not count', () => {
    expect(
      results(
        restricted('2025-06-01', (r) => (r.encounters![1]!.participants![0]!.attended = false)),
        ELFT,
        M5,
      ),
    ).toEqual(['fail']);
    expect(results(restricted('2024-05-01'), ELFT, M5)).toEqual(['fail']);
  });
  it('does not apply without a restriction order or before discharge; cannot be evaluated when the detention is undated', () => {
    expect(
      results(
        restricted(null, (r) => (r.episodes![0]!.inpatientStays![0]!.detentions![0]!.section = 's37')),
        ELFT,
        M5,
      ),
    ).toEqual(['not-applicable']);
    expect(results(restricted(null), ELFT, M5, '2025-06-29')).toEqual(['not-applicable']);
    const undated = restricted(null, (r) => {
      const stay = r.episodes![0]!.inpatientStays![0]!;
      delete stay.admittedOn;
      delete stay.detentions![0]!.start;
    });
    expect(findings(undated, ELFT, M5)[0]).toMatchObject({ result: 'cannot-evaluate', missing: ['episodes[0].inpatientStays[0].detentions[0].start'] });
  });
  it('is not a rule of LPT or Wales', () => {
    expect(findings(restricted(null), LPT, M5)).toEqual([]);
    expect(findings(restricted(null), WALES, M5)).toEqual([]);
  });
});
