// A persistent vector: a radix tree of 32-way nodes. `set` copies one node per level (depth ≤ 4 for
// 2^20 entries), so per-step cost is flat in the number of granules and unchanged subtrees are shared,
// which the incremental relation check relies on (same object ⇒ same content).

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

export interface PVec<T> {
  readonly size: number;
  readonly shift: number;
  readonly root: readonly unknown[];
}

export function pvecFrom<T>(items: readonly T[]): PVec<T> {
  let shift = 0;
  while (WIDTH << shift < items.length) shift += BITS;
  const build = (offset: number, sh: number): unknown[] => {
    if (sh === 0) return items.slice(offset, offset + WIDTH);
    const node: unknown[] = [];
    for (let i = 0; i < WIDTH && offset + (i << sh) < items.length; i++) node.push(build(offset + (i << sh), sh - BITS));
    return node;
  };
  return { size: items.length, shift, root: build(0, shift) };
}

export function pget<T>(v: PVec<T>, i: number): T {
  let node = v.root;
  for (let sh = v.shift; sh > 0; sh -= BITS) node = node[(i >>> sh) & MASK] as unknown[];
  return node[i & MASK] as T;
}

export function pset<T>(v: PVec<T>, i: number, value: T): PVec<T> {
  if (pget(v, i) === value) return v;
  // Copy the path from the root to the leaf (one node per level), iteratively: this is the hot path.
  const root = v.root.slice();
  let copy = root;
  for (let sh = v.shift; sh > 0; sh -= BITS) {
    const j = (i >>> sh) & MASK;
    const child = (copy[j] as unknown[]).slice();
    copy[j] = child;
    copy = child;
  }
  copy[i & MASK] = value;
  return { size: v.size, shift: v.shift, root };
}

/** Calls f for each index whose leaf differs (by identity) between a and b (same size). */
export function pdiff<T>(a: PVec<T>, b: PVec<T>, f: (i: number, x: T, y: T) => void): void {
  if (a === b) return;
  // Several checkers diff the same pair of versions after a step (the step's pre and post state): the
  // last two pairs' differences are kept (versions are immutable, so a pair's differences never change).
  let d = memo[0].a === a && memo[0].b === b ? memo[0] : memo[1].a === a && memo[1].b === b ? memo[1] : null;
  if (!d) {
    const idx: number[] = [], xs: unknown[] = [], ys: unknown[] = [];
    const rec = (x: readonly unknown[], y: readonly unknown[], sh: number, base: number) => {
      if (x === y) return;
      for (let j = 0; j < x.length; j++) {
        if (x[j] === y[j]) continue;
        if (sh === 0) idx.push(base + j), xs.push(x[j]), ys.push(y[j]);
        else rec(x[j] as unknown[], y[j] as unknown[], sh - BITS, base + (j << sh));
      }
    };
    rec(a.root, b.root, a.shift, 0);
    d = { a, b, idx, xs, ys };
    memo[1] = memo[0];
    memo[0] = d;
  }
  for (let k = 0; k < d.idx.length; k++) f(d.idx[k], d.xs[k] as T, d.ys[k] as T);
}
interface Diff { readonly a: unknown; readonly b: unknown; readonly idx: readonly number[]; readonly xs: readonly unknown[]; readonly ys: readonly unknown[] }
const NO_DIFF: Diff = { a: null, b: null, idx: [], xs: [], ys: [] };
const memo: Diff[] = [NO_DIFF, NO_DIFF];

export function ptoArray<T>(v: PVec<T>): T[] {
  const out: T[] = [];
  for (let i = 0; i < v.size; i++) out.push(pget(v, i));
  return out;
}
