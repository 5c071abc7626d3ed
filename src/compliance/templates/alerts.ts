/**
 * Alerts on a person's record that call for something (English trust policies): who is told when
 * one is raised (ELFT §14.1, §23) and the team's review after disengagement, a refusal of contact
 * or a loss of contact (ELFT §14.1, §20.2, §20.3).
 */
import { z } from 'zod';
import { flagKinds, flagKindVocabulary, meetingRoles, meetingRoleVocabulary } from '../../record/english-vocabulary.js';
import type { IsoDate } from '../../time/dates.js';
import type { RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate, type Emit } from '../template.js';
import { at, judgeDeadline } from './common.js';
import { heldReviewDates } from './english.js';

type Flag = NonNullable<RecordFacts['record']['flags']>[number];

/** The alerts of the given kinds with the date each was raised; one with no date cannot be judged. */
function raisedAlerts(f: RecordFacts, emit: Emit, kinds: readonly string[]): { flag: Flag; raised: IsoDate; location: string }[] {
  const raised: { flag: Flag; raised: IsoDate; location: string }[] = [];
  for (const flag of f.record.flags ?? []) {
    if (!kinds.includes(flag.kind)) continue;
    const location = at.item(f, 'flags', flag);
    if (flag.start !== undefined) raised.push({ flag, raised: flag.start, location });
    else emit.cannotEvaluate([`${location}.start`], 'When the alert was raised is not recorded.', location);
  }
  return raised;
}

/**
 * Someone in a given part of the person's care is told when an alert of a given kind is raised,
 * within a time of its start (ELFT §23: the consultant of a safeguarding adult alert; §14.1: the
 * crisis and emergency duty teams the same day). A time of telling counts on its UK date.
 */
export const alertNotified = defineTemplate({
  name: 'alert-notified',
  params: z.object({ kinds: z.array(z.enum(flagKinds)).min(1), role: z.enum(meetingRoles), within: durationParam }).strict(),
  tightening: { within: 'lower' },
  silentWithout: () => ['flags'],
  evaluate(f, params, emit) {
    const { kinds, role, within } = params();
    const who = meetingRoleVocabulary[role].display.toLowerCase();
    for (const { flag, raised, location } of raisedAlerts(f, emit, kinds)) {
      const told = (flag.notified ?? [])
        .filter((n) => n.role === role)
        .map((n) => f.ukDateOf(n.at))
        .filter((d): d is IsoDate => d !== undefined)
        .sort()[0];
      judgeDeadline(f, emit, {
        anchor: raised,
        done: told,
        limit: within,
        what: `The alert was passed on to the ${who}`,
        notDone: `The alert has not been passed on to the ${who}`,
        since: 'it was raised',
        location,
      });
    }
  },
});

/** What must follow an alert: the days on which it happened, in order, and plain words for it. */
export interface AfterAlert {
  /** The days it happened, sorted; the first on or after the alert's day meets it. */
  readonly done: (f: RecordFacts) => readonly IsoDate[];
  readonly what: string;
  readonly notDone: string;
}

/** A template: an alert of one of the given kinds is followed by something within a time of its start. */
export function afterAlertTemplate(name: string, after: AfterAlert) {
  return defineTemplate({
    name,
    params: z.object({ kinds: z.array(z.enum(flagKinds)).min(1), within: durationParam }).strict(),
    tightening: { within: 'lower' },
    silentWithout: () => ['flags'],
    evaluate(f, params, emit) {
      const { kinds, within } = params();
      const alerts = raisedAlerts(f, emit, kinds);
      if (alerts.length === 0) return;
      const done = after.done(f);
      for (const { flag, raised, location } of alerts) {
        judgeDeadline(f, emit, {
          anchor: raised,
          done: done.find((d) => d >= raised),
          limit: within,
          what: after.what,
          notDone: after.notDone,
          since: `the ${flagKindVocabulary[flag.kind].display.toLowerCase()} alert was raised`,
          location,
        });
      }
    },
  });
}

/**
 * An alert of a given kind (disengagement, refusal or loss of contact) calls for a review of the
 * person's care by the team: a review held or a review meeting, within a time of the alert's start
 * (ELFT §14.1, §20.2, §20.3).
 */
export const reviewAfterAlert = afterAlertTemplate('review-after-alert', {
  done: heldReviewDates,
  what: 'The team reviewed the person’s care',
  notDone: 'The team has not reviewed the person’s care',
});

export const alertTemplates = [alertNotified, reviewAfterAlert];
