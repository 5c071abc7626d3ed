/** The shape of the record's code lists: each code with its display (vocabulary.ts and the themed lists beside it). */

export interface VocabularyEntry {
  readonly display: string;
  readonly definition?: string;
  readonly welsh?: string;
}

export type Vocabulary = Readonly<Record<string, VocabularyEntry>>;

/** A list's codes, in its order, as a non-empty tuple (what z.enum takes). */
export function codesOf<T extends Vocabulary>(vocabulary: T): [keyof T & string, ...(keyof T & string)[]] {
  return Object.keys(vocabulary) as [keyof T & string, ...(keyof T & string)[]];
}
