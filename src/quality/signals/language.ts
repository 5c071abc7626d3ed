/** Signals on language: plain words, template residue, readability and the Welsh language (practice evidence §2C rows 29–30, §2I). */
import { z } from 'zod';
import { defineTemplate, type RuleTemplate } from '../../compliance/template.js';
import type { PlanVersion } from '../../record/record.schema.js';
import { staffText, words as wordsOf } from '../plan-text.js';
import type { WordLists } from '../word-lists.js';
import { eachCurrentPlan, noParams, planSignal, plural } from './common.js';

/** Abbreviations in the plan whose meaning the plan never spells out. */
export function unexplainedAbbreviations(plan: PlanVersion, words: WordLists): string[] {
  const pieces = staffText(plan);
  const whole = pieces
    .map((p) => p.text)
    .join('\n')
    .toLowerCase();
  const found = new Set(pieces.flatMap((p) => words.abbreviations.all(p.text)));
  return [...found].filter((a) => !whole.includes(words.meaningOf(a)!.toLowerCase())).sort();
}

const prefersWelsh = (patient: { prefersWelsh?: boolean; preferredLanguage?: string } | undefined) =>
  patient?.prefersWelsh === true || patient?.preferredLanguage === 'cy' || patient?.preferredLanguage?.startsWith('cy-') === true;

export function languageSignals(words: WordLists): RuleTemplate<unknown>[] {
  return [
    planSignal('quality-placeholder-left', 'No template placeholder is left in the plan.', (_f, plan) => {
      const where = staffText(plan).filter((p) => words.placeholders.has(p.text));
      return where.length > 0
        ? `Template placeholders (such as "he/she" or "[name]") are left in ${plural(where.length, 'place')}: ${where.map((p) => p.path).join(', ')}.`
        : undefined;
    }),
    planSignal('quality-unexplained-abbreviation', 'Every abbreviation in the plan is explained.', (_f, plan) => {
      const found = unexplainedAbbreviations(plan, words);
      return found.length > 0 ? `Abbreviations not explained anywhere in the plan: ${found.join(', ')}.` : undefined;
    }),
    planSignal('quality-jargon', 'The plan avoids clinical jargon.', (_f, plan) => {
      const found = [...new Set(staffText(plan).flatMap((p) => words.jargon.all(p.text)))].sort();
      return found.length > 0 ? `Clinical terms a person may not know: ${found.join(', ')}.` : undefined;
    }),
    defineTemplate({
      name: 'quality-hard-to-read',
      params: z.object({ longWordLetters: z.number().int().positive(), maxLongWordShare: z.number().gt(0).max(1), minWords: z.number().int().positive() }).strict(),
      evaluate(f, params, emit) {
        const { longWordLetters, maxLongWordShare, minWords } = params();
        eachCurrentPlan(f, emit, 'The plan’s wording is plain.', (plan) => {
          const all = staffText(plan).flatMap((p) => wordsOf(p.text));
          if (all.length < minWords) return { skip: `Fewer than ${minWords} words to judge.` };
          const share = all.filter((w) => w.length >= longWordLetters).length / all.length;
          return share > maxLongWordShare
            ? `${Math.round(share * 100)}% of the plan’s words have ${longWordLetters} letters or more (the signal fires above ${Math.round(maxLongWordShare * 100)}%).`
            : undefined;
        });
      },
    }),
    planSignal('quality-welsh-plan', 'The person’s language preference is met by the plan and its copies.', (f, plan) => {
      if (!prefersWelsh(f.record.patient)) return { skip: 'The person’s preferred language is not Welsh.' };
      if (plan.language === undefined) return { skip: 'The plan’s language is not recorded.' };
      if (plan.language !== 'en') return undefined;
      const copies = (plan.copies ?? []).filter((c) => c.recipientRole === 'patient' && (c.status === 'sent' || c.status === 'partial')).length;
      return `The person prefers Welsh but the plan is in English only${copies > 0 ? ', and the copy they were given was in English' : ''}.`;
    }),
    defineTemplate({
      name: 'quality-welsh-review',
      params: noParams,
      evaluate(f, _params, emit) {
        const welsh = prefersWelsh(f.record.patient);
        for (const review of f.record.reviews ?? []) {
          const location = `reviews[${f.indexOf(review)}]`;
          if (!welsh) {
            emit.notApplicable('The person’s preferred language is not Welsh.', location);
            continue;
          }
          if (review.heldOn === undefined || review.heldOn > f.asOf || review.participants === undefined) {
            emit.notApplicable('No held review meeting with its participants recorded.', location);
            continue;
          }
          const speakers = review.participants.filter((p) => p.kind === 'practitioner' && f.practitioner(p.id)?.speaksWelsh === true).length;
          if (speakers > 0) emit.pass('A Welsh-speaking practitioner took part in the review.', location);
          else emit.fail('The person prefers Welsh but no practitioner recorded as a Welsh speaker took part in the review meeting.', location);
        }
      },
    }),
    defineTemplate({
      name: 'quality-accessible-version',
      params: z.object({ underAge: z.number().int().positive(), icd10Prefixes: z.array(z.string().min(1)).min(1) }).strict(),
      evaluate(f, params, emit) {
        const { underAge, icd10Prefixes } = params();
        const needs = new Set((f.record.patient?.communicationNeeds ?? []).map((n) => n.kind));
        const cohort = (f.record.diagnoses ?? []).some((d) =>
          (d.code ?? []).some((c) => c.system.startsWith('http://hl7.org/fhir/sid/icd-10') && icd10Prefixes.some((p) => c.code.toUpperCase().startsWith(p))),
        );
        eachCurrentPlan(f, emit, 'An accessible version is recorded where the person is likely to need one.', (plan) => {
          const age = f.ageOn(plan.madeOn!);
          const young = age !== undefined && age < underAge;
          if (!young && !cohort) return { skip: 'Not a child, and no learning disability or dementia diagnosis recorded.' };
          return needs.has('easy-read') || needs.has('large-print') || needs.has('other')
            ? undefined
            : `The person is ${young ? `under ${underAge}` : 'recorded with a learning disability or dementia'}, but no easy-read or other accessible format is recorded.`;
        });
      },
    }),
  ];
}
