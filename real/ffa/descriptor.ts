// Memory transaction descriptors (reference §3, v1.1 layout), parsed from bytes the way the SPMC
// reads them: every read is bounded (past the copy it reads 0), so any bytes give a value.
import { Bytes, Builder } from './bytes';
import { EMAD_SIZE, HEADER_SIZE } from './consts';

export interface Emad { readonly id: number; readonly perms: number; readonly flags: number; readonly compOff: number; readonly reserved: bigint }
export interface MemDesc {
  readonly sender: number; readonly attrs: number; readonly flags: number; readonly handle: bigint; readonly tag: bigint;
  readonly emadSize: number; readonly count: number; readonly recvOff: number; readonly reservedOk: boolean;
  /** EMADs actually present (at most `count`, bounded by `maxEmads`). */
  readonly emads: readonly Emad[];
}
export interface RawConstituent { readonly addr: bigint; readonly count: number; readonly reserved: number }
export interface Composite { readonly pageCount: number; readonly constCount: number; readonly reserved: bigint }

export function parseMemDesc(b: Bytes, maxEmads: number): MemDesc {
  const count = b.u32(28), recvOff = b.u32(32), emadSize = b.u32(24);
  const emads: Emad[] = [];
  const n = Math.min(count, maxEmads);
  for (let i = 0; i < n; i++) {
    const o = recvOff + i * EMAD_SIZE;
    emads.push({ id: b.u16(o), perms: b.u8(o + 2), flags: b.u8(o + 3), compOff: b.u32(o + 4), reserved: b.u64(o + 8) });
  }
  return {
    sender: b.u16(0), attrs: b.u16(2), flags: b.u32(4), handle: b.u64(8), tag: b.u64(16), emadSize, count, recvOff,
    reservedOk: b.zero(36, 12), emads,
  };
}
export const parseComposite = (b: Bytes, off: number): Composite => ({ pageCount: b.u32(off), constCount: b.u32(off + 4), reserved: b.u64(off + 8) });
export function parseConstituents(b: Bytes, from: number, n: number): RawConstituent[] {
  const out: RawConstituent[] = [];
  for (let i = 0; i < n; i++) {
    const o = from + i * 16;
    out.push({ addr: b.u64(o), count: b.u32(o + 8), reserved: b.u32(o + 12) });
  }
  return out;
}

export interface RelinquishDesc { readonly handle: bigint; readonly flags: number; readonly count: number; readonly endpoints: readonly number[] }
export function parseRelinquish(b: Bytes): RelinquishDesc {
  const count = b.u32(12);
  const endpoints: number[] = [];
  for (let i = 0; i < Math.min(count, 8); i++) endpoints.push(b.u16(16 + 2 * i));
  return { handle: b.u64(0), flags: b.u32(8), count, endpoints };
}

/** Fields of a memory transaction descriptor as a writer gives them (also the trace codec's form). */
export interface DescFields {
  sender: number; attrs: number; flags: number; handle: bigint; tag: bigint;
  receivers: { id: number; perms: number; flags: number }[];
  constituents: { addr: bigint; pages: number }[];
  emadSize?: number; recvOff?: number; compOff?: number; pageCount?: number; count?: number;
  /** Retrieve requests carry no composite (composite offset 0 in every EMAD). */
  noComposite?: boolean;
}
export function encodeMemDesc(f: DescFields): Uint8Array {
  const recvOff = f.recvOff ?? HEADER_SIZE;
  const nrecv = f.receivers.length;
  const compOff = f.noComposite ? 0 : f.compOff ?? recvOff + nrecv * EMAD_SIZE;
  const b = new Builder()
    .u16(f.sender).u16(f.attrs).u32(f.flags).u64(f.handle).u64(f.tag)
    .u32(f.emadSize ?? EMAD_SIZE).u32(f.count ?? nrecv).u32(recvOff).at(HEADER_SIZE).at(recvOff);
  for (const r of f.receivers) b.u16(r.id).u8(r.perms).u8(r.flags).u32(compOff).u64(0n);
  if (!f.noComposite) {
    const total = f.constituents.reduce((a, c) => a + c.pages, 0);
    b.at(compOff).u32(f.pageCount ?? total).u32(f.constituents.length).u64(0n);
    for (const c of f.constituents) b.u64(c.addr).u32(c.pages).u32(0);
  }
  return b.bytes();
}
export function encodeRelinquish(handle: bigint, flags: number, endpoints: readonly number[]): Uint8Array {
  const b = new Builder().u64(handle).u32(flags).u32(endpoints.length);
  for (const e of endpoints) b.u16(e);
  return b.at(Math.ceil(b.length / 8) * 8).bytes();
}
/** MSG_SEND2 header (v1.1, reference §4.9) and payload. */
export function encodeMessage(sender: number, receiver: number, payload: readonly bigint[], offset = 24, flags = 0): Uint8Array {
  const b = new Builder().u32(flags).u32(0).u32(offset).u16(receiver).u16(sender).u32(payload.length * 8).at(offset);
  for (const w of payload) b.u64(w);
  return b.bytes();
}

/** Little-endian 64-bit words of a byte string (what an endpoint stores to write it). */
export function wordsOf(b: Uint8Array): bigint[] {
  const out: bigint[] = [];
  for (let o = 0; o < b.length; o += 8) {
    let v = 0n;
    for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(o + k < b.length ? b[o + k] : 0);
    out.push(v);
  }
  return out;
}
