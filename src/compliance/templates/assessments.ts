/** Assessments of needs, strengths and risks (Code of Practice chapter 2, 4.13, 4.45). */
import { z } from 'zod';
import { areaOfLifeVocabulary, riskCategories, riskCategoryVocabulary, statutoryAreasOfLife } from '../../record/vocabulary.js';
import type { RecordFacts } from '../facts.js';
import { defineTemplate } from '../template.js';
import { joinAnd, lowerFirst } from './wording.js';

type Assessment = NonNullable<RecordFacts['record']['assessments']>[number];

function eachAssessment(f: RecordFacts, visit: (a: Assessment, location: string) => void): void {
  (f.record.assessments ?? []).forEach((a, i) => visit(a, `assessments[${i}]`));
}

export const assessmentCoversAreas = defineTemplate({
  name: 'assessment-covers-areas',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    eachAssessment(f, (a, location) => {
      const covered = new Set((a.areas ?? []).map((x) => x.area));
      const missing = statutoryAreasOfLife.filter((area) => !covered.has(area));
      if (missing.length === 0) emit.pass('Every one of the eight areas of life was considered.', `${location}.areas`);
      else
        emit.fail(
          `The assessment at ${location} has no entry for ${missing.length} of the eight areas of life: ${joinAnd(missing.map((m) => lowerFirst(areaOfLifeVocabulary[m].display)))}.`,
          `${location}.areas`,
        );
    });
  },
});

export const assessmentStrengths = defineTemplate({
  name: 'assessment-strengths',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    eachAssessment(f, (a, location) => {
      if (!a.areas) return;
      if (a.areas.some((x) => x.findings.includes('strength'))) emit.pass('Strengths were identified alongside needs and risks.', `${location}.areas`);
      else emit.fail('The assessment records needs or risks but no strengths.', `${location}.areas`);
    });
  },
});

export const assessmentViews = defineTemplate({
  name: 'assessment-views',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    const carers = (f.record.relatedPeople ?? []).filter((p) => !p.isPaidOrVolunteer && p.roles?.some((r) => r === 'carer' || r === 'adult-placement-carer'));
    eachAssessment(f, (a, location) => {
      if (a.patientViews === undefined) return emit.fail('The assessment does not record the person’s views and ambitions.', `${location}.patientViews`);
      const unheard = carers.filter((c) => !a.carerViews?.some((v) => v.person === c.id && (v.views !== undefined || v.notSoughtReason !== undefined)));
      if (unheard.length > 0)
        emit.fail(
          `The assessment at ${location} records, for the ${unheard.length === 1 ? 'carer' : 'carers'} at ${joinAnd(unheard.map((c) => `relatedPeople[${f.indexOf(c)}]`))}, neither their views nor why they were not sought.`,
          `${location}.carerViews`,
        );
      else emit.pass('The person’s views, and each carer’s views or why they were not sought, are recorded.', location);
    });
  },
});

export const assessmentRisks = defineTemplate({
  name: 'assessment-risks',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    eachAssessment(f, (a, location) => {
      if (a.kind === 'other') return;
      const covered = new Set((a.risks ?? []).map((r) => r.category));
      const missing = riskCategories.filter((c) => !covered.has(c));
      if (missing.length === 0) emit.pass('All nine categories of risk were assessed.', `${location}.risks`);
      else
        emit.fail(
          `The assessment at ${location} does not assess ${missing.length} of the nine categories of risk: ${joinAnd(missing.map((m) => lowerFirst(riskCategoryVocabulary[m].display)))}.`,
          `${location}.risks`,
        );
    });
  },
});

export const assessmentFinance = defineTemplate({
  name: 'assessment-finance',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    eachAssessment(f, (a, location) => {
      if (!a.areas?.some((x) => x.area === 'finance-money')) return;
      const finance = a.finance;
      if (!finance) emit.fail('The assessment of finance does not say whether a donee or deputy is in place.', `${location}.finance`);
      else if (finance.doneeOrDeputyInPlace && finance.powersIncludeFinance === undefined)
        emit.fail('A donee or deputy is in place, but whether their powers include financial matters is not recorded.', `${location}.finance.powersIncludeFinance`);
      else emit.pass('The assessment of finance records whether a donee or deputy is in place, and their powers.', `${location}.finance`);
    });
  },
});

export const assessmentCapacity = defineTemplate({
  name: 'assessment-capacity',
  params: z.object({}).strict(),
  evaluate(f, _params, emit) {
    eachAssessment(f, (a, location) => {
      if (a.capacity?.lacksCapacity !== true) return;
      if (a.capacity.bestInterestsRecordedOn !== undefined) emit.pass('The person lacks capacity and the best-interests decision is recorded.', `${location}.capacity`);
      else emit.fail('The person lacks capacity to take part, but no best-interests decision is recorded.', `${location}.capacity.bestInterestsRecordedOn`);
    });
  },
});

export const assessmentTemplates = [assessmentCoversAreas, assessmentStrengths, assessmentViews, assessmentRisks, assessmentFinance, assessmentCapacity];
