// The SPMC reads descriptors as bytes of the TX page: word k holds bytes 8k..8k+7, least significant
// first (FF-A is little-endian). readPage converts a page row once; the expected bytes here come from
// shifting each word, independently of how readPage gets them.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { pvecFrom } from '../../model/pvec';
import { readPage } from '../../real/ffa/bytes';
import type { Real } from '../../real/ffa/state';

const word = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom(0n, 1n, 0xffn, 1n << 63n, (1n << 64n) - 1n, 0x0102030405060708n));

describe('readPage', () => {
  test('byte o of a page is byte o % 8 (least significant first) of word o / 8; past the words, 0', () => {
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), fc.nat(400), (ws, len) => {
      const s = { mem: pvecFrom([ws]) } as unknown as Real;
      const b = readPage(s, 0, len);
      expect(b.length).toBe(len);
      for (let o = 0; o < len; o++) {
        const want = o < ws.length * 8 ? Number((ws[o >> 3] >> BigInt(8 * (o & 7))) & 0xffn) : 0;
        expect(b.u8(o)).toBe(want);
      }
    }), { numRuns: 200 });
  });
  test('a known word reads in FF-A byte order', () => {
    const s = { mem: pvecFrom([[0x0102030405060708n]]) } as unknown as Real;
    const b = readPage(s, 0, 8);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((o) => b.u8(o))).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(b.u64(0)).toBe(0x0102030405060708n);
  });
});
