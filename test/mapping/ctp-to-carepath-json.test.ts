/**
 * mappings/ctp-to-carepath-json.yaml writes the canonical record as a CarePath MH export. What it
 * writes is read by the same parser and schema as any CarePath export (src/sources), and reading
 * it back gives the record it was written from: for every CarePath example, and for generated
 * records once they have been through CarePath's format (what the format cannot hold is listed
 * at the top of the mapping file and is the only difference).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, MappingError } from '../../src/errors/errors.js';
import { loadMappings } from '../../src/mapping/loader.js';
import { parseRecord } from '../../src/record/parse-record.js';
import type { CtpRecord } from '../../src/record/record.schema.js';
import { parseSource } from '../../src/sources/index.js';
import { ctpRecord } from '../helpers/arbitraries.js';
import { exampleText, ROOT, SCENARIOS } from '../sources/helpers.js';

const mappings = loadMappings(`${ROOT}mappings`);
const toCarePath = mappings.get('ctp-to-carepath-json')!;
const fromCarePath = mappings.get('carepath-json-to-ctp')!;

/** carepath-json text → its parsed documents (checked against CarePath's schema). */
const parse = (text: string) => parseSource('carepath-json', text, 'test');
/** carepath-json text → the canonical records, as the pipeline reads them. */
const read = (text: string): CtpRecord[] => parse(text).map((doc, i) => parseRecord(fromCarePath.toDocument(doc).document, `test#${i}`));
/** The canonical record → carepath-json text. */
const write = (record: CtpRecord): string => JSON.stringify(toCarePath.toDocument(record).document);

describe('ctp-to-carepath-json', () => {
  it('is found as the mapping from the canonical record to carepath-json', () => {
    expect(mappings.find('ctp', 'carepath-json')?.id).toBe('ctp-to-carepath-json');
  });

  it.each(SCENARIOS)('%s: carepath-json → ctp → carepath-json → ctp gives the same record', (scenario) => {
    const [record] = read(exampleText('carepath-json', scenario));
    expect(read(write(record!))).toEqual([record]);
  });

  it.each(SCENARIOS)('%s: the export written again is the original but for the export header’s version and the NHS number’s spaces', (scenario) => {
    const original = JSON.parse(exampleText('carepath-json', scenario));
    const [record] = read(exampleText('carepath-json', scenario));
    const written = JSON.parse(write(record!));
    expect(written.exportMeta.version).toBe('pont ctp-to-carepath-json 1.1.0');
    expect(written.client.NHSNumber).toBe(original.client.NHSNumber.replaceAll(' ', ''));
    expect(written).toEqual({
      ...original,
      exportMeta: { ...original.exportMeta, version: written.exportMeta.version },
      client: { ...original.client, NHSNumber: written.client.NHSNumber },
    });
  });

  it('carries what the source holds, mistakes included: an ineligible profession, email, both statements, a carer’s request, no services statement', () => {
    const [record] = read(exampleText('carepath-json', 'part3-self-referral'));
    const changed = structuredClone(record!);
    changed.coordinatorAppointments![0]!.profession = 'support-worker';
    const plan = changed.plans![0]!;
    plan.agreement = { ...plan.agreement, statement: 'both-marked' };
    if (plan.copies?.[0]) plan.copies[0].method = 'email';
    const request = changed.part3Requests![0]!;
    request.requester = 'carer';
    if (request.report) delete request.report.servicesIdentified;
    const written = JSON.parse(write(changed));
    expect(JSON.stringify(written)).toContain('"BOTH"');
    expect(read(JSON.stringify(written))).toEqual([changed]);
  });

  it('a record from another system gets the site code given for it; one from a CarePath site keeps its own', () => {
    const [record] = read(exampleText('carepath-json', 'plan-not-agreed'));
    expect(JSON.parse(write(record!)).exportMeta.siteCode).toBe(JSON.parse(exampleText('carepath-json', 'plan-not-agreed')).exportMeta.siteCode);
    const other = { ...record!, source: { ...record!.source, system: 'wpas' } };
    expect(JSON.parse(write(other)).exportMeta.siteCode).toBe('PONT');
    expect(JSON.parse(JSON.stringify(toCarePath.toDocument(other, { env: { siteCode: 'WPAS1' } }).document)).exportMeta.siteCode).toBe('WPAS1');
  });

  it('a record without a value CarePath requires is refused by CarePath’s schema, naming the field and not the data', () => {
    const [record] = read(exampleText('carepath-json', 'adult-all-eight-areas'));
    const organisations = record!.organisations!.map(({ kind: _kind, ...rest }, i) => (i === 0 ? rest : { ...rest, kind: _kind }));
    let error: unknown;
    try {
      parse(write({ ...record!, organisations }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(JSON.stringify((error as InputError).issues)).toContain('organisations[0].orgType');
    expect(JSON.stringify({ message: (error as Error).message, issues: (error as InputError).issues })).not.toContain(record!.organisations![0]!.name);
  });

  it('generated records: once through CarePath’s format, writing and reading again changes nothing', () => {
    let written = 0;
    fc.assert(
      fc.property(ctpRecord(), (generated) => {
        let first: string;
        try {
          first = write(generated);
          parse(first);
        } catch (err) {
          // A record CarePath cannot hold (a field it requires is absent, a code it has no entry for) is refused, never sent half.
          expect(err instanceof InputError || err instanceof MappingError).toBe(true);
          return;
        }
        written++;
        const [record] = read(first);
        const again = write(record!);
        expect(parse(again)).toEqual(parse(first));
        expect(read(again)).toEqual([record]);
      }),
      { numRuns: 150 },
    );
    // Most generated records can be written: the property is not met by refusing everything.
    expect(written).toBeGreaterThan(75);
  });
});

describe('the English evidence in a CarePath export', () => {
  /** An example export whose first referral carries the time of referral and a stay known only by its discharge. */
  const withEvidence = (change: (referral: Record<string, unknown>) => void = () => {}) => {
    const json = JSON.parse(exampleText('carepath-json', 'plan-not-agreed'));
    const referral = json.referrals[0];
    Object.assign(referral, { referralDate: '02/06/2023', referralTime: '16:45', utcOffset: '+01:00', referralPriority: 'URG' });
    json.appointments = [
      ...(json.appointments ?? []),
      { ApptID: 'appt-eng', type: 'CON', outcome: 'CANC', date: '05/06/2023', planned: 'N', cancelledBy: 'PT', referralId: referral.ReferralID },
    ];
    referral.admissions = [...(referral.admissions ?? []), { AdmissionID: 'adm-eng', dischargeDate: '20/06/2023', dischargeTime: '11:30', utcOffset: '+01:00' }];
    change(referral);
    return JSON.stringify(json);
  };

  it('reads the time of referral, a stay known only by its discharge time and an unplanned cancelled visit, and writes them back', () => {
    const [record] = read(withEvidence());
    const episode = record!.episodes![0]!;
    expect(episode.referral).toEqual({ receivedOn: '2023-06-02', receivedAt: '2023-06-02T16:45:00+01:00', priority: 'urgent' });
    expect(episode.inpatientStays!.at(-1)).toEqual({ id: 'adm-eng', dischargedOn: '2023-06-20', dischargedAt: '2023-06-20T11:30:00+01:00' });
    expect(record!.encounters!.find((e) => e.id === 'appt-eng')).toMatchObject({ status: 'cancelled', planned: false, cancellation: { by: 'patient' } });
    expect(read(write(record!))).toEqual([record]);
  });

  it('refuses a time without its offset, and a stay with neither date', () => {
    expect(() => read(withEvidence((r) => delete r.utcOffset))).toThrow(InputError);
    expect(() => read(withEvidence((r) => ((r.admissions as Record<string, unknown>[]).at(-1)!.dischargeDate = null)))).toThrow(InputError);
  });
});
