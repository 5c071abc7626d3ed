/**
 * How a referral is handled (English trust policies, ELFT §8, §11, §17): logged and triaged in time
 * and by whom, the person rung on the day and tried again, and a coordinator within 24 hours for
 * someone detained when referred.
 */
import { z } from 'zod';
import { meetingRoles, meetingRoleVocabulary, mhaSections } from '../../record/english-vocabulary.js';
import { referralRoutes } from '../../record/referral-vocabulary.js';
import type { IsoDate } from '../../time/dates.js';
import type { Duration } from '../../time/duration.js';
import type { Episode, RecordFacts } from '../facts.js';

type Referral = NonNullable<Episode['referral']>;
type Detention = NonNullable<NonNullable<Episode['inpatientStays']>[number]['detentions']>[number];

import { durationParam } from '../params.js';
import { defineTemplate, type Emit } from '../template.js';
import { at, contactDate, firstIndexFrom, judgeDeadline } from './common.js';

/**
 * A person detained under one of the given sections when referred has a usual care coordinator
 * within a time of the referral (ELFT §11: section 2, 24 hours), counted from the time of referral
 * where the record holds it. A detention of the section with no start date might cover the referral.
 */
export const allocatedWhenDetained = defineTemplate({
  name: 'allocated-when-detained',
  params: z.object({ sections: z.array(z.enum(mhaSections)).min(1), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  // Detentions are held on hospital stays.
  silentWithout: () => ['episodes.inpatientStays'],
  evaluate(f, params, emit) {
    const { sections, within } = params();
    const detentions: { d: Detention; path: string }[] = [];
    for (const episode of f.record.episodes ?? []) {
      for (const stay of episode.inpatientStays ?? []) {
        for (const d of stay.detentions ?? []) {
          if (sections.includes(d.section)) detentions.push({ d, path: `${at.item(f, 'episodes', episode)}.inpatientStays[${f.indexOf(stay)}].detentions[${f.indexOf(d)}]` });
        }
      }
    }
    if (detentions.length === 0) return;
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (referral === undefined || referral.receivedOn > f.asOf) continue;
      const on = referral.receivedOn;
      const location = `${at.item(f, 'episodes', episode)}.referral`;
      const covering = detentions.filter(({ d }) => d.start !== undefined && d.start <= on && (d.end === undefined || d.end >= on));
      if (covering.length === 0) {
        const undated = detentions.filter(({ d }) => d.start === undefined && (d.end === undefined || d.end >= on)).map(({ path }) => `${path}.start`);
        if (undated.length > 0) emit.cannotEvaluate(undated, 'A detention has no start date, so whether the person was detained when referred cannot be told.', location);
        continue;
      }
      const first = (f.record.coordinatorAppointments ?? [])
        .filter((a) => !a.temporary && a.start !== undefined && a.start >= on && (a.episode === undefined || a.episode === episode.id))
        .sort((a, b) => (a.start! < b.start! ? -1 : 1))[0];
      judgeDeadline(f, emit, {
        anchor: on,
        anchorAt: { value: referral.receivedAt ?? on, path: `${location}.receivedAt` },
        done: first?.start,
        doneAt: first ? { value: first.start!, path: `${at.item(f, 'coordinatorAppointments', first)}.start` } : undefined,
        limit: within,
        what: 'A care coordinator was allocated',
        notDone: 'No care coordinator has been allocated to the person detained when referred',
        since: 'the referral',
        location,
      });
    }
  },
});

/**
 * The day of the first finished contact on or after a day (after it, when `strictly`) that belongs
 * to the episode or to none. Contacts are in date order: the search starts at the day, found by halving.
 */
function firstContactOfEpisode(f: RecordFacts, episodeId: string, day: IsoDate, strictly: boolean): IsoDate | undefined {
  for (let i = firstIndexFrom(f.contacts, contactDate, day, strictly); i < f.contacts.length; i++) {
    const c = f.contacts[i]!;
    if (c.encounter.episode === undefined || c.encounter.episode === episodeId) return c.date;
  }
  return undefined;
}

/** The first day the person was rung, or reached by a finished contact, from the day the referral was received. */
function firstRung(f: RecordFacts, referral: Referral, episodeId: string): IsoDate | undefined {
  const on = referral.receivedOn;
  let rung: IsoDate | undefined;
  for (const a of referral.contactAttempts ?? []) {
    if (a.method !== 'telephone') continue;
    const day = f.ukDateOf(a.at);
    if (day !== undefined && day >= on && (rung === undefined || day < rung)) rung = day;
  }
  // Rung on the day itself (most referrals): no contact can come earlier, so none is looked for.
  if (rung === on) return rung;
  const contact = firstContactOfEpisode(f, episodeId, on, false);
  return contact !== undefined && (rung === undefined || contact < rung) ? contact : rung;
}

/**
 * The person is rung on the day the referral is received, and when no attempt that day reaches
 * them, tried again within a time (ELFT §17). A finished contact counts as reaching them.
 */
export const referralContactAttempts = defineTemplate({
  name: 'referral-contact-attempts',
  params: z.object({ attempt: z.enum(['first', 'again']), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (referral === undefined || referral.receivedOn > f.asOf) continue;
      const { attempt, within } = params(episode);
      const on = referral.receivedOn;
      if (attempt === 'first') {
        judgeDeadline(f, emit, {
          anchor: on,
          done: firstRung(f, referral, episode.id),
          limit: within,
          what: 'The person was rung',
          notDone: 'The person has not been rung',
          since: 'the referral was received',
          location: `${at.item(f, 'episodes', episode)}.referral`,
        });
        continue;
      }
      judgeTriedAgain(f, emit, episode, referral, within);
    }
  },
});

/**
 * When attempts on the day of the referral were made and none reached the person (nor did a
 * finished contact that day), the next attempt or finished contact after that day is judged.
 * The attempts are read in one pass, without lists: most referrals end at the day's attempts.
 */
function judgeTriedAgain(f: RecordFacts, emit: Emit, episode: Episode, referral: Referral, within: Duration): void {
  const on = referral.receivedOn;
  const attempts = referral.contactAttempts ?? [];
  let sameDay = 0;
  let unknown: number[] | undefined;
  let nextAttempt: IsoDate | undefined;
  for (let i = 0; i < attempts.length; i++) {
    const a = attempts[i]!;
    const day = f.ukDateOf(a.at);
    if (day === undefined || day < on) continue;
    if (day !== on) {
      if (nextAttempt === undefined || day < nextAttempt) nextAttempt = day;
      continue;
    }
    // An attempt that day reached the person: nothing more was needed.
    if (a.reached === true) return;
    sameDay += 1;
    if (a.reached === undefined) (unknown ??= []).push(i);
  }
  if (sameDay === 0 || firstContactOfEpisode(f, episode.id, on, false) === on) return;
  const location = `${at.item(f, 'episodes', episode)}.referral`;
  if (unknown !== undefined) {
    emit.cannotEvaluate(
      unknown.map((i) => `${location}.contactAttempts[${i}].reached`),
      'Whether the attempt on the day of referral reached the person is not recorded.',
      location,
    );
    return;
  }
  const later = firstContactOfEpisode(f, episode.id, on, true);
  const again = later !== undefined && (nextAttempt === undefined || later < nextAttempt) ? later : nextAttempt;
  judgeDeadline(f, emit, {
    anchor: on,
    done: again,
    limit: within,
    what: 'The person was tried again',
    notDone: 'No further attempt has been made to reach the person',
    since: 'the referral was received',
    location,
  });
}

/**
 * A referral's paperwork in time (ELFT §8; LPT SOP Appendix 17 for those that came by given
 * routes): logged on the system within a time of its receipt, or the rationale of its triage
 * recorded within a time of the triage, each counted from the times the record holds. A referral
 * with no logging time cannot be judged: held on the system, it was logged at some time.
 */
export const referralRecordedWithin = defineTemplate({
  name: 'referral-recorded-within',
  params: z.object({ what: z.enum(['logged', 'triage-rationale']), within: durationParam, routes: z.array(z.enum(referralRoutes)).min(1).optional() }).strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (referral === undefined || referral.receivedOn > f.asOf) continue;
      const { what, within, routes } = params(episode);
      if (routes !== undefined && (referral.route === undefined || !routes.includes(referral.route))) continue;
      const location = `${at.item(f, 'episodes', episode)}.referral`;
      const logged = what === 'logged';
      if (!logged && referral.triage === undefined) continue;
      const from = logged ? (referral.receivedAt ?? referral.receivedOn) : referral.triage!.at;
      const fromPath = logged ? `${location}.receivedAt` : `${location}.triage.at`;
      const done = logged ? referral.loggedAt : referral.triage!.rationaleRecordedAt;
      const donePath = logged ? `${location}.loggedAt` : `${location}.triage.rationaleRecordedAt`;
      const anchor = from === undefined ? undefined : f.ukDateOf(from);
      if (anchor === undefined || (logged && done === undefined)) {
        emit.cannotEvaluate(
          [anchor === undefined ? fromPath : donePath],
          logged ? 'When the referral was logged is not recorded.' : 'When the referral was triaged is not recorded.',
          location,
        );
        continue;
      }
      judgeDeadline(f, emit, {
        anchor,
        anchorAt: { value: from!, path: fromPath },
        // A limit in hours reads when it was done as the record holds it (doneAt): its UK date is for other limits.
        done: done === undefined || within.unit === 'hours' ? undefined : f.ukDateOf(done),
        doneAt: done === undefined ? undefined : { value: done, path: donePath },
        limit: within,
        what: logged ? 'The referral was logged' : 'The rationale for the triage decision was recorded',
        notDone: logged ? undefined : 'The rationale for the triage decision has not been recorded',
        since: logged ? 'it was received' : 'the triage',
        location,
      });
    }
  },
});

/** A referral is triaged by people in each of the given parts (ELFT §8: the team manager and the consultant). */
export const triagedBy = defineTemplate({
  name: 'triaged-by',
  params: z.object({ roles: z.array(z.enum(meetingRoles)).min(1) }).strict(),
  evaluate(f, params, emit) {
    const { roles } = params();
    for (const episode of f.record.episodes ?? []) {
      const referral = episode.referral;
      if (referral === undefined || referral.receivedOn > f.asOf) continue;
      const location = `${at.item(f, 'episodes', episode)}.referral`;
      const by = referral.triage?.by;
      if (by === undefined) {
        emit.cannotEvaluate([referral.triage === undefined ? `${location}.triage` : `${location}.triage.by`], 'Who triaged the referral is not recorded.', location);
        continue;
      }
      const missing = roles.filter((r) => !by.includes(r));
      if (missing.length === 0) emit.pass('The referral was triaged by everyone the policy names.', `${location}.triage.by`);
      else emit.fail(`The referral was triaged without: ${missing.map((r) => meetingRoleVocabulary[r].display.toLowerCase()).join('; ')}.`, `${location}.triage.by`);
    }
  },
});

export const referralHandlingTemplates = [allocatedWhenDetained, referralContactAttempts, referralRecordedWithin, triagedBy];
