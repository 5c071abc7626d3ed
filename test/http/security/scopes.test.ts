import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { covers, formatScope, PERMISSIONS, type Permission, parseScope, parseScopeList, permits, SCOPE_CONTEXTS, type Scope } from '../../../src/http/security/scopes.js';

const resourceType = fc.stringMatching(/^[A-Z][A-Za-z]{0,20}$/);
const typeOrWildcard = fc.oneof(resourceType, fc.constant('*'));
const permission = fc.constantFrom(...PERMISSIONS);
const permissionSet = fc.subarray([...PERMISSIONS], { minLength: 1 });
const V1 = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ['c', 'r', 'u', 'd', 's'] } as const;

const v2Scope: fc.Arbitrary<Scope> = fc.record({
  context: fc.constantFrom(...SCOPE_CONTEXTS),
  resourceType: typeOrWildcard,
  permissions: permissionSet,
  syntax: fc.constant('v2' as const),
});
const v1Scope: fc.Arbitrary<Scope> = fc.record({
  context: fc.constantFrom(...SCOPE_CONTEXTS),
  resourceType: typeOrWildcard,
  permissions: fc.constantFrom<readonly Permission[]>(...Object.values(V1)),
  syntax: fc.constant('v1' as const),
});

function parsed(text: string): Scope {
  const result = parseScope(text);
  if (!result.ok) throw new Error(result.problem);
  return result.scope;
}

describe('SMART scopes', () => {
  it('reads v1 and v2 scopes', () => {
    expect(parsed('system/CarePlan.read')).toEqual({ context: 'system', resourceType: 'CarePlan', permissions: ['r', 's'], syntax: 'v1' });
    expect(parsed('system/*.write')).toEqual({ context: 'system', resourceType: '*', permissions: ['c', 'u', 'd'], syntax: 'v1' });
    expect(parsed('system/*.*')).toEqual({ context: 'system', resourceType: '*', permissions: ['c', 'r', 'u', 'd', 's'], syntax: 'v1' });
    expect(parsed('system/CarePlan.rs')).toEqual({ context: 'system', resourceType: 'CarePlan', permissions: ['r', 's'], syntax: 'v2' });
    expect(parsed('patient/*.cruds').permissions).toEqual(['c', 'r', 'u', 'd', 's']);
  });

  it('refuses what is not a resource scope, letters out of order, and granular scopes, saying which', () => {
    for (const text of [
      'openid',
      'launch/patient',
      'system/carePlan.read',
      'system/CarePlan',
      'system/CarePlan.',
      'system/CarePlan.sr',
      'system/CarePlan.rr',
      'system/CarePlan.x',
      'org/*.read',
    ])
      expect(parseScope(text), text).toMatchObject({ ok: false, problem: expect.stringContaining(text) });
    expect(parseScope('system/Observation.rs?category=laboratory')).toMatchObject({ ok: false, problem: expect.stringMatching(/granular/) });
    expect(parseScopeList('system/*.read  openid system/Goal.s')).toMatchObject({
      scopes: [{ resourceType: '*' }, { resourceType: 'Goal' }],
      problems: [expect.stringContaining('openid')],
    });
  });

  it('v1 read grants what v2 rs grants, write what cud grants, * what cruds grants, on every type', () => {
    const pairs = [
      ['read', 'rs'],
      ['write', 'cud'],
      ['*', 'cruds'],
    ] as const;
    fc.assert(
      fc.property(typeOrWildcard, resourceType, permission, fc.constantFrom(...pairs), (granted, asked, p, [v1, v2]) => {
        expect(permits([parsed(`system/${granted}.${v1}`)], asked, p)).toBe(permits([parsed(`system/${granted}.${v2}`)], asked, p));
      }),
    );
  });

  it('a wildcard grants its permissions on every type, and nothing else', () => {
    fc.assert(
      fc.property(permissionSet, resourceType, permission, (letters, type, p) => {
        const wildcard = parsed(`system/*.${letters.join('')}`);
        expect(covers([wildcard], { context: 'system', resourceType: type, permissions: letters, syntax: 'v2' })).toBe(true);
        expect(permits([wildcard], type, p)).toBe(letters.includes(p));
      }),
    );
  });

  it('a named type grants nothing on another type nor on every type (*)', () => {
    fc.assert(
      fc.property(resourceType, resourceType, permission, (granted, asked, p) => {
        fc.pre(granted !== asked);
        expect(permits([parsed(`system/${granted}.cruds`)], asked, p)).toBe(false);
        expect(permits([parsed(`system/${granted}.cruds`)], '*', p)).toBe(false);
      }),
    );
  });

  it('grants only in its own context', () => {
    fc.assert(fc.property(resourceType, permission, (type, p) => !permits([parsed(`patient/${type}.cruds`)], type, p, 'system')));
  });

  it('reads back what it writes, and writes back what it reads', () => {
    fc.assert(
      fc.property(fc.oneof(v1Scope, v2Scope), (scope) => {
        expect(parseScope(formatScope(scope))).toEqual({ ok: true, scope });
        expect(formatScope(parsed(formatScope(scope)))).toBe(formatScope(scope));
      }),
    );
  });

  it('a scope set covers each of its own scopes, and several scopes together cover their union', () => {
    fc.assert(fc.property(fc.array(v2Scope, { minLength: 1, maxLength: 5 }), (scopes) => scopes.every((s) => covers(scopes, s))));
    expect(covers([parsed('system/CarePlan.r'), parsed('system/*.s')], parsed('system/CarePlan.rs'))).toBe(true);
    expect(covers([parsed('system/CarePlan.r')], parsed('system/CarePlan.rs'))).toBe(false);
  });
});
