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

/** 2^52, the model's address space (a constant: V8 builds a new BigInt for `1n << 52n` at every run). */
export const ADDR_LIMIT = 1n << 52n;

/** A validated address as a number, or -1 if it does not fit the model's address space. */
export function toAddr(v: bigint): number {
  return v >= 0n && v < ADDR_LIMIT ? Number(v) : -1;
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

const WORD = new BigUint64Array(1);
const HALVES = new Uint32Array(WORD.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // the low half's index (endianness)

/**
 * Deterministic abstract hash (FNV-1a over the 8 bytes of each 64-bit word, little-endian): stands in
 * for SHA-256/512 in measurements. Computed on four 16-bit limbs in doubles rather than in bigint (a
 * bigint multiply per byte made it 5% of a checked CCA step); the value is FNV-1a's exactly.
 */
export function hashWords(seed: bigint, words: readonly bigint[]): bigint {
  const h0 = u64(seed ^ 0xcbf29ce484222325n);
  let a0 = Number(h0 & 0xffffn), a1 = Number((h0 >> 16n) & 0xffffn), a2 = Number((h0 >> 32n) & 0xffffn), a3 = Number(h0 >> 48n);
  for (const w of words) {
    WORD[0] = w; // stored modulo 2^64, read back as two 32-bit halves
    const lo = HALVES[LO], hi = HALVES[1 - LO];
    for (let i = 0; i < 8; i++) {
      a0 ^= (i < 4 ? lo >>> (8 * i) : hi >>> (8 * (i - 4))) & 0xff;
      // h * 0x100000001b3 mod 2^64 = h * 0x1b3 + (h << 40).
      const t0 = a0 * 0x1b3;
      const t1 = a1 * 0x1b3 + Math.floor(t0 / 65536);
      const t2 = a2 * 0x1b3 + Math.floor(t1 / 65536) + ((a0 & 0xff) << 8);
      const t3 = a3 * 0x1b3 + Math.floor(t2 / 65536) + (a0 >>> 8) + ((a1 & 0xff) << 8);
      a0 = t0 % 65536; a1 = t1 % 65536; a2 = t2 % 65536; a3 = t3 % 65536;
    }
  }
  return (BigInt(a3) << 48n) | (BigInt(a2) << 32n) | (BigInt(a1) << 16n) | BigInt(a0);
}
