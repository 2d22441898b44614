// 64-bit helpers. Register and memory values are bigint (exact 64-bit); addresses that passed
// validation are numbers (every PA/IPA the model holds is < 2^53).

export const U64_MASK = (1n << 64n) - 1n;
export const GRANULE_SIZE = 4096;
export const GRANULE_SHIFT = 12;
/** Words of 8 bytes in a 4 KB granule. The model stores all of them (sparsely). */
export const WORDS_PER_GRANULE = 512;

export const u64 = (v: bigint): bigint => v & U64_MASK;

export function hex(v: bigint | number): string {
  const b = typeof v === 'number' ? BigInt(v) : v;
  return '0x' + u64(b).toString(16);
}

/** Bits [hi:lo] of v. */
export function bits(v: bigint, hi: number, lo: number): bigint {
  return (v >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
}

/** A validated address as a number, or -1 if it does not fit the model's address space. */
export function toAddr(v: bigint): number {
  return v >= 0n && v < 1n << 52n ? Number(v) : -1;
}

export function isGranuleAligned(v: bigint): boolean {
  return (v & 0xfffn) === 0n;
}

/** Sign-extend the low `bytes` bytes of v to 64 bits. */
export function signExtend(v: bigint, bytes: number): bigint {
  const n = BigInt(bytes * 8);
  const m = (1n << n) - 1n;
  const x = v & m;
  return x & (1n << (n - 1n)) ? u64(x | ~m) : x;
}

/** Deterministic abstract hash (FNV-1a over 64-bit words): stands in for SHA-256/512 in measurements. */
export function hashWords(seed: bigint, words: readonly bigint[]): bigint {
  let h = seed ^ 0xcbf29ce484222325n;
  for (const w of words) {
    let x = u64(w);
    for (let i = 0; i < 8; i++) {
      h ^= x & 0xffn;
      h = (h * 0x100000001b3n) & U64_MASK;
      x >>= 8n;
    }
  }
  return h;
}
