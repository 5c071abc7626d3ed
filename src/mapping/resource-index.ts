/**
 * The resources one run of a mapping plans, by type and local id: what ref() and refKind()
 * resolve to. Look-ups go through a map per type, so no `Type/id` key is built per reference.
 */
export class ResourceIndex {
  /** `Type/localId` → reference, in the order the resources were planned. */
  private readonly byKey = new Map<string, string>();
  private readonly byType = new Map<string, Map<string, string>>();

  has(type: string, localId: string): boolean {
    return this.byType.get(type)?.has(localId) === true;
  }

  add(type: string, localId: string, reference: string): void {
    this.byKey.set(`${type}/${localId}`, reference);
    let ofType = this.byType.get(type);
    if (ofType === undefined) this.byType.set(type, (ofType = new Map()));
    ofType.set(localId, reference);
  }

  reference(type: string, localId: string): string | undefined {
    return this.byType.get(type)?.get(localId);
  }

  /** Every reference in planning order, optionally leaving out one resource type. */
  references(exceptType?: string): string[] {
    const prefix = `${exceptType}/`;
    const out: string[] = [];
    for (const [key, reference] of this.byKey) if (!exceptType || !key.startsWith(prefix)) out.push(reference);
    return out;
  }
}
