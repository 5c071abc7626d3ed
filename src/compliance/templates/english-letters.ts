/**
 * Letters the English trust policies time (ELFT §3, §11, §16, §20.1): after an assessment, a
 * consultation with a psychiatrist, a CPA review and a transfer of care, a letter of the given kind
 * to the given recipient within a time.
 */
import { z } from 'zod';
import { letterKinds, letterKindVocabulary, summaryRecipients, summaryRecipientVocabulary } from '../../record/english-plans-vocabulary.js';
import type { CtpRecord } from '../../record/record.schema.js';
import { addDays, type IsoDate } from '../../time/dates.js';
import { type Encounter, perPerson, type RecordFacts } from '../facts.js';
import { durationParam } from '../params.js';
import { defineTemplate } from '../template.js';
import { at, encounterLocation, judgeDeadline } from './common.js';
import { lowerFirst } from './wording.js';

type Letter = NonNullable<CtpRecord['letters']>[number];
type LetterKind = (typeof letterKinds)[number];
type SummaryRecipient = (typeof summaryRecipients)[number];

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

function occasions(f: RecordFacts, after: 'review' | 'transfer'): Occasion[] {
  const found: Occasion[] = [];
  if (after === 'review') {
    for (const review of f.record.reviews ?? []) {
      const on = review.heldOn;
      if (on === undefined || on > f.asOf) continue;
      found.push({ on, location: at.item(f, 'reviews', review), since: 'the review', about: (l: Letter) => l.review === review.id || (unlinked(l) && l.sentOn >= on) });
    }
    return found;
  }
  for (const episode of f.record.episodes ?? []) {
    const transfers = episode.transfers;
    if (transfers === undefined) continue;
    for (let i = 0; i < transfers.length; i++) {
      const on = transfers[i]!.date;
      if (on > f.asOf) continue;
      const from = addDays(on, -TRANSFER_LEAD_DAYS);
      found.push({ on, location: `${at.item(f, 'episodes', episode)}.transfers[${i}]`, since: 'the transfer', about: (l: Letter) => unlinked(l) && l.sentOn >= from });
    }
  }
  return found;
}

/**
 * The contacts letters follow, of both kinds in one pass over the encounters: finished
 * assessments, and finished contacts other than review meetings that a psychiatrist attended.
 */
const contactOccasions = perPerson((f): Record<'assessment' | 'psychiatrist-contact', Occasion[]> => {
  const found: Record<'assessment' | 'psychiatrist-contact', Occasion[]> = { assessment: [], 'psychiatrist-contact': [] };
  const encounters = f.record.encounters ?? [];
  for (let i = 0; i < encounters.length; i++) {
    const contact = encounters[i]!;
    // Most contacts are neither: told from their kind and participants alone.
    const kind = contact.kind;
    const participants = contact.participants;
    const assessment = kind === 'assessment';
    if (!assessment && participants === undefined) continue;
    if (contact.status !== 'finished' || contact.start === undefined) continue;
    const consultation = kind !== 'review-meeting' && participants !== undefined && psychiatristAttended(participants);
    if (!assessment && !consultation) continue;
    const on = f.ukDateOf(contact.start);
    if (on === undefined || on > f.asOf) continue;
    const location = encounterLocation(i);
    const about = (l: Letter) => l.encounter === contact.id || (unlinked(l) && l.sentOn >= on);
    if (assessment) found.assessment.push({ on, location, since: 'the assessment', about });
    if (consultation) found['psychiatrist-contact'].push({ on, location, since: 'the consultation', about });
  }
  return found;
});

/** Whether a psychiatrist took part in a contact (not recorded as absent). */
function psychiatristAttended(participants: NonNullable<Encounter['participants']>): boolean {
  for (const p of participants) if (p.role === 'psychiatrist' && p.attended !== false) return true;
  return false;
}

const occasionKinds = ['assessment', 'psychiatrist-contact', 'review', 'transfer'] as const;
type OccasionKind = (typeof occasionKinds)[number];

/** The occasions of each kind, worked out once per person: several letter rules (to the person, to the GP) follow the same ones. */
const sharedOccasions: Record<OccasionKind, (f: RecordFacts) => readonly Occasion[]> = {
  assessment: (f) => contactOccasions(f).assessment,
  'psychiatrist-contact': (f) => contactOccasions(f)['psychiatrist-contact'],
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
    .strict()
    .transform((p) => ({ ...p, wording: letterWording(p.kind, p.to) })),
  tightening: { within: 'lower' },
  // Reviews are the only occasions that come from a list of their own; a letter about a change of medication must be there to be judged.
  silentWithout: ({ after, medicationChanged }) => [...(after === 'review' ? (['reviews'] as const) : []), ...(medicationChanged ? (['letters'] as const) : [])],
  evaluate(f, params, emit) {
    const { kind, after, to, within, medicationChanged, wording } = params();
    const letters = lettersJudged(f, kind, medicationChanged);
    // Without a letter reporting a change of medication, no occasion is judged.
    if (medicationChanged && letters.length === 0) return;
    for (const occasion of sharedOccasions[after](f)) {
      // The first letter about the occasion sent to the recipient, and those whose recipients are not recorded.
      let about = 0;
      let sent: IsoDate | undefined;
      let withoutRecipients: Letter[] | undefined;
      for (const l of letters) {
        if (!occasion.about(l)) continue;
        about += 1;
        if (l.to === undefined) (withoutRecipients ??= []).push(l);
        else if (l.to.includes(to) && (sent === undefined || l.sentOn < sent)) sent = l.sentOn;
      }
      if (medicationChanged && about === 0) continue;
      if (sent === undefined && withoutRecipients !== undefined) {
        emit.cannotEvaluate(
          withoutRecipients.map((l) => `${at.item(f, 'letters', l)}.to`),
          wording.recipientsNotRecorded,
          occasion.location,
        );
        continue;
      }
      judgeDeadline(f, emit, {
        anchor: occasion.on,
        done: sent === undefined || sent > occasion.on ? sent : occasion.on,
        limit: within,
        what: wording.what,
        notDone: wording.notDone,
        since: occasion.since,
        location: occasion.location,
      });
    }
  },
});

/** The letters of a kind sent by the date of evaluation (with `medicationChanged`, those reporting a change of medication), in record order. */
function lettersJudged(f: RecordFacts, kind: LetterKind, medicationChanged: boolean): Letter[] {
  const judged: Letter[] = [];
  for (const l of f.record.letters ?? []) if (l.kind === kind && l.sentOn <= f.asOf && (!medicationChanged || l.medicationChanged === true)) judged.push(l);
  return judged;
}

/** What a letter rule says, worked out once per rule when its pack is compiled. */
function letterWording(kind: LetterKind, to: SummaryRecipient): { what: string; notDone: string; recipientsNotRecorded: string } {
  const name = lowerFirst(letterKindVocabulary[kind].display);
  const who = `the ${lowerFirst(summaryRecipientVocabulary[to].display)}`;
  return { what: `The ${name} was sent to ${who}`, notDone: `No ${name} to ${who} is recorded`, recipientsNotRecorded: `Who the ${name} went to is not recorded.` };
}

export const englishLetterTemplates = [letterAfter];
