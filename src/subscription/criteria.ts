/**
 * Subscription.criteria as pont can honour it: care plan changes, all of them (`CarePlan`) or
 * those of CarePlans matching a few search parameters, ANDed, each value a comma-separated OR:
 * - `patient` (or `subject`): `Patient/{id}` or `{id}`, the id pont gives the person's Patient;
 * - `patient:identifier` (or `subject:identifier`): `system|value` or `value`, e.g. an NHS number;
 * - `category`: `system|code`, `code` or `|code`;
 * - `status`: a CarePlan status.
 * Anything else is refused, naming the parameter (never its value, which may be patient data).
 */
import type { Bundle, CarePlan, Coding, Identifier, OperationOutcomeIssue, Patient } from '@medplum/fhirtypes';
import { type BundleIndex, indexBundle } from './bundle-entries.js';

type Test = { readonly kind: 'patient'; readonly ids: readonly string[] } | { readonly kind: 'identifier' | 'category' | 'status'; readonly tokens: readonly Token[] };
interface Token {
  /** undefined: any system; '': no system. */
  readonly system?: string;
  readonly value: string;
}

export interface Criteria {
  readonly resourceType: 'CarePlan';
  readonly tests: readonly Test[];
}

const CARE_PLAN_STATUS = new Set(['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']);
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;
const EXPRESSION = ['Subscription.criteria'];

const refused = (diagnostics: string, code: OperationOutcomeIssue['code'] = 'not-supported'): { readonly issue: OperationOutcomeIssue } => ({
  issue: { severity: 'error', code, diagnostics, expression: EXPRESSION },
});

export function parseCriteria(text: string): { readonly criteria: Criteria } | { readonly issue: OperationOutcomeIssue } {
  const [type, query, ...more] = text.split('?');
  if (type !== 'CarePlan') return refused('pont offers subscriptions to CarePlan changes only: the criteria must be "CarePlan" or "CarePlan?…"');
  if (more.length > 0) return refused('the criteria hold more than one "?"', 'invalid');
  if (query === undefined || query === '') return { criteria: { resourceType: 'CarePlan', tests: [] } };
  const tests: Test[] = [];
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    let values: string[];
    try {
      values = decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1).replaceAll('+', ' ')).split(',');
    } catch {
      return refused(`the value of criteria parameter "${safeName(name)}" is not well-formed percent-encoding`, 'invalid');
    }
    if (values.some((v) => v === '')) return refused(`criteria parameter "${safeName(name)}" has an empty value`, 'invalid');
    const test = testOf(name, values);
    if ('issue' in test) return test;
    tests.push(test);
  }
  return { criteria: { resourceType: 'CarePlan', tests } };
}

/** A parameter name as it may be quoted in a message: only when it looks like one. */
function safeName(name: string): string {
  return /^[A-Za-z_:.-]{1,40}$/.test(name) ? name : '(unreadable)';
}

function testOf(name: string, values: readonly string[]): Test | { readonly issue: OperationOutcomeIssue } {
  switch (name) {
    case 'patient':
    case 'subject': {
      const ids = values.map((v) => v.replace(/^Patient\//, ''));
      if (!ids.every((id) => FHIR_ID.test(id))) return refused(`criteria parameter "${name}" takes Patient/{id} or {id}`, 'invalid');
      return { kind: 'patient', ids };
    }
    case 'patient:identifier':
    case 'subject:identifier':
      return { kind: 'identifier', tokens: values.map(token) };
    case 'category':
      return { kind: 'category', tokens: values.map(token) };
    case 'status':
      if (!values.every((v) => CARE_PLAN_STATUS.has(v))) return refused('criteria parameter "status" takes CarePlan statuses', 'invalid');
      return { kind: 'status', tokens: values.map((value) => ({ value })) };
    default:
      return refused(`criteria parameter "${safeName(name)}" is not one pont can honour; it offers patient, patient:identifier, category and status`);
  }
}

function token(text: string): Token {
  const bar = text.indexOf('|');
  return bar < 0 ? { value: text } : { system: text.slice(0, bar), value: text.slice(bar + 1) };
}

const tokenMatches = (t: Token, system: string | undefined, value: string | undefined): boolean =>
  value === t.value && (t.system === undefined || (t.system === '' ? system === undefined : system === t.system));

/** Whether a change (pont's Bundle of a record version) holds a CarePlan the criteria select. */
export function matchesCriteria(criteria: Criteria, bundle: Bundle, index: BundleIndex = indexBundle(bundle)): boolean {
  return index.entries.some((e) => {
    if (e.resourceType !== 'CarePlan') return false;
    const plan = e.resource as CarePlan;
    const subject = plan.subject?.reference === undefined ? undefined : index.resolve(plan.subject.reference);
    return criteria.tests.every((test) => {
      switch (test.kind) {
        case 'patient':
          return subject?.resourceType === 'Patient' && test.ids.includes(subject.id);
        case 'identifier': {
          const identifiers: Identifier[] = subject?.resourceType === 'Patient' ? ((subject.resource as Patient).identifier ?? []) : [];
          return test.tokens.some((t) => identifiers.some((i) => tokenMatches(t, i.system, i.value)));
        }
        case 'category': {
          const codings: Coding[] = (plan.category ?? []).flatMap((c) => c.coding ?? []);
          return test.tokens.some((t) => codings.some((c) => tokenMatches(t, c.system, c.code)));
        }
        case 'status':
          return test.tokens.some((t) => t.value === plan.status);
      }
      return false;
    });
  });
}
