/**
 * Where an item a mapping visits sits in its input, in the input's own terms (`clients[0].referrals[1]`,
 * `Bundle.entry[3].resource`), found by identity: the item is the very object the input holds.
 * Error locations and traces use it instead of the mapping expression that selected the item,
 * which means nothing to whoever sent the input.
 */

/** The path of an object of the input, or undefined for a value that is not one of its objects. */
export type Locate = (item: unknown) => string | undefined;

/**
 * A locator over one input, which indexes the input on its first use only (most runs never ask).
 * FHIR input (a root with a `resourceType`) is named from its type: `Bundle.entry[0].resource`.
 */
export function inputLocator(root: unknown): Locate {
  let paths: WeakMap<object, string> | undefined;
  return (item) => {
    if (item === null || typeof item !== 'object') return undefined;
    paths ??= indexPaths(root);
    return paths.get(item);
  };
}

function indexPaths(root: unknown): WeakMap<object, string> {
  const paths = new WeakMap<object, string>();
  if (root === null || typeof root !== 'object') return paths;
  const type = (root as { resourceType?: unknown }).resourceType;
  const rootPath = typeof type === 'string' && /^[A-Z][A-Za-z]{0,63}$/.test(type) ? type : '';
  // Iterative, so that an input nested deeper than the stack allows is still indexed.
  const pending: [object, string][] = [[root, rootPath]];
  while (pending.length > 0) {
    const [node, path] = pending.pop()!;
    if (paths.has(node)) continue;
    paths.set(node, path);
    if (Array.isArray(node)) {
      node.forEach((child: unknown, i) => {
        if (child !== null && typeof child === 'object') pending.push([child, `${path}[${i}]`]);
      });
      continue;
    }
    for (const [key, child] of Object.entries(node)) {
      if (child !== null && typeof child === 'object') pending.push([child, joinKey(path, key)]);
    }
  }
  return paths;
}

/** A key as a path step; a key that is not a plain name may be data, so it is shown as `['?']`. */
function joinKey(path: string, key: string): string {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/.test(key)) return `${path}['?']`;
  return path === '' ? key : `${path}.${key}`;
}
