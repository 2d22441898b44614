// hashWords is FNV-1a (64-bit) over the little-endian bytes of each word: checked against the
// textbook byte-wise definition in bigint, which is itself checked on published FNV-1a vectors.

import fc from 'fast-check';
import { expect, test } from 'vitest';
import { hashWords } from '../../model/bits';

const MASK = (1n << 64n) - 1n;
const fnv1a = (basis: bigint, bytes: readonly number[]): bigint => bytes.reduce((h, b) => ((h ^ BigInt(b)) * 0x100000001b3n) & MASK, basis);
const OFFSET = 0xcbf29ce484222325n;
const bytesOf = (words: readonly bigint[]) => words.flatMap((w) => Array.from({ length: 8 }, (_, i) => Number((w >> BigInt(8 * i)) & 0xffn)));

test('the reference definition gives the published FNV-1a 64 vectors (isthe.com/chongo/tech/comp/fnv)', () => {
  const ascii = (t: string) => [...t].map((c) => c.charCodeAt(0));
  expect(fnv1a(OFFSET, [])).toBe(0xcbf29ce484222325n);
  expect(fnv1a(OFFSET, ascii('a'))).toBe(0xaf63dc4c8601ec8cn);
  expect(fnv1a(OFFSET, ascii('foobar'))).toBe(0x85944171f73967e8n);
});

test('hashWords equals the definition on the words\' bytes, for any seed and words (also outside 64 bits)', () => {
  expect(hashWords(0n, [])).toBe(OFFSET);
  const word = fc.oneof(fc.bigInt({ min: 0n, max: MASK }), fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), fc.constantFrom(0n, MASK, 0xffn, 1n << 63n));
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: MASK }), fc.array(word, { maxLength: 12 }), (seed, ws) => {
    expect(hashWords(seed, ws)).toBe(fnv1a(seed ^ OFFSET, bytesOf(ws.map((w) => w & MASK))));
  }), { numRuns: 500 });
});
