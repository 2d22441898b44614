// The persistent vector every system's per-page state lives in. The checkers' incremental passes
// trust pdiff to report every index whose value changed (a missed index is a missed violation), so
// the model here is a plain array and the properties are stated against it.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { pdiff, pset, ptoArray, pvecFrom } from '../../model/pvec';

const sizes = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1000, max: 5000 }), fc.constantFrom(32, 33, 1024, 1025, 32768));
const writes = (n: number) => fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.integer({ min: 0, max: 3 })), { maxLength: 30 });

describe('pvec', () => {
  test('pget, pset and ptoArray agree with a plain array; sets never change the vector they start from', () => {
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), writes(n))), ([n, ws]) => {
      const model = new Array<number>(n).fill(0);
      const v0 = pvecFrom(model.slice());
      let v = v0;
      for (const [i, x] of ws) { v = pset(v, i, x); model[i] = x; }
      expect(v.size).toBe(n);
      expect(ptoArray(v)).toEqual(model);
      expect(ptoArray(v0).every((x) => x === 0)).toBe(true);
    }), { numRuns: 60 });
  });

  test('pdiff reports exactly the indices whose values differ, in ascending order, with both values', () => {
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), writes(n), writes(n))), ([n, wa, wb]) => {
      let a = pvecFrom(new Array<number>(n).fill(0));
      for (const [i, x] of wa) a = pset(a, i, x);
      let b = a;
      for (const [i, x] of wb) b = pset(b, i, x);
      const A = ptoArray(a), B = ptoArray(b);
      const seen: [number, number, number][] = [];
      pdiff(a, b, (i, x, y) => seen.push([i, x, y]));
      const want = A.flatMap((x, i) => (x !== B[i] ? [[i, x, B[i]] as [number, number, number]] : []));
      expect(seen).toEqual(want);
    }), { numRuns: 60 });
  });

  test('pdiff of pairs asked for again, interleaved with other pairs, reports each pair\'s own differences (its kept answers are per pair)', () => {
    fc.assert(fc.property(sizes.chain((n) => fc.tuple(fc.constant(n), fc.array(writes(n), { minLength: 2, maxLength: 5 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 20 }))), ([n, steps, asks]) => {
      const vs = [pvecFrom(new Array<number>(n).fill(0))];
      for (const ws of steps) { let v = vs[vs.length - 1]; for (const [i, x] of ws) v = pset(v, i, x); vs.push(v); }
      for (const [p, q] of asks) {
        const a = vs[p % vs.length], b = vs[q % vs.length];
        const A = ptoArray(a), B = ptoArray(b);
        const seen: number[] = [];
        pdiff(a, b, (i, x, y) => { expect([x, y]).toEqual([A[i], B[i]]); seen.push(i); });
        expect(seen).toEqual(A.flatMap((x, i) => (x !== B[i] ? [i] : [])));
      }
    }), { numRuns: 60 });
  });

  test('pset of the value already there returns the same vector (unchanged rows stay the same object)', () => {
    const v = pset(pvecFrom([1, 2, 3]), 1, 2);
    expect(pset(v, 1, 2)).toBe(v);
    expect(pset(v, 1, 5)).not.toBe(v);
  });
});
