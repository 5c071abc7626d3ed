/**
 * Letters the English trust policies time (ELFT §3, §11, §16, §20.1): after an assessment, a
 * consultation with a psychiatrist, a CPA review and a transfer of care, a letter of the given kind
 * to the given recipient within a time.
 */
import { z } from 'zod';
import { letterKinds, letterKindVocabulary, summaryRecipients, summaryRecipientVocabulary } from '../../record/english-plans-vocabulary.js';
import type { CtpRecord } from '../../record/record.schema.js';
import { addDays, type IsoDate } from '../../time/dates.js';
import { perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, judgeDeadline } from './common.js';
import { lowerFirst } from './wording.js';

type Letter = NonNullable<CtpRecord['letters']>[number];

interface Occasion {
  readonly on: IsoDate;
  readonly location: string;
  readonly since: string;
  /** Whether a letter is about this occasion: linked to it, or linked to nothing and sent on or after its day (a transfer's from 4 weeks before). */
  readonly about: (letter: Letter) => boolean;
}

const unlinked = (l: Letter) => l.encounter === undefined && l.review === undefined;

/** Transfers count letters from 4 weeks before (the review before a transfer, ELFT §20.1). */
const TRANSFER_LEAD_DAYS = 28;

function occasions(f: RecordFacts, after: OccasionKind): Occasion[] {
  if (after === 'review') {
    return (f.record.reviews ?? []).flatMap((review) => {
      const on = review.heldOn;
      if (on === undefined || on > f.asOf) return [];
      return [{ on, location: at.item(f, 'reviews', review), since: 'the review', about: (l: Letter) => l.review === review.id || (unlinked(l) && l.sentOn >= on) }];
    });
  }
  if (after === 'transfer') {
    return (f.record.episodes ?? []).flatMap((episode) =>
      (episode.transfers ?? []).flatMap((transfer, i) => {
        const on = transfer.date;
        if (on > f.asOf) return [];
        const from = addDays(on, -TRANSFER_LEAD_DAYS);
        return [{ on, location: `${at.item(f, 'episodes', episode)}.transfers[${i}]`, since: 'the transfer', about: (l: Letter) => unlinked(l) && l.sentOn >= from }];
      }),
    );
  }
  const found: Occasion[] = [];
  for (const contact of f.record.encounters ?? []) {
    if (contact.status !== 'finished' || contact.start === undefined) continue;
    const fits =
      after === 'assessment'
        ? contact.kind === 'assessment'
        : contact.kind !== 'review-meeting' && (contact.participants ?? []).some((p) => p.role === 'psychiatrist' && p.attended !== false);
    if (!fits) continue;
    const on = f.ukDateOf(contact.start);
    if (on === undefined || on > f.asOf) continue;
    const since = after === 'assessment' ? 'the assessment' : 'the consultation';
    found.push({ on, location: at.item(f, 'encounters', contact), since, about: (l: Letter) => l.encounter === contact.id || (unlinked(l) && l.sentOn >= on) });
  }
  return found;
}

const occasionKinds = ['assessment', 'psychiatrist-contact', 'review', 'transfer'] as const;
type OccasionKind = (typeof occasionKinds)[number];

/** The occasions of each kind, worked out once per person: several letter rules (to the person, to the GP) follow the same ones. */
const sharedOccasions: Record<OccasionKind, (f: RecordFacts) => readonly Occasion[]> = {
  assessment: perPerson((f) => occasions(f, 'assessment')),
  'psychiatrist-contact': perPerson((f) => occasions(f, 'psychiatrist-contact')),
  review: perPerson((f) => occasions(f, 'review')),
  transfer: perPerson((f) => occasions(f, 'transfer')),
};

/**
 * After each occasion, a letter of the given kind to the given recipient within a time (ELFT §11:
 * assessment outcomes to the person and the GP in 5 working days; §3: medical letters in 5 working
 * days; §16: the psychiatrist's letter on a CPA review in 5, a change of medication in 1; §20.1: a
 * letter confirming a transfer). With `medicationChanged`, only letters reporting a change of
 * medication are judged, and an occasion without one is not. A letter sent before the occasion's
 * day (a transfer's) counts from that day.
 */
export const letterAfter = defineTemplate({
  name: 'letter-after',
  params: z
    .object({
      kind: z.enum(letterKinds),
      after: z.enum(occasionKinds),
      to: z.enum(summaryRecipients),
      within: durationParam,
      medicationChanged: z.boolean().default(false),
    })
    .strict(),
  tightening: { within: 'lower' },
  evaluate(f, params, emit) {
    const { kind, after, to, within, medicationChanged } = params();
    const letters = (f.record.letters ?? []).filter((l) => l.kind === kind && l.sentOn <= f.asOf && (!medicationChanged || l.medicationChanged === true));
    const name = lowerFirst(letterKindVocabulary[kind].display);
    const who = `the ${lowerFirst(summaryRecipientVocabulary[to].display)}`;
    for (const occasion of sharedOccasions[after](f)) {
      const about = letters.filter(occasion.about);
      if (medicationChanged && about.length === 0) continue;
      const sent = about
        .filter((l) => l.to?.includes(to))
        .map((l) => l.sentOn)
        .sort()[0];
      const withoutRecipients = about.filter((l) => l.to === undefined);
      if (sent === undefined && withoutRecipients.length > 0) {
        emit.cannotEvaluate(
          withoutRecipients.map((l) => `${at.item(f, 'letters', l)}.to`),
          `Who the ${name} went to is not recorded.`,
          occasion.location,
        );
        continue;
      }
      judgeDeadline(f, emit, {
        anchor: occasion.on,
        done: sent === undefined || sent > occasion.on ? sent : occasion.on,
        limit: within,
        what: `The ${name} was sent to ${who}`,
        notDone: `No ${name} to ${who} is recorded`,
        since: occasion.since,
        location: occasion.location,
      });
    }
  },
});

export const englishLetterTemplates = [letterAfter];
