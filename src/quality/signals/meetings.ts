/**
 * Signals on who was in a meeting about the person, and when (practice evidence §2 rows 49, 50):
 * professionals meeting without the person or their carer for part of it, and invitees the person
 * did not agree to.
 */
import { z } from 'zod';
import type { RecordFacts } from '../../compliance/facts.js';
import { defineTemplate, type RuleTemplate } from '../../compliance/template.js';
import { encounterKinds, meetingRoles } from '../../record/vocabulary.js';
import { hasTimeOfDay } from '../../time/elapsed.js';

type Encounter = NonNullable<RecordFacts['record']['encounters']>[number];
type Participant = NonNullable<Encounter['participants']>[number];

const MINUTE_MS = 60_000;

/** The meetings of the given kinds held by the evaluation date. */
function meetingsHeld(f: RecordFacts, kinds: readonly string[]): Encounter[] {
  return (f.record.encounters ?? []).filter(
    (e) => e.kind !== undefined && kinds.includes(e.kind) && e.status === 'finished' && e.start !== undefined && e.start.slice(0, 10) <= f.asOf,
  );
}

/** "The person" or "The carer (participant 3)": by role and place, never by name. */
function who(p: Participant, index: number): string {
  return p.role === 'patient' ? 'The person' : `The ${p.role.replace(/-/g, ' ')} (participant ${index + 1})`;
}

/** A participant's time in the room in ms since 1970, when both ends are held to the minute. */
function timeIn(p: Participant): [number, number] | undefined {
  const { start, end } = p.period ?? {};
  if (start === undefined || end === undefined || !hasTimeOfDay(start) || !hasTimeOfDay(end)) return undefined;
  return [Date.parse(start), Date.parse(end)];
}

/** Sorted, non-overlapping spans covering the same time as the given ones. */
function merge(spans: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** The time covered by `spans` (merged) outside `own` (merged). */
function timeOutside(spans: [number, number][], own: [number, number][]): number {
  let total = 0;
  for (const [s, e] of spans) {
    let length = e - s;
    for (const [a, b] of own) length -= Math.max(0, Math.min(e, b) - Math.max(s, a));
    total += length;
  }
  return total;
}

export function meetingSignals(): RuleTemplate<unknown>[] {
  return [
    defineTemplate({
      name: 'quality-part-of-meeting-without-person',
      params: z
        .object({
          kinds: z.array(z.enum(encounterKinds)).min(1),
          roles: z.array(z.enum(meetingRoles)).min(1),
          minMinutes: z.number().int().positive(),
        })
        .strict(),
      evaluate(f, params, emit) {
        const { kinds, roles, minMinutes } = params();
        for (const meeting of meetingsHeld(f, kinds)) {
          const at = `encounters[${f.indexOf(meeting)}]`;
          const participants = meeting.participants ?? [];
          const others = merge(participants.flatMap((p) => (roles.includes(p.role) ? [] : [timeIn(p)].filter((t) => t !== undefined))));
          if (others.length === 0) {
            emit.notApplicable('The record does not hold when those at the meeting were in the room.', at);
            continue;
          }
          // A person listed more than once (left and came back) is one person: the person by role, a carer by who they are.
          const watched = new Map<string, { first: number; spans: [number, number][]; untimed: boolean }>();
          participants.forEach((p, j) => {
            if (!roles.includes(p.role) || p.attended === false) return;
            const key = p.role === 'patient' ? 'patient' : (p.relatedPerson ?? p.practitioner ?? `#${j}`);
            const entry = watched.get(key) ?? { first: j, spans: [], untimed: false };
            const span = timeIn(p);
            if (span === undefined) entry.untimed = true;
            else entry.spans.push(span);
            watched.set(key, entry);
          });
          for (const { first, spans, untimed } of watched.values()) {
            const location = `${at}.participants[${first}]`;
            const name = who(participants[first]!, first);
            if (untimed || spans.length === 0) {
              emit.notApplicable(`${name} attended, but when they were in the room is not recorded.`, location);
              continue;
            }
            const minutes = Math.round(timeOutside(others, merge(spans)) / MINUTE_MS);
            if (minutes >= minMinutes)
              emit.fail(`${name} was out of the meeting for ${minutes} minutes while others met; the signal fires at ${minMinutes} minutes or more.`, location);
            else emit.pass(`${name} was in the room while the others met.`, location);
          }
        }
      },
    }),
    defineTemplate({
      name: 'quality-invitee-not-agreed',
      params: z.object({ kinds: z.array(z.enum(encounterKinds)).min(1), exemptRoles: z.array(z.enum(meetingRoles)) }).strict(),
      evaluate(f, params, emit) {
        const { kinds, exemptRoles } = params();
        for (const meeting of meetingsHeld(f, kinds)) {
          const at = `encounters[${f.indexOf(meeting)}]`;
          const participants = meeting.participants ?? [];
          if (!participants.some((p) => p.patientAgreed !== undefined)) {
            emit.notApplicable('The record does not hold whom the person agreed to invite to this meeting.', at);
            continue;
          }
          participants.forEach((p, j) => {
            if (exemptRoles.includes(p.role) || (p.invited !== true && p.attended !== true)) return;
            const location = `${at}.participants[${j}]`;
            const name = who(p, j);
            if (p.patientAgreed === true) emit.pass(`${name} was invited with the person’s agreement.`, location);
            else if (p.patientAgreed === false) emit.fail(`${name} was invited although the person did not agree.`, location);
            else emit.fail(`${name} was invited, and the record does not say the person agreed, though it says so for others.`, location);
          });
        }
      },
    }),
  ];
}
