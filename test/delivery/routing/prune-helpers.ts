/** What the pruning tests share: pont's validator, and the keys a reference may name an entry by. */
import type { Bundle } from '@medplum/fhirtypes';
import { createValidator, type Validator } from '../../../src/fhir/validate.js';
import { loadProfiles } from '../../../src/profiles/load-profiles.js';
import { ROOT } from '../../helpers/runtime.js';

export const bundleValidator = (): Validator => createValidator(loadProfiles(`${ROOT}/profiles`));

/** Every fullUrl and `Type/id` of a Bundle's entries. */
export function internalKeys(bundle: Bundle): Set<string> {
  const keys = new Set<string>();
  for (const e of bundle.entry ?? []) {
    if (e.fullUrl !== undefined) keys.add(e.fullUrl);
    if (e.resource?.id !== undefined) keys.add(`${e.resource.resourceType}/${e.resource.id}`);
  }
  return keys;
}
