/**
 * Code lists for waiting lists (LPT Adult CMHT SOP §6.17.3, §6.23.7 and Appendix 13): which list,
 * the RAG rating that sets how often someone waiting is reviewed, the letters they are sent and
 * why a place ended. Re-exported by vocabulary.ts, so that the FHIR CodeSystems are generated from
 * them; each list ends with "other", as the vocabulary gives meaning and never refuses a record.
 */
import type { Vocabulary } from './vocabulary-entry.js';

const codes = <T extends Vocabulary>(vocabulary: T): [keyof T & string, ...(keyof T & string)[]] => Object.keys(vocabulary) as [keyof T & string, ...(keyof T & string)[]];

/** The list a person waits on (LPT SOP §6.17: the CPN waiting list; §6.23.7: community psychology). */
export const waitingListKindVocabulary = {
  cpn: { display: 'Community psychiatric nurse (CPN) waiting list' },
  psychology: { display: 'Community psychology waiting list' },
  other: { display: 'Other waiting list' },
} as const satisfies Vocabulary;
export const waitingListKinds = codes(waitingListKindVocabulary);

/** The RAG rating of someone waiting, by level of risk (LPT SOP Appendix 13). */
export const ragRatingVocabulary = {
  red: { display: 'Red' },
  amber: { display: 'Amber' },
  green: { display: 'Green' },
  other: { display: 'Other rating' },
} as const satisfies Vocabulary;
export const ragRatings = codes(ragRatingVocabulary);

/** A letter to someone waiting (LPT SOP §6.17.3, Appendix 5). */
export const waitingListLetterKindVocabulary = {
  'placed-on-list': { display: 'Placed on the waiting list' },
  'review-arranged': { display: 'Arranging a telephone review' },
  'expected-wait': { display: 'The expected wait, in place of telephone reviews' },
  other: { display: 'Other letter' },
} as const satisfies Vocabulary;
export const waitingListLetterKinds = codes(waitingListLetterKindVocabulary);

/** What a letter to someone waiting tells them (LPT SOP §6.17.3). */
export const waitingListLetterContentVocabulary = {
  'expected-wait': { display: 'How long the wait is expected to be' },
  'emergency-contacts': { display: 'How to get help in an emergency or if things get worse' },
  'review-date': { display: 'The date and time of a telephone review' },
  other: { display: 'Other content' },
} as const satisfies Vocabulary;
export const waitingListLetterContents = codes(waitingListLetterContentVocabulary);

/** Why a place on a waiting list ended (LPT SOP §6.17.3). */
export const waitingListEndReasonVocabulary = {
  allocated: { display: 'Allocated a worker or offered an appointment' },
  'moved-team': { display: 'Moved to another team’s list after a change of address or GP' },
  discharged: { display: 'Discharged' },
  other: { display: 'Other reason' },
} as const satisfies Vocabulary;
export const waitingListEndReasons = codes(waitingListEndReasonVocabulary);
