// Descriptors are bytes in the TX/RX pages (reference §3). Memory holds `words` little-endian 64-bit
// words per page; bytes past the modelled words read 0 and ignore writes.
import { PAGE } from './consts';
import { pset } from '../../model/pvec';
import { Real, makeReal, pageAt } from './state';

export class Bytes {
  /** `b` holds the modelled bytes; reads between b.length and `len` give 0. */
  constructor(readonly b: Uint8Array, readonly len: number = b.length) {}
  get length(): number { return this.len; }
  /** All `len` bytes as an array (the SPMC's copy kept with a transaction). */
  toArray(): Uint8Array { const out = new Uint8Array(this.len); out.set(this.b.subarray(0, this.len)); return out; }
  u8(o: number): number { return o >= 0 && o < this.b.length ? this.b[o] : 0; }
  u16(o: number): number { return this.u8(o) | (this.u8(o + 1) << 8); }
  u32(o: number): number { return (this.u16(o) | (this.u16(o + 2) << 16)) >>> 0; }
  u64(o: number): bigint { return BigInt(this.u32(o)) | (BigInt(this.u32(o + 4)) << 32n); }
  /** Whether bytes [o, o+n) are all zero. */
  zero(o: number, n: number): boolean { for (let k = 0; k < n; k++) if (this.u8(o + k)) return false; return true; }
}

/** The bytes of a page's modelled words, computed once per (immutable) page row. */
const ROW_BYTES = new WeakMap<readonly bigint[], Uint8Array>();
// A BigUint64Array's bytes are the words in the platform's order: little-endian is what FF-A
// descriptors use, and the fast path is taken only there (the loop is the definition).
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function rowBytes(words: readonly bigint[]): Uint8Array {
  let b = ROW_BYTES.get(words);
  if (!b) {
    if (LITTLE) {
      const u = new BigUint64Array(words.length);
      for (let k = 0; k < words.length; k++) u[k] = words[k]; // modulo 2^64, as the masks below
      b = new Uint8Array(u.buffer);
    } else {
      b = new Uint8Array(words.length * 8);
      for (let k = 0; k < words.length; k++) {
        const lo = Number(words[k] & 0xffffffffn), hi = Number((words[k] >> 32n) & 0xffffffffn);
        for (let j = 0; j < 4; j++) { b[8 * k + j] = (lo >>> (8 * j)) & 0xff; b[8 * k + 4 + j] = (hi >>> (8 * j)) & 0xff; }
      }
    }
    ROW_BYTES.set(words, b);
  }
  return b;
}

/** `len` bytes (at most one page) of page `page`: the SPMC's copy of TX (never written through). */
export function readPage(s: Real, page: number, len: number): Bytes {
  const n = Math.max(0, Math.min(len, PAGE));
  if (page < 0 || page >= s.mem.size) return new Bytes(new Uint8Array(0), n);
  const all = rowBytes(pageAt(s, page));
  return new Bytes(all.subarray(0, Math.min(n, all.length)), n);
}

/** Page content holding `bytes` at offset 0 and zero after them (the SPMC writes RX whole). */
export function pageFromBytes(bytes: Uint8Array, words: number): bigint[] {
  const out: bigint[] = new Array(words).fill(0n);
  const lim = Math.min(bytes.length, words * 8);
  for (let o = 0; o < lim; o++) out[o >> 3] |= BigInt(bytes[o]) << BigInt((o & 7) * 8);
  return out;
}

export function writePage(s: Real, page: number, content: readonly bigint[]): Real {
  return makeReal(s.eps, pset(s.mem, page, content), s.txns, s.flows);
}

/** Little-endian byte builder for descriptors the SPMC writes (and the trace codec encodes). */
export class Builder {
  private buf: number[] = [];
  at(o: number): this { while (this.buf.length < o) this.buf.push(0); return this; }
  u8(v: number): this { this.buf.push(v & 0xff); return this; }
  u16(v: number): this { return this.u8(v).u8(v >>> 8); }
  u32(v: number): this { return this.u16(v & 0xffff).u16(v >>> 16); }
  u64(v: bigint): this { return this.u32(Number(v & 0xffffffffn)).u32(Number((v >> 32n) & 0xffffffffn)); }
  get length(): number { return this.buf.length; }
  bytes(): Uint8Array { return Uint8Array.from(this.buf); }
}
