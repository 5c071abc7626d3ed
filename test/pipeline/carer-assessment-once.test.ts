/**
 * The offer of a carer's assessment is held once, as relatedPeople[].carerAssessment (FHIR
 * extension carer-assessment); carer-support holds other support and has no code for it.
 */
import { describe, expect, it } from 'vitest';
import { carerSupportKinds } from '../../src/record/quality-vocabulary.js';
import { recordSchema } from '../../src/record/record.schema.js';
import { compliantRecord, variant } from '../compliance/helpers.js';
import { testRuntime } from '../helpers/runtime.js';

const SD = 'https://fhir.pont.wales/StructureDefinition/';
type Extension = { url: string; extension?: Extension[]; valueCode?: string };
type Resource = { resourceType: string; extension?: Extension[] };

describe("the offer of a carer's assessment, held once", () => {
  const { pipeline } = testRuntime();
  const record = variant((r) => {
    r.relatedPeople![0]!.carerSupport = [{ kind: 'information', offeredOn: '2025-01-10' }];
    r.relatedPeople![0]!.carerAssessment = { offeredOn: '2025-01-20', response: 'accepted', referredOn: '2025-02-01' };
  }, compliantRecord());

  it('is not a kind of carer support', () => {
    expect(carerSupportKinds).not.toContain('carer-assessment');
    const asSupport = structuredClone(record);
    (asSupport.relatedPeople![0]!.carerSupport as { kind: string }[])[0]!.kind = 'carer-assessment';
    expect(recordSchema.safeParse(asSupport).success).toBe(false);
  });

  it('is written only as the carer-assessment extension, and read back the same', () => {
    const { bundle } = pipeline.toBundle(record);
    const person = bundle!.entry!.map((e) => e.resource as Resource).find((r) => r.resourceType === 'RelatedPerson')!;
    const urls = (person.extension ?? []).map((e) => e.url).filter((u) => u.startsWith(`${SD}carer`));
    expect(urls.sort()).toEqual([`${SD}carer-assessment`, `${SD}carer-support`]);
    const kinds = (person.extension ?? []).filter((e) => e.url === `${SD}carer-support`).map((e) => e.extension!.find((x) => x.url === 'kind')!.valueCode);
    expect(kinds).toEqual(['information']);
    expect(pipeline.reverse(JSON.stringify(bundle), 'bundle').record).toEqual(record);
  });
});
