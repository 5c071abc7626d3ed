/**
 * Text similarity for near-duplicate search: word shingles hashed to 32 bits, MinHash signatures
 * and locality-sensitive hashing (LSH) over them, so that similar texts among many are found
 * without comparing every pair. Candidates LSH proposes are confirmed on their exact shingle
 * sets, so a pair is reported only when its real Jaccard similarity reaches the threshold: LSH
 * may miss a pair near the threshold (with a probability set by bands and rows), never invent one.
 *
 * No npm package for MinHash is installed with pont; this is a small implementation of the
 * standard method (Broder 1997; Leskovec, Rajaraman and Ullman, Mining of Massive Datasets, ch. 3).
 */

export interface ShingleOptions {
  /** Words per shingle. */
  readonly size: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Lower-case words of a text (letters, digits and apostrophes), curly apostrophes made straight. */
export function normalisedWords(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[\u2018\u2019]/g, "'")
      .match(/[\p{L}\p{N}']+/gu) ?? []
  );
}

/** The distinct hashed shingles of a text, sorted ascending. A text shorter than one shingle is one shingle of all its words. */
export function shingles(text: string, options: ShingleOptions = { size: 3 }): Uint32Array {
  const w = normalisedWords(text);
  const hashes = new Set<number>();
  const last = Math.max(0, w.length - options.size);
  for (let i = 0; i <= last && w.length > 0; i++) {
    let h = FNV_OFFSET;
    const end = Math.min(w.length, i + options.size);
    for (let j = i; j < end; j++) {
      const word = w[j]!;
      for (let k = 0; k < word.length; k++) h = Math.imul(h ^ word.charCodeAt(k), FNV_PRIME);
      h = Math.imul(h ^ 0x20, FNV_PRIME);
    }
    hashes.add(h >>> 0);
  }
  return Uint32Array.from(hashes).sort();
}

/** How many hashes two sorted shingle sets share. */
function sharedCount(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared += 1;
      i += 1;
      j += 1;
    } else if (a[i]! < b[j]!) i += 1;
    else j += 1;
  }
  return shared;
}

/** Jaccard similarity of two sorted shingle sets: shared over all. Two empty sets are identical. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  const shared = sharedCount(a, b);
  return shared / (a.length + b.length - shared);
}

/** The share of `part`'s shingles that are also in `whole` (1 when `part` is empty): how far `whole` contains `part`. */
export function containment(part: Uint32Array, whole: Uint32Array): number {
  return part.length === 0 ? 1 : sharedCount(part, whole) / part.length;
}

/** Jaccard similarity of two texts' shingles. */
export function shingleSimilarity(a: string, b: string, options?: ShingleOptions): number {
  return jaccard(shingles(a, options), shingles(b, options));
}

/** A 32-bit mixing function (MurmurHash3's finaliser): each seed gives an independent-looking permutation. */
function mix(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface LshOptions {
  readonly bands: number;
  readonly rows: number;
}

/** The MinHash signature of a shingle set: for each of bands × rows hash functions, the least hash. */
export function minhash(set: Uint32Array, length: number): Uint32Array {
  const signature = new Uint32Array(length).fill(0xffffffff);
  for (let k = 0; k < length; k++) {
    const seed = Math.imul(k + 1, 0x9e3779b1) >>> 0;
    let least = 0xffffffff;
    for (let i = 0; i < set.length; i++) {
      const h = mix(set[i]!, seed);
      if (h < least) least = h;
    }
    signature[k] = least;
  }
  return signature;
}

/**
 * Groups of items linked by near-duplicate text: two items are linked when LSH over their MinHash
 * signatures puts them in one bucket and their exact Jaccard similarity reaches `threshold`; a
 * group is everything linked, directly or through others. Within a bucket each item is compared
 * with the bucket's first item only, so a bucket of m copies of one template costs m comparisons,
 * not m². Groups (of two or more) come out in order of their first item, each ascending.
 */
export function similarGroups(sets: readonly Uint32Array[], threshold: number, options: LshOptions): number[][] {
  const length = options.bands * options.rows;
  const parent = Int32Array.from(sets, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const signatures = sets.map((set) => (set.length === 0 ? undefined : minhash(set, length)));
  for (let band = 0; band < options.bands; band++) {
    const buckets = new Map<string, number>();
    sets.forEach((set, index) => {
      const signature = signatures[index];
      if (signature === undefined) return;
      let key = '';
      for (let r = 0; r < options.rows; r++) key += `${signature[band * options.rows + r]},`;
      const first = buckets.get(key);
      if (first === undefined) {
        buckets.set(key, index);
        return;
      }
      const a = find(first);
      const b = find(index);
      if (a !== b && jaccard(sets[first]!, set) >= threshold) parent[Math.max(a, b)] = Math.min(a, b);
    });
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < sets.length; i++) {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  return [...groups.values()].filter((g) => g.length > 1).sort((x, y) => x[0]! - y[0]!);
}
