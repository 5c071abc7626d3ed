/** A Subscription as a GP system would send it: rest-hook with a JSON payload and a bearer header. */
export function sampleSubscription(changes: Record<string, unknown> = {}) {
  return {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'care plans of our patients',
    criteria: 'CarePlan',
    channel: { type: 'rest-hook', endpoint: 'https://gp.example/fhir', payload: 'application/fhir+json', header: ['Authorization: Bearer abc'] },
    ...changes,
  };
}
