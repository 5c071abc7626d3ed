/**
 * Signals on keeping the person informed and involved that rest on evidence the record gained for
 * them (practice evidence §2 rows 32, 41, 60, 75): cancellations, interpreters, contacts whose
 * relationship has ended and disputed plans.
 */
import { z } from 'zod';
import { defineTemplate, type RuleTemplate } from '../../compliance/template.js';
import { londonMidnight, momentOf } from '../../time/elapsed.js';

const HOUR_MS = 3_600_000;

export function involvementSignals(): RuleTemplate<unknown>[] {
  return [
    defineTemplate({
      name: 'quality-cancelled-without-notice',
      params: z.object({ minHoursNotice: z.number().min(0) }).strict(),
      evaluate(f, params, emit) {
        const { minHoursNotice } = params();
        const notice = minHoursNotice * HOUR_MS;
        for (const encounter of f.record.encounters ?? []) {
          if (encounter.status !== 'cancelled' || encounter.cancellation?.by !== 'service') continue;
          const location = `encounters[${f.indexOf(encounter)}].cancellation`;
          const start = encounter.start === undefined ? undefined : momentOf(encounter.start);
          if (start === undefined || start.end > londonMidnight(f.asOf)) {
            emit.notApplicable('The contact’s start is not known to the day, or is not yet past.', location);
            continue;
          }
          const told = encounter.cancellation.personToldAt;
          if (told === undefined) {
            emit.fail('The service cancelled the contact and the record does not say the person was told.', location);
            continue;
          }
          const at = momentOf(told);
          const wanted = notice === 0 ? 'before it was due to start' : `at least ${minHoursNotice} hours before it was due to start`;
          if (at === undefined) emit.notApplicable('When the person was told is not known to the day.', location);
          else if (at.end - 1 + notice < start.start) emit.pass(`The person was told of the cancellation ${wanted}.`, location);
          else if (at.start + notice >= start.end) emit.fail(`The service cancelled the contact and the person was not told ${wanted}.`, location);
          else emit.notApplicable('The times recorded do not show whether the person was told in time.', location);
        }
      },
    }),
  ];
}
