// Traces of abstract commands, shrunk the way a stateful counterexample wants to be shrunk.
//
// fast-check's own array shrinker drops elements from the front (keeping the tail) and then walks
// the items left to right, re-trying prefix drops at every position. A lockstep trace fails at one
// command and everything after it is dead weight, while the front holds the setup the failure needs:
// fast-check spends most candidates dropping setup (which fails) and keeps the dead tail until the
// item walk reaches it. This arbitrary generates exactly what `fc.array(item, ...)` generates (same
// random draws, so a seed finds the same traces) and shrinks in the order that suits a trace:
//   1. cut the tail: the shortest failing prefix, by bisection (log n candidates);
//   2. drop chunks, halving the chunk size down to single commands (delta debugging), latest first;
//   3. shrink each command with the item arbitrary's own shrinker (smaller indices, simpler choices),
//      and when one did, another round of 2 and 3 (a simpler command may free others).
// A candidate that still fails resumes where it was found (the context), so each round is one pass.
// The shrink stream is a pure function of the value and its context, so fast-check's replay path
// (`--path`, and a block rebuilt in another thread) finds the same counterexample.

import fc from 'fast-check';

/** Where a trace's shrinking stands: the candidate after a successful one resumes from here. */
type Ctx =
  /** Cutting the tail: prefixes of `lo` commands or fewer are known not to fail. */
  | { readonly phase: 'cut'; readonly lo: number }
  /** Dropping chunks of `size` commands ending at or before `end`, then smaller chunks. */
  | { readonly phase: 'drop'; readonly size: number; readonly end: number }
  /** Shrinking commands from index `from` on; `changed`: one did, so single drops are tried again. */
  | { readonly phase: 'items'; readonly from: number; readonly changed: boolean };

/**
 * Item contexts by item identity: items are objects handed through unchanged, so the context an item
 * was generated (or shrunk) with is found again when the item sits at another index of a shorter trace.
 */
class Tracked<T> extends fc.Arbitrary<T> {
  constructor(readonly arb: fc.Arbitrary<T>, readonly contexts: WeakMap<object, unknown>) { super(); }
  remember(v: fc.Value<T>): fc.Value<T> {
    if (typeof v.value_ === 'object' && v.value_ !== null) this.contexts.set(v.value_ as object, v.context);
    return v;
  }
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> { return this.arb.generate(mrng, biasFactor); }
  canShrinkWithoutContext(value: unknown): value is T { return this.arb.canShrinkWithoutContext(value); }
  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> { return this.arb.shrink(value, context).map((v) => this.remember(v)); }
  /** The item's own shrinks, or none when its context is unknown and it cannot shrink without one. */
  shrinkItem(value: T): fc.Stream<fc.Value<T>> {
    const known = typeof value === 'object' && value !== null && this.contexts.has(value as object);
    if (!known && !this.arb.canShrinkWithoutContext(value)) return fc.Stream.nil();
    return this.shrink(value, known ? this.contexts.get(value as object) : undefined);
  }
}

/** A generated trace's context: its items' contexts, in order. */
class Fresh { constructor(readonly items: readonly unknown[]) {} }

class TraceArbitrary<T> extends fc.Arbitrary<T[]> {
  private readonly items: Tracked<T>;
  private readonly gen: fc.Arbitrary<T[]>;
  /** Generated traces have `generated` commands or more; shrinking stops at `minLength`. */
  constructor(item: fc.Arbitrary<T>, generated: number, private readonly minLength: number, maxLength: number) {
    super();
    this.items = new Tracked(item, new WeakMap());
    this.gen = fc.array(this.items, { minLength: generated, maxLength, size: 'max' });
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T[]> {
    // The items' contexts are remembered only when the trace is shrunk (most traces never are): a
    // WeakMap entry per generated command made generation about 1.5x slower (and fed the GC).
    // (fast-check 4's array keeps its items' contexts as `itemsContexts`; test/engine/shrink.test.ts
    // shrinks commands through them, so a release that moved them fails there, not silently.)
    const g = this.gen.generate(mrng, biasFactor);
    const items = (g.context as { itemsContexts?: unknown } | undefined)?.itemsContexts;
    return new fc.Value(g.value_, new Fresh(Array.isArray(items) ? items : []));
  }

  canShrinkWithoutContext(value: unknown): value is T[] {
    return Array.isArray(value) && value.length >= this.minLength && value.every((x) => this.items.canShrinkWithoutContext(x));
  }

  shrink(value: T[], context: unknown): fc.Stream<fc.Value<T[]>> {
    if (context instanceof Fresh) {
      context.items.forEach((c, i) => this.items.remember(new fc.Value(value[i], c)));
      context = undefined;
    }
    const ctx = (context ?? { phase: 'cut', lo: this.minLength - 1 }) as Ctx;
    const n = value.length;
    const min = this.minLength;
    const items = this.items;
    const out = (xs: T[], c: Ctx) => new fc.Value(xs, c);
    // Bisection: a prefix that fails makes every longer prefix fail (the same steps up to the failure).
    function* cut(lo: number): IterableIterator<fc.Value<T[]>> {
      for (let m = lo + Math.ceil((n - lo) / 2); m < n; lo = m, m = lo + Math.ceil((n - lo) / 2)) {
        if (m >= min) yield out(value.slice(0, m), { phase: 'cut', lo });
      }
    }
    function* drop(size: number, end: number): IterableIterator<fc.Value<T[]>> {
      for (let s = size; s >= 1; s = s === 1 ? 0 : Math.ceil(s / 2), end = n) {
        if (n - s >= min) {
          for (let e = Math.min(end, n); e - s >= 0; e -= s) {
            yield out(value.slice(0, e - s).concat(value.slice(e)), { phase: 'drop', size: s, end: e - s });
          }
        }
      }
      yield* shrinkItems(0, false);
    }
    function* shrinkItems(from: number, changed: boolean): IterableIterator<fc.Value<T[]>> {
      for (let i = from; i < n; i++) {
        for (const v of items.shrinkItem(value[i])) {
          const xs = value.slice();
          xs[i] = v.value_;
          yield out(xs, { phase: 'items', from: i, changed: true });
        }
      }
      // A simpler command may free others: another round of drops and command shrinks.
      if (changed) yield* drop(Math.max(1, Math.floor(n / 2)), n);
    }
    function* all(): IterableIterator<fc.Value<T[]>> {
      if (ctx.phase === 'cut') {
        yield* cut(ctx.lo);
        yield* drop(Math.max(1, Math.floor(n / 2)), n);
      } else if (ctx.phase === 'drop') yield* drop(ctx.size, ctx.end);
      else yield* shrinkItems(ctx.from, ctx.changed);
    }
    return fc.stream(all());
  }
}

/**
 * A trace of `minLength` to `maxLength` commands, generated as `fc.array(item, {minLength, maxLength,
 * size: 'max'})` would and shrunk as above, down to `shrinkTo` commands (default `minLength`).
 */
export function traceOf<T>(item: fc.Arbitrary<T>, opts: { readonly minLength?: number; readonly maxLength: number; readonly shrinkTo?: number }): fc.Arbitrary<T[]> {
  const min = opts.minLength ?? 0;
  return new TraceArbitrary(item, min, Math.min(min, opts.shrinkTo ?? min), opts.maxLength);
}
