/** Signals on contacts, reviews, coordination and carers (practice evidence §2D to §2H, §2J row 85). */
import { z } from 'zod';
import { durationParam } from '../../compliance/params.js';
import { defineTemplate, type RuleTemplate } from '../../compliance/template.js';
import { addDays, addMonths, birthdayOfAge, daysBetween, type IsoDate } from '../../time/dates.js';
import { dueDate, formatDuration } from '../../time/duration.js';
import { appointmentCovers } from '../../timeline/timeline.js';
import type { WordLists } from '../word-lists.js';
import { eachCurrentPlan, noParams, planSignal, plural } from './common.js';

export function careSignals(words: WordLists): RuleTemplate<unknown>[] {
  return [
    planSignal('quality-crisis-contacts-services-only', 'The crisis plan names someone beyond services.', (_f, plan) => {
      const contacts = plan.crisisPlan?.contacts;
      if (contacts === undefined) return { skip: 'No crisis contacts recorded.' };
      return contacts.every((c) => c.organisation !== undefined) ? 'Every crisis contact is a service; no personal contact (friend, family) is named.' : undefined;
    }),
    planSignal('quality-no-round-the-clock-contact', 'A crisis contact is available at any hour.', (_f, plan) => {
      const contacts = plan.crisisPlan?.contacts;
      if (contacts === undefined) return { skip: 'No crisis contacts recorded.' };
      return contacts.some((c) => c.hours !== undefined && words.alwaysAvailable.has(c.hours))
        ? undefined
        : 'No crisis contact is recorded as available out of hours or around the clock.';
    }),
    defineTemplate({
      name: 'quality-no-review-after-change',
      params: z.object({ within: durationParam }).strict(),
      evaluate(f, params, emit) {
        const { within } = params();
        const events: { on: IsoDate; what: string; location: string }[] = [];
        for (const episode of f.record.episodes ?? []) {
          const at = `episodes[${f.indexOf(episode)}]`;
          episode.inpatientStays?.forEach((s, i) => {
            if (s.admittedOn) events.push({ on: s.admittedOn, what: 'admission to hospital', location: `${at}.inpatientStays[${i}]` });
            if (s.dischargedOn) events.push({ on: s.dischargedOn, what: 'discharge from hospital', location: `${at}.inpatientStays[${i}]` });
          });
          episode.transfers?.forEach((t, i) => events.push({ on: t.date, what: 'transfer of care', location: `${at}.transfers[${i}]` }));
        }
        for (const a of f.record.coordinatorAppointments ?? []) {
          if (!a.temporary && a.start !== undefined && a.changeReason !== undefined)
            events.push({ on: a.start, what: 'change of care coordinator', location: `coordinatorAppointments[${f.indexOf(a)}]` });
        }
        const made = f.madePlans.flatMap((p) => (p.madeOn === undefined ? [] : [p.madeOn]));
        for (const event of events.sort((a, b) => (a.on < b.on ? -1 : 1))) {
          if (event.on > f.asOf || !f.isRelevantPatientOn(event.on)) continue;
          const due = dueDate(event.on, within, f.calendar);
          if (made.some((d) => d >= event.on && d <= due)) emit.pass(`The plan was revised after the ${event.what}.`, event.location);
          else if (due < f.asOf) emit.fail(`No new version of the plan within ${formatDuration(within)} of a ${event.what}.`, event.location);
          else emit.notApplicable(`Less than ${formatDuration(within)} since the ${event.what}.`, event.location);
        }
      },
    }),
    defineTemplate({
      name: 'quality-review-request-refused',
      params: noParams,
      evaluate(f, _params, emit) {
        for (const review of f.record.reviews ?? []) {
          const decision = review.request?.decision;
          if (decision === undefined) continue;
          const location = `reviews[${f.indexOf(review)}].request`;
          if (decision.startsWith('refused') && (review.request!.requestedBy === 'patient' || review.request!.requestedBy === 'carer')) {
            emit.fail(`A review asked for by the ${review.request!.requestedBy === 'patient' ? 'person' : 'carer'} was refused.`, location);
          } else emit.pass('The request was not a refused request from the person or a carer.', location);
        }
      },
    }),
    defineTemplate({
      name: 'quality-late-notice-of-review',
      params: z.object({ minDays: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { minDays } = params();
        for (const review of f.record.reviews ?? []) {
          if (review.heldOn === undefined || review.patientInformedOn === undefined) continue;
          const location = `reviews[${f.indexOf(review)}].patientInformedOn`;
          const notice = daysBetween(review.patientInformedOn, review.heldOn);
          if (notice < minDays) emit.fail(`The person was told of the review ${notice} days before it; the signal fires below ${minDays}.`, location);
          else emit.pass(`The person was told of the review ${notice} days before it.`, location);
        }
      },
    }),
    defineTemplate({
      name: 'quality-large-meeting-young-person',
      params: z.object({ underAge: z.number().int().positive(), maxProfessionals: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { underAge, maxProfessionals } = params();
        for (const review of f.record.reviews ?? []) {
          if (review.heldOn === undefined || review.participants === undefined) continue;
          const age = f.ageOn(review.heldOn);
          if (age === undefined || age >= underAge) continue;
          const location = `reviews[${f.indexOf(review)}].participants`;
          const n = review.participants.filter((p) => p.kind === 'practitioner').length;
          if (n > maxProfessionals) emit.fail(`${n} professionals at the review of a person under ${underAge}; the signal fires above ${maxProfessionals}.`, location);
          else emit.pass(`${plural(n, 'professional')} at the review.`, location);
        }
      },
    }),
    defineTemplate({
      name: 'quality-coordinator-turnover',
      params: z.object({ maxChanges: z.number().int().min(0), months: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { maxChanges, months } = params();
        if (!f.isRelevantPatientOn(f.asOf)) return emit.notApplicable('Not in receipt of services on the evaluation date.');
        const since = addMonths(f.asOf, -months);
        const starts = (f.record.coordinatorAppointments ?? []).filter((a) => !a.temporary && a.start !== undefined && a.start > since && a.start <= f.asOf);
        const changes = Math.max(0, starts.length - ((f.record.coordinatorAppointments ?? []).some((a) => !a.temporary && a.start !== undefined && a.start <= since) ? 0 : 1));
        if (changes > maxChanges)
          emit.fail(`${changes} changes of care coordinator in the last ${months} months; the signal fires above ${maxChanges}.`, 'coordinatorAppointments');
        else emit.pass(`${plural(changes, 'change')} of care coordinator in the last ${months} months.`, 'coordinatorAppointments');
      },
    }),
    defineTemplate({
      name: 'quality-coordinator-not-seen',
      params: z.object({ months: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { months } = params();
        const since = addMonths(f.asOf, -months);
        for (const appointment of f.appointmentsOn(f.asOf)) {
          const location = `coordinatorAppointments[${f.indexOf(appointment)}]`;
          if (appointment.start === undefined || appointment.start > since) {
            emit.notApplicable(`Appointed less than ${months} months ago.`, location);
            continue;
          }
          const seen = f.contacts.some((c) => c.encounter.practitioner === appointment.practitioner && c.date > since && c.date <= f.asOf);
          if (seen) emit.pass('The care coordinator has seen the person recently.', location);
          else emit.fail(`No contact between the person and their care coordinator is recorded in the last ${months} months.`, location);
        }
      },
    }),
    defineTemplate({
      name: 'quality-no-contact-no-cover',
      params: z.object({ weeks: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { weeks } = params();
        if (!f.isRelevantPatientOn(f.asOf)) return emit.notApplicable('Not in receipt of services on the evaluation date.');
        const since = addDays(f.asOf, -7 * weeks);
        const last = f.contacts.filter((c) => c.date <= f.asOf).at(-1);
        const covered = (f.record.coordinatorAppointments ?? []).some((a) => a.temporary === true && appointmentCovers(a, f.asOf));
        const started = f.episodesActiveOn(f.asOf).some((e) => e.acceptedOn !== undefined && e.acceptedOn > since);
        if (started) return emit.notApplicable(`In services for less than ${weeks} weeks.`);
        if ((last === undefined || last.date < since) && !covered)
          emit.fail(`No contact in the last ${weeks} weeks and no temporary care coordinator covering.`, 'encounters');
        else emit.pass('Recent contact, or cover in place.', 'encounters');
      },
    }),
    defineTemplate({
      name: 'quality-discharge-after-missed-appointment',
      params: z.object({ withinDays: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { withinDays } = params();
        for (const episode of f.record.episodes ?? []) {
          const discharged = episode.discharge?.date;
          if (discharged === undefined || discharged > f.asOf) continue;
          const location = `episodes[${f.indexOf(episode)}].discharge`;
          const missed = (f.record.encounters ?? [])
            .filter((e) => e.status === 'did-not-attend' && e.start !== undefined)
            .map((e) => e.start!.slice(0, 10))
            .filter((d) => d <= discharged && d >= addDays(discharged, -withinDays))
            .sort();
          if (missed.length === 0) {
            emit.pass('No missed appointment shortly before the discharge.', location);
            continue;
          }
          const outreach = f.contacts.some((c) => c.date > missed[0]! && c.date <= discharged);
          if (outreach) emit.pass('A contact is recorded between the missed appointment and the discharge.', location);
          else emit.fail(`Discharged within ${withinDays} days of a missed appointment, with no contact recorded in between.`, location);
        }
      },
    }),
    defineTemplate({
      name: 'quality-discharge-on-custody',
      params: z.object({ withinDays: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { withinDays } = params();
        for (const episode of f.record.episodes ?? []) {
          const discharged = episode.discharge?.date;
          if (discharged === undefined || discharged > f.asOf || episode.custody === undefined) continue;
          const location = `episodes[${f.indexOf(episode)}].discharge`;
          const near = episode.custody.some((c) => c.enteredOn !== undefined && Math.abs(daysBetween(c.enteredOn, discharged)) <= withinDays);
          if (near) emit.fail(`Discharged within ${withinDays} days of going into custody.`, location);
          else emit.pass('The discharge was not close to a time in custody.', location);
        }
      },
    }),
    defineTemplate({
      name: 'quality-carer-not-involved',
      params: noParams,
      evaluate(f, _params, emit) {
        const carers = (f.record.relatedPeople ?? []).filter((p) => p.roles?.some((r) => r === 'carer' || r === 'adult-placement-carer'));
        const declined = f.record.patient?.informationSharing?.status === 'declined';
        eachCurrentPlan(f, emit, 'Each carer was consulted or given a copy.', (plan) => {
          if (carers.length === 0) return { skip: 'No carer recorded.' };
          if (declined) return { skip: 'The person declined information sharing.' };
          const involved = new Set([
            ...(plan.consultations ?? []).flatMap((c) => (c.consultee.kind === 'related-person' && c.consultee.id ? [c.consultee.id] : [])),
            ...(plan.copies ?? []).flatMap((c) => (c.recipient.kind === 'related-person' && c.recipient.id ? [c.recipient.id] : [])),
          ]);
          const left = carers.filter((c) => !involved.has(c.id)).length;
          return left > 0 ? `${plural(left, 'carer')} neither consulted on the plan nor sent a copy.` : undefined;
        });
      },
    }),
    defineTemplate({
      name: 'quality-transition-at-18',
      params: z.object({ monthsBefore: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { monthsBefore } = params();
        if (f.dateOfBirth === undefined || !f.isRelevantPatientOn(f.asOf)) return emit.notApplicable('Date of birth unknown, or not in services.');
        const eighteen = birthdayOfAge(f.dateOfBirth, 18);
        if (f.asOf >= eighteen || f.asOf < addMonths(eighteen, -monthsBefore)) return emit.notApplicable(`Not within ${monthsBefore} months of turning 18.`);
        const decided = f.record.patient?.informationSharing !== undefined || f.record.patient?.sharingDecisions !== undefined;
        if (decided) emit.pass('A decision on sharing information (and so on involving family) is recorded.', 'patient.informationSharing');
        else emit.fail('The person turns 18 soon and no decision on sharing information with family or carers is recorded.', 'patient.informationSharing');
      },
    }),
    defineTemplate({
      name: 'quality-cross-border',
      params: noParams,
      evaluate(f, _params, emit) {
        const patient = f.record.patient;
        if (patient === undefined) return emit.notApplicable('No person details recorded.');
        const englishArea = patient.localAuthorityOfResidence?.startsWith('E') === true;
        const gp = f.organisation(patient.registeredGpPractice)?.odsCode;
        const englishGp = gp !== undefined && /^[A-VX-Z]\d{5}$/.test(gp);
        if (englishArea || englishGp)
          emit.fail(
            `The person ${englishArea ? 'lives in England' : 'is registered with a GP practice in England'}; check that services on both sides of the border can see the plan.`,
            'patient',
          );
        else emit.pass('No cross-border residence or registration recorded.', 'patient');
      },
    }),
  ];
}
