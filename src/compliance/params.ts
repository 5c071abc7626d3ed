/** Parameter parsers shared by rule templates. */
import { z } from 'zod';
import { DURATION_FORMAT, type Duration, parseDuration } from '../time/duration.js';

export const durationParam = z.string().transform((text, ctx): Duration => {
  const d = parseDuration(text);
  if (!d) {
    ctx.addIssue({ code: 'custom', message: `must be ${DURATION_FORMAT}` });
    return z.NEVER;
  }
  return d;
});
