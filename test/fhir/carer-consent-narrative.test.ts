/** The narrative of a decision on sharing with a carer names the carer, the decision and when. */
import { describe, expect, it } from 'vitest';
import { readableDate } from '../../src/fhir/narrative.js';
import { compliantRecord, variant } from '../compliance/helpers.js';
import { narrativeText } from '../helpers/narrative.js';
import { testRuntime } from '../helpers/runtime.js';

describe('the narrative of a decision on sharing with a carer', () => {
  const { pipeline } = testRuntime();
  it('shows the decision, the carer by name and the day', () => {
    const record = variant((r) => (r.relatedPeople![0]!.sharingConsent = [{ decision: 'declined', recordedOn: '2025-03-01' }]), compliantRecord());
    const consent = pipeline
      .toBundle(record)
      .bundle!.entry!.map((e) => e.resource as { resourceType: string; text?: { div?: string } })
      .find((r) => r.resourceType === 'Consent');
    const text = narrativeText(consent?.text?.div ?? '');
    expect(text).toContain('Sharing decision: declined');
    expect(text).toContain('Carer Person');
    expect(text).toContain(readableDate('2025-03-01'));
  });
});
