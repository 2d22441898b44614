// FFA_MEM_RETRIEVE_REQ → FFA_MEM_RETRIEVE_RESP (reference §4.3) and FFA_MEM_FRAG_RX (§4.4).
// Hafnium: src/ffa_memory.c ffa_memory_retrieve / ffa_memory_retrieve_validate /
// ffa_retrieve_check_transition / ffa_memory_retrieve_continue, src/api.c api_ffa_mem_retrieve_req.
import { Bytes, readPage } from '../bytes';
import { BUSY, DENIED, EMAD_SIZE, ErrorName, FUNC_TYPE, HEADER_SIZE, INV, M, MAILBOX_SIZE, PAGE, pageState } from '../consts';
import { Builder } from '../bytes';
import { MemDesc, parseMemDesc } from '../descriptor';
import { Abi, Call, Outcome, regs8, row, w } from '../table';
import { Real, Txn, addFlow, epIndex, modeAt, pagesOf, setEp, setModes, setTxn, txnSlot } from '../state';
import { typeCheck } from './mem-send';
import type { Spec } from '../table';

export interface RetrieveCtx {
  readonly call: Call;
  readonly total: number;
  readonly frag: number;
  readonly b: Bytes;
  readonly d: MemDesc;
  readonly slot: number;
  readonly txn: Txn | null;
  /** Caller's index among the transaction's receivers (-1: not a receiver). */
  readonly ri: number;
}

const single = (t: Txn): boolean => t.func === 'DONATE' || (t.func === 'LEND' && t.receivers.length === 1);
/** Data permission the sender granted this receiver (DONATE: what the sender had). */
export const grantedData = (t: Txn, ri: number): number => (t.func === 'DONATE' ? ((t.origMode & M.W) !== 0 ? 2 : 1) : t.receivers[ri].perms & 3);

function emadCheck(c: RetrieveCtx): ErrorName | null {
  const t = c.txn as Txn;
  for (const m of c.d.emads) {
    if (m.compOff !== 0) return INV;
    const ri = t.receivers.findIndex((r) => r.id === m.id);
    if (ri < 0) return DENIED;
    const data = m.perms & 3, instr = (m.perms >> 2) & 3;
    if (data === 3 || instr === 3) return INV;
    const g = grantedData(t, ri);
    if (data === 2 && g === 1) return DENIED;
    if (!single(t) && instr !== 0) return INV;
    if (single(t) && instr === 0) return INV;
    if (instr === 2 && (t.origMode & M.NS) !== 0) return INV;
    if (instr === 2 && (t.origMode & M.X) === 0) return DENIED;
    const eff = data === 0 ? g : data;
    if (m.id === c.call.e.id && eff === 1 && (c.d.flags & 5) !== 0) return DENIED;
  }
  return null;
}

const myPages = (c: RetrieveCtx): number[] => pagesOf((c.txn as Txn).constituents);
const myModes = (c: RetrieveCtx): number[] => myPages(c).map((p) => modeAt(c.call.e, p));

export const MEM_RETRIEVE_REQ: Abi<RetrieveCtx> = {
  name: 'MEM_RETRIEVE_REQ',
  context: (call) => {
    const total = w(call, 1);
    const b = call.e.mbox.tx >= 0 ? readPage(call.s, call.e.mbox.tx, total) : new Bytes(new Uint8Array(0));
    const d = parseMemDesc(b, 8);
    const slot = txnSlot(call.s, d.handle);
    const txn = slot >= 0 ? call.s.txns[slot] : null;
    return { call, total, frag: w(call, 2), b, d, slot, txn, ri: txn ? txn.receivers.findIndex((r) => r.id === call.e.id) : -1 };
  },
  failures: [
    row('buffer_addr', (c) => w(c.call, 3) !== 0 || w(c.call, 4) !== 0, INV),
    row('fragmented', (c) => c.frag !== c.total, INV),
    row('too_long', (c) => c.total > MAILBOX_SIZE, INV),
    row('no_tx', (c) => c.call.e.mbox.tx < 0, INV),
    row('rx_busy', (c) => c.call.e.mbox.rx < 0 || c.call.e.mbox.full, BUSY),
    row('reserved', (c) => !c.d.reservedOk, INV),
    row('emad_size', (c) => c.d.emadSize !== EMAD_SIZE, INV),
    row('recv_offset', (c) => c.d.recvOff < HEADER_SIZE, INV),
    row('recv_count', (c) => c.d.count < 1 || c.d.count > c.call.cfg.maxRecipients, INV),
    row('emad_fit', (c) => c.total < c.d.recvOff + c.d.count * EMAD_SIZE, INV),
    row('composite_nonzero', (c) => c.d.emads.some((m) => m.compOff !== 0), INV),
    row('emad_reserved', (c) => c.d.emads.some((m) => m.reserved !== 0n), INV),
    row('allocator', (c) => c.d.handle >> 63n !== 0n, INV),
    row('handle', (c) => c.txn === null, INV),
    row('incomplete', (c) => !c.txn?.complete, INV),
    row('length', (c) => c.total !== c.d.recvOff + c.d.count * EMAD_SIZE, INV),
    row('sender', (c) => c.d.sender !== c.txn?.sender, DENIED),
    row('type', (c) => ((c.d.flags >> 3) & 3) !== 0 && ((c.d.flags >> 3) & 3) !== FUNC_TYPE[(c.txn as Txn).func], INV),
    row('tag', (c) => c.d.tag !== c.txn?.tag, INV),
    row('not_receiver', (c) => c.ri < 0, INV),
    row('flags_hint', (c) => (c.d.flags & ((1 << 9) | (0xf << 5))) !== 0 || c.d.flags >>> 11 !== 0, INV),
    row('share_clear', (c) => c.txn?.func === 'SHARE' && (c.d.flags & 5) !== 0, INV),
    row('clear_not_cleared', (c) => (c.d.flags & 1) !== 0 && ((c.txn as Txn).flags & 1) === 0, DENIED),
    row('attributes_mbz', (c) => (c.d.attrs & 0xffc0) !== 0, INV),
    ['memory_type', (c) => typeCheck('SHARE', 2, c.d.attrs, DENIED)],
    row('emad_count', (c) => ((c.d.flags & (1 << 10)) === 0
      ? c.d.count !== (c.txn as Txn).receivers.length
      : c.d.count !== 1 || (c.txn as Txn).receivers.length === 1), INV),
    ['emads', emadCheck],
    row('own_emad', (c) => !c.d.emads.some((m) => m.id === c.call.e.id), INV),
    row('device_as_normal', (c) => ((c.d.attrs >> 4) & 3) === 2 && ((((c.txn as Txn).attrs >> 4) & 3) === 1 || ((c.txn as Txn).origMode & M.D) !== 0), DENIED),
    row('modes_differ', (c) => myModes(c).some((m, _, a) => m !== a[0]), DENIED),
    row('already_mapped', (c) => pageState(myModes(c)[0] ?? -1) !== '!Owner-NA', DENIED),
  ],
  effect: (c, spec) => retrieveEffect(c, spec),
};

/** The receiver's mode after retrieve: granted ∩ requested (reference §4.3 Success). */
export function retrieverMode(t: Txn, ri: number, reqPerms: number): number {
  const data = (reqPerms & 3) === 0 ? grantedData(t, ri) : reqPerms & 3;
  const perm = data === 2 ? M.R | M.W : M.R;
  const x = single(t) && ((reqPerms >> 2) & 3) === 2 ? M.X : 0;
  const keep = t.origMode & (M.D | M.NS);
  if (t.func === 'SHARE') return M.UNOWNED | M.SHARED | perm | keep;
  if (t.func === 'LEND') return M.UNOWNED | perm | x | keep;
  return perm | x | keep;
}

/** Retrieve-response bytes: header, the caller's EMAD, composite, constituents of fragment 0. */
export function responseBytes(t: Txn, id: number, mode: number, rflags: number): Uint8Array {
  const data = (mode & M.W) !== 0 ? 2 : 1;
  const instr = t.func === 'SHARE' || !single(t) ? 1 : (mode & M.X) !== 0 ? 2 : 1;
  const attrs = t.attrs | ((t.origMode & M.NS) !== 0 ? 0x40 : 0);
  const b = new Builder().u16(t.sender).u16(attrs).u32(t.flags).u64(t.handle).u64(t.tag).u32(EMAD_SIZE).u32(1).u32(HEADER_SIZE).at(HEADER_SIZE)
    .u16(id).u8(data | (instr << 2)).u8(rflags).u32(HEADER_SIZE + EMAD_SIZE).u64(0n)
    .u32(t.pageCount).u32(t.constituents.length).u64(0n);
  for (const k of t.constituents.slice(0, t.fragCounts[0])) b.u64(BigInt(k.page) * BigInt(PAGE)).u32(k.count).u32(0);
  return b.bytes();
}
export const responseTotal = (t: Txn): number => HEADER_SIZE + EMAD_SIZE + 16 + 16 * t.constituents.length;

function retrieveEffect(c: RetrieveCtx, spec: Spec): Outcome {
  const t = c.txn as Txn;
  const me = c.d.emads.find((m) => m.id === c.call.e.id);
  const mode = retrieverMode(t, c.ri, me ? me.perms : 0);
  let s: Real = setModes(c.call.s, c.call.i, pagesOf(t.constituents), () => mode);
  const receivers = t.receivers.map((r, k) => (k === c.ri ? { ...r, retrieved: 1, mode } : r));
  const bytes = responseBytes(t, c.call.e.id, mode, t.receivers[c.ri].flags);
  s = deliverRx(s, c.call.i, bytes, t.sender, 'MEM_RETRIEVE_RESP', c.call.cfg.words, spec);
  s = retrieveFlows(s, t, c.call.i);
  const freed = t.func === 'DONATE' && t.fragCounts.length === 1 ? spec.freeDonated : false;
  s = setTxn(s, c.slot, freed ? null : { ...t, receivers });
  return { state: s, status: 'SUCCESS', ret: regs8(0x84000075, responseTotal(t), bytes.length), cleared: [] };
}

/** Ghost flows for noninterference: what a retrieve lets move between the parties (§6 rules 1–3). */
export function retrieveFlows(s: Real, t: Txn, me: number): Real {
  const snd = epIndex(s, t.sender);
  if ((t.flags & 1) === 0) s = addFlow(s, snd, me);
  if (t.func === 'DONATE') return s;
  s = addFlow(s, me, snd);
  for (const r of t.receivers) {
    const k = epIndex(s, r.id);
    if (k !== me && k >= 0) { s = addFlow(s, me, k); s = addFlow(s, k, me); }
  }
  return s;
}

/** The SPMC writes a message into an endpoint's RX and marks it FULL. */
export function deliverRx(s: Real, i: number, bytes: Uint8Array, sender: number, func: string, words: number, spec: Spec): Real {
  const e = s.eps[i];
  s = spec.rxWrite(s, e.mbox.rx, bytes, words);
  return setEp(s, i, { ...s.eps[i], mbox: { ...e.mbox, full: true, sender, size: bytes.length, func } });
}

// ---- FFA_MEM_FRAG_RX (reference §4.4) ----

export interface FragRxCtx { readonly call: Call; readonly handle: bigint; readonly offset: number; readonly senderId: number; readonly slot: number; readonly txn: Txn | null; readonly ri: number }
const expectedOffset = (t: Txn, retrieved: number): number => HEADER_SIZE + EMAD_SIZE + 16 + 16 * t.fragCounts.slice(0, retrieved).reduce((a, n) => a + n, 0);

export const MEM_FRAG_RX: Abi<FragRxCtx> = {
  name: 'MEM_FRAG_RX',
  context: (call) => {
    const handle = BigInt(w(call, 1)) | (BigInt(w(call, 2)) << 32n);
    const slot = txnSlot(call.s, handle);
    const txn = slot >= 0 ? call.s.txns[slot] : null;
    return { call, handle, offset: w(call, 3), senderId: (w(call, 4) >>> 16) & 0xffff, slot, txn, ri: txn ? txn.receivers.findIndex((r) => r.id === call.e.id) : -1 };
  },
  failures: [
    row('sender_id', (c) => c.senderId !== 0, INV),
    row('rx_busy', (c) => c.call.e.mbox.rx < 0 || c.call.e.mbox.full, BUSY),
    row('handle', (c) => c.txn === null, INV),
    row('incomplete', (c) => !c.txn?.complete, INV),
    row('not_receiver', (c) => c.ri < 0, INV),
    row('not_retrieving', (c) => { const r = (c.txn as Txn).receivers[c.ri].retrieved; return r <= 0 || r >= (c.txn as Txn).fragCounts.length; }, INV),
    row('offset', (c) => c.offset !== expectedOffset(c.txn as Txn, (c.txn as Txn).receivers[c.ri].retrieved), INV),
  ],
  effect: (c, spec) => {
    const t = c.txn as Txn;
    const k = t.receivers[c.ri].retrieved;
    const from = t.fragCounts.slice(0, k).reduce((a, n) => a + n, 0);
    const b = new Builder();
    for (const x of t.constituents.slice(from, from + t.fragCounts[k])) b.u64(BigInt(x.page) * BigInt(PAGE)).u32(x.count).u32(0);
    const bytes = b.bytes();
    let s = deliverRx(c.call.s, c.call.i, bytes, t.sender, 'MEM_FRAG_TX', c.call.cfg.words, spec);
    const receivers = t.receivers.map((r, j) => (j === c.ri ? { ...r, retrieved: k + 1 } : r));
    const done = t.func === 'DONATE' && k + 1 === t.fragCounts.length && spec.freeDonated;
    s = setTxn(s, c.slot, done ? null : { ...t, receivers });
    return { state: s, status: 'MEM_FRAG_TX', ret: regs8(0x8400007b, Number(c.handle & 0xffffffffn), Number(c.handle >> 32n), bytes.length, 0), cleared: [] };
  },
};
