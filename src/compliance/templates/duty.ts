/**
 * The duty worker's part (ELFT CMHT Operational Policy §8, §9.2; LPT Adult CMHT SOP §7): the call
 * to a person referred after triage and what it agreed, an urgent assessment discussed with a
 * senior on the day, and calls to duty answered, called back and followed by a text when a call
 * back fails.
 */
import { z } from 'zod';
import type { CtpRecord } from '../../record/record.schema.js';
import { referralPriorities } from '../../record/vocabulary.js';
import type { IsoDate } from '../../time/dates.js';
import { hasTimeOfDay, instantOfDateTime, londonDateOfValue, momentOf } from '../../time/elapsed.js';
import { type Episode, perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate, type Emit } from '../template.js';
import { at, judgeDeadline, type TimedValue } from './common.js';

type Encounter = NonNullable<CtpRecord['encounters']>[number];
type Attempt = NonNullable<NonNullable<NonNullable<CtpRecord['episodes']>[number]['referral']>['contactAttempts']>[number];

/** What the call after triage is to agree (ELFT §8), as a sentence names each. */
const agreed = {
  riskAssessed: 'a brief risk assessment and mental state examination',
  safetyPlanAgreed: 'a safety plan',
  timescaleAgreed: 'a timescale for the assessment',
} as const;

const agreedKeys = Object.keys(agreed) as readonly (keyof typeof agreed)[];

/**
 * After triage the duty worker rings the person (ELFT §8): `call` judges that a telephone attempt
 * reached them within a time of the triage day; `agreed` that the first such call made a brief
 * risk assessment and agreed a safety plan and a timescale for the assessment.
 */
export const callAfterTriage = defineTemplate({
  name: 'call-after-triage',
  params: z.object({ judge: z.enum(['call', 'agreed']), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      const triage = referral?.triage;
      if (referral === undefined || triage === undefined) continue;
      const { judge, within } = params(episode);
      const location = `${at.item(f, 'episodes', episode)}.referral`;
      const triaged = triage.at === undefined ? undefined : f.ukDateOf(triage.at);
      if (triaged === undefined) {
        emit.cannotEvaluate([`${location}.triage.at`], 'When the referral was triaged is not recorded.', location);
        continue;
      }
      if (triaged > f.asOf) continue;
      const calls = callsAfterTriage(f, episode, referral.contactAttempts ?? [], triaged);
      const found = calls.find((x) => x.a.reached === true);
      const pathOf = (x: { i: number }) => `${location}.contactAttempts[${x.i}]`;
      if (judge === 'call') {
        const unknown = found === undefined ? calls.filter((x) => x.a.reached === undefined) : [];
        if (unknown.length > 0) {
          emit.cannotEvaluate(
            unknown.map((x) => `${pathOf(x)}.reached`),
            'Whether a call after triage reached the person is not recorded.',
            location,
          );
          continue;
        }
        judgeDeadline(f, emit, {
          anchor: triaged,
          done: found?.day,
          limit: within,
          what: 'The duty worker’s call reached the person',
          notDone: 'No call after triage has reached the person',
          since: 'the triage',
          location,
        });
        continue;
      }
      if (found === undefined) continue;
      const reached = { a: found.a, path: pathOf(found) };
      const notDone = agreedKeys.filter((k) => reached.a[k] === false);
      const unknown = agreedKeys.filter((k) => reached.a[k] === undefined);
      if (notDone.length > 0) emit.fail(`The call after triage did not make or agree: ${notDone.map((k) => agreed[k]).join('; ')}.`, reached.path);
      else if (unknown.length > 0)
        emit.cannotEvaluate(
          unknown.map((k) => `${reached.path}.${k}`),
          'What the call after triage made or agreed is not fully recorded.',
          reached.path,
        );
      else emit.pass('The call after triage made a brief risk assessment and agreed a safety plan and a timescale for the assessment.', reached.path);
    }
  },
});

type TriageCall = { a: Attempt; i: number; day: IsoDate };

/** Each episode's calls after triage (telephoneCallsFrom), worked out once per person for the two judgements of the call. */
const triageCalls = perPerson(() => new Map<Episode, readonly TriageCall[]>());

function callsAfterTriage(f: RecordFacts, episode: Episode, attempts: readonly Attempt[], triaged: IsoDate): readonly TriageCall[] {
  const byEpisode = triageCalls(f);
  const known = byEpisode.get(episode);
  if (known !== undefined) return known;
  const calls = telephoneCallsFrom(f, attempts, triaged);
  byEpisode.set(episode, calls);
  return calls;
}

/** The telephone attempts to reach the person from the triage day to the evaluation date, by UK day (in record order on a day), with their index. */
function telephoneCallsFrom(f: RecordFacts, attempts: readonly Attempt[], triaged: IsoDate): TriageCall[] {
  const calls: TriageCall[] = [];
  for (let i = 0; i < attempts.length; i++) {
    const a = attempts[i]!;
    if (a.method !== 'telephone') continue;
    const day = f.ukDateOf(a.at);
    if (day !== undefined && day >= triaged && day <= f.asOf) calls.push({ a, i, day });
  }
  return calls.sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
}

/**
 * An assessment of a referral of one of the given priorities is discussed with a senior member of
 * the team on the (UK) day it is made (ELFT §9.2); the first finished assessment of the episode on
 * or after the referral is judged.
 */
export const assessmentDiscussedSameDay = defineTemplate({
  name: 'assessment-discussed-same-day',
  params: z.object({ priorities: z.array(z.enum(referralPriorities)).min(1) }).strict(),
  evaluate(f, params, emit) {
    const { priorities } = params();
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (referral?.priority === undefined || !priorities.includes(referral.priority)) continue;
      const assessment = firstAssessment(f, episode.id, referral.receivedOn);
      if (assessment === undefined) continue;
      const location = at.item(f, 'encounters', assessment.e);
      const discussed = assessment.e.seniorDiscussedAt === undefined ? undefined : f.ukDateOf(assessment.e.seniorDiscussedAt);
      if (discussed === assessment.day) emit.pass('The assessment was discussed with a senior member of the team on the day.', location);
      else if (discussed !== undefined)
        emit.fail('The assessment was discussed with a senior member of the team, but not on the day it was made.', `${location}.seniorDiscussedAt`);
      else if (f.asOf > assessment.day) emit.fail('No discussion of the assessment with a senior member of the team is recorded.', location, { due: assessment.day });
      else emit.notApplicable('The day of the assessment has not ended.', location);
    }
  },
});

type ContactRequest = NonNullable<CtpRecord['contactRequests']>[number];

/** The first finished assessment of the episode (in record order on a day) from `from` to the evaluation date, with its UK day. */
function firstAssessment(f: RecordFacts, episode: string, from: IsoDate): { e: Encounter; day: IsoDate } | undefined {
  let first: { e: Encounter; day: IsoDate } | undefined;
  for (const e of f.record.encounters ?? []) {
    if (e.kind !== 'assessment' || e.status !== 'finished' || e.episode !== episode || e.start === undefined) continue;
    const day = f.ukDateOf(e.start);
    if (day !== undefined && day >= from && day <= f.asOf && (first === undefined || day < first.day)) first = { e, day };
  }
  return first;
}

/**
 * The first response to a request to be contacted: the reply (-1) or a call back (its index),
 * whichever came first; the reply on a tie, then the earlier call back in the list.
 */
function firstResponse(request: ContactRequest): number | undefined {
  let best: number | undefined;
  let bestStart = 0;
  if (request.repliedAt !== undefined) {
    best = -1;
    bestStart = startInstant(request.repliedAt);
  }
  const callBacks = request.callBacks ?? [];
  for (let i = 0; i < callBacks.length; i++) {
    const start = startInstant(callBacks[i]!.at);
    if (best === undefined || start < bestStart) {
      best = i;
      bestStart = start;
    }
  }
  return best;
}

/** When a date or date-time starts (momentOf), 0 when it cannot be placed; a date-time read without building its moment. */
function startInstant(value: string): number {
  if (!hasTimeOfDay(value)) return momentOf(value)?.start ?? 0;
  const at = instantOfDateTime(value);
  return Number.isNaN(at) ? 0 : at;
}

/** A call to duty's UK day, and its first response (firstResponse) with that response's UK day. */
interface DutyCall {
  readonly asked: IsoDate | undefined;
  readonly first: number | undefined;
  readonly answeredOn: IsoDate | undefined;
}

/**
 * Each call to duty, aligned with the record's contactRequests, worked out once per person for the
 * rules that judge them. No other check reads these times, so their UK dates are not kept in the
 * facts' cache (ukDateOf).
 */
const dutyCalls = perPerson((f): readonly DutyCall[] =>
  (f.record.contactRequests ?? []).map((request) => {
    const first = firstResponse(request);
    const answeredAt = first === undefined ? undefined : first < 0 ? request.repliedAt! : request.callBacks![first]!.at;
    return { asked: londonDateOfValue(request.at), first, answeredOn: answeredAt === undefined ? undefined : londonDateOfValue(answeredAt) };
  }),
);

/** A response (firstResponse) as the record holds it, and where. */
function responseAt(request: ContactRequest, index: number, location: string): TimedValue {
  return index < 0 ? { value: request.repliedAt!, path: `${location}.repliedAt` } : { value: request.callBacks![index]!.at, path: `${location}.callBacks[${index}].at` };
}

/** A failed telephone call back (`callBack`, of the request at `location`) judged on a text message the same UK day. */
function judgeTextAfterCallBack(f: RecordFacts, emit: Emit, request: ContactRequest, i: number, location: string): void {
  const callBack = request.callBacks![i]!;
  if (callBack.method !== 'telephone' || callBack.reached === true) return;
  const day = f.ukDateOf(callBack.at);
  if (day === undefined || day > f.asOf) return;
  const callAt = `${location}.callBacks[${i}]`;
  if (callBack.reached === undefined) {
    emit.cannotEvaluate([`${callAt}.reached`], 'Whether the call back reached the caller is not recorded.', callAt);
    return;
  }
  const texted = request.callBacks!.some((c) => c.method === 'sms' && f.ukDateOf(c.at) === day);
  if (texted) emit.pass('A text message followed the call back that did not reach the caller, the same day.', callAt);
  else if (f.asOf > day) emit.fail('No text message was sent the day the call back did not reach the caller.', callAt, { due: day });
  else emit.notApplicable('The day of the call back has not ended.', callAt);
}

/**
 * Calls to duty (LPT SOP §7): `answered`, every request answered or called back within a time of
 * the call; `urgent`, one taken as urgent within a time too (24 hours, in elapsed hours); `text`,
 * a call back that failed followed by a text message the same (UK) day.
 */
export const dutyCallAnswered = defineTemplate({
  name: 'duty-call-answered',
  params: z.object({ judge: z.enum(['answered', 'urgent', 'text']), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  silentWithout: () => ['contactRequests'],
  evaluate(f, params, emit) {
    const requests = f.record.contactRequests;
    if (requests === undefined || requests.length === 0) return;
    const { judge, within } = params();
    // The times as the record holds them matter only to a limit in hours.
    const inHours = within.unit === 'hours';
    const calls = dutyCalls(f);
    for (let i = 0; i < requests.length; i++) {
      const request = requests[i]!;
      if (judge === 'urgent' && request.urgent !== true) continue;
      const { asked, first, answeredOn } = calls[i]!;
      if (asked === undefined || asked > f.asOf) continue;
      if (judge === 'text') {
        const callBacks = request.callBacks;
        if (callBacks === undefined || callBacks.length === 0) continue;
        const location = `contactRequests[${i}]`;
        for (let j = 0; j < callBacks.length; j++) judgeTextAfterCallBack(f, emit, request, j, location);
        continue;
      }
      const location = `contactRequests[${i}]`;
      judgeDeadline(f, emit, {
        anchor: asked,
        anchorAt: inHours ? { value: request.at, path: `${location}.at` } : undefined,
        done: answeredOn,
        doneAt: inHours && first !== undefined ? responseAt(request, first, location) : undefined,
        limit: within,
        what: 'The caller was answered or called back',
        notDone: 'The caller has not been answered or called back',
        since: 'the call',
        location,
      });
    }
  },
});

export const dutyTemplates = [callAfterTriage, assessmentDiscussedSameDay, dutyCallAnswered];
