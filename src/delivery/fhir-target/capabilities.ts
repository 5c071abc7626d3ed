/**
 * What a FHIR target says it supports, from its CapabilityStatement (GET [base]/metadata): the
 * parts that decide how pont sends a change. What the statement leaves out is taken as the
 * cautious answer, except updateCreate, which few servers state and most allow.
 */

export interface TargetCapabilities {
  readonly transaction: boolean;
  readonly batch: boolean;
  /** `PUT Type?criteria` (else pont searches, then updates by id or creates). */
  conditionalUpdate(resourceType: string): boolean;
  /**
   * Conditional create (`If-None-Exist`) stated for the type: only then is a create trusted to find
   * the one the target holds, since a server that ignores the header would make a second.
   */
  conditionalCreate(resourceType: string): boolean;
  /** `PUT Type/id` creating a resource under pont's id. */
  updateCreate(resourceType: string): boolean;
  /** `DELETE Type/id`, only where the statement lists the interaction. */
  delete(resourceType: string): boolean;
}

interface RestResource {
  readonly type?: unknown;
  readonly conditionalUpdate?: unknown;
  readonly conditionalCreate?: unknown;
  readonly updateCreate?: unknown;
  readonly interaction?: { readonly code?: unknown }[];
}

export function parseCapabilities(statement: unknown): TargetCapabilities {
  const rest = ((statement as { rest?: unknown } | undefined)?.rest ?? []) as { mode?: unknown; interaction?: { code?: unknown }[]; resource?: RestResource[] }[];
  const server = Array.isArray(rest) ? rest.find((r) => r.mode === 'server') : undefined;
  const interactions = new Set((server?.interaction ?? []).map((i) => i.code));
  const resources = new Map((server?.resource ?? []).map((r) => [r.type, r]));
  return {
    transaction: interactions.has('transaction'),
    batch: interactions.has('batch'),
    conditionalUpdate: (type) => resources.get(type)?.conditionalUpdate === true,
    conditionalCreate: (type) => resources.get(type)?.conditionalCreate === true,
    updateCreate: (type) => resources.get(type)?.updateCreate !== false,
    delete: (type) => (resources.get(type)?.interaction ?? []).some((i) => i.code === 'delete'),
  };
}

/** The way a change goes to the target: the configured mode when the target supports it, else one request per resource. */
export function deliveryMode(configured: 'transaction' | 'batch' | 'per-resource', capabilities: TargetCapabilities): 'transaction' | 'batch' | 'per-resource' {
  if (configured === 'transaction' && capabilities.transaction) return 'transaction';
  if (configured === 'batch' && capabilities.batch) return 'batch';
  return 'per-resource';
}
