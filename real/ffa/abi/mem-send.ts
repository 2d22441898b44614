// FFA_MEM_SHARE / FFA_MEM_LEND / FFA_MEM_DONATE (reference §4.1) and FFA_MEM_FRAG_TX (§4.2).
// Hafnium: src/ffa_memory.c ffa_memory_send / ffa_memory_send_validate / ffa_send_check_transition,
// src/api.c api_ffa_mem_send / api_ffa_mem_frag_tx. The descriptor is read once from TX (the copy).
import { Bytes, readPage } from '../bytes';
import { DENIED, EMAD_SIZE, ErrorName, FUNC_TYPE, Func, HEADER_SIZE, INV, M, MAILBOX_SIZE, NO_MEMORY, PAGE, STATE_BITS } from '../consts';
import { MemDesc, RawConstituent, parseComposite, parseConstituents, parseMemDesc } from '../descriptor';
import { Abi, Call, Check, Outcome, errorRegs, firstFailure, regs8, row, w, xr } from '../table';
import { Constituent, Real, Txn, epIndex, modeAt, setModes, setTxn, txnSlot } from '../state';
import { ERR } from '../consts';
import type { CompleteCtx, Spec } from '../table';
export type { CompleteCtx } from '../table';

export interface SendCtx {
  readonly call: Call;
  readonly func: Func;
  readonly total: number;
  readonly frag: number;
  readonly addr: bigint;
  readonly pageCount: bigint;
  readonly b: Bytes;
  readonly d: MemDesc;
  readonly compOff: number;
}

const sendContext = (func: Func) => (call: Call): SendCtx => {
  const frag = w(call, 2);
  const b = call.e.mbox.tx >= 0 ? readPage(call.s, call.e.mbox.tx, frag) : new Bytes(new Uint8Array(0));
  const d = parseMemDesc(b, 8);
  return { call, func, total: w(call, 1), frag, addr: xr(call, 3), pageCount: xr(call, 4), b, d, compOff: d.emads.length ? d.emads[0].compOff : 0 };
};

const emadEnd = (c: SendCtx): number => c.d.recvOff + c.d.count * EMAD_SIZE;
const dataPerm = (p: number): number => p & 3;
const instrPerm = (p: number): number => (p >> 2) & 3;

/** Reference §4.1.9: the receiver must exist and differ from the caller; then the SPMC's world rule,
 *  per EMAD, as Hafnium's plat_ffa_is_memory_send_valid (src/ffa/spmc/ffa_memory.c) decides it:
 *  LEND/DONATE only to SPs; SHARE SP→SP, NWd→SP single-borrower, or NWd multi-borrower (mixed worlds). */
function receiverCheck(c: SendCtx): ErrorName | null {
  const s = c.call.s, me = c.call.e, multi = c.d.count > 1;
  for (const m of c.d.emads) {
    const r = epIndex(s, m.id);
    if (r < 0 || m.id === me.id) return INV;
    const sp = s.eps[r].sp;
    const ok = c.func !== 'SHARE' ? sp : (me.sp && sp) || (!me.sp && !multi && sp) || (!me.sp && multi);
    if (!ok) return DENIED;
  }
  return null;
}

/** Reference §4.1.12, per EMAD in order. */
function permCheck(c: SendCtx): ErrorName | null {
  const seen = new Set<number>();
  for (const m of c.d.emads) {
    if (seen.has(m.id)) return INV;
    seen.add(m.id);
    const dp = dataPerm(m.perms), ip = instrPerm(m.perms);
    if (dp === 3 || ip === 3) return INV;
    if (ip !== 0) return INV;
    if (c.func !== 'DONATE' && dp === 0) return INV;
    if (c.func === 'DONATE' && dp !== 0) return INV;
  }
  return null;
}

/** Reference §4.1.14: memory type and attributes of the send. */
export function typeCheck(func: Func, nrecv: number, attrs: number, single: ErrorName): ErrorName | null {
  const type = (attrs >> 4) & 3, cache = (attrs >> 2) & 3, share = attrs & 3;
  if (func === 'DONATE' || (func === 'LEND' && nrecv === 1)) return type !== 0 ? single : null;
  if (type === 0) return null;
  if (type === 2) return cache !== 3 || share !== 3 ? DENIED : null;
  if (type === 1) return cache !== 0 ? DENIED : null;
  return DENIED;
}

export const sendFailures: readonly Check<SendCtx>[] = [
  row('buffer_addr', (c) => c.addr !== 0n || c.pageCount !== 0n, INV),
  row('frag_gt_total', (c) => c.frag > c.total, INV),
  row('no_tx', (c) => c.call.e.mbox.tx < 0, INV),
  row('frag_gt_tx', (c) => c.frag > MAILBOX_SIZE, INV),
  row('reserved', (c) => !c.d.reservedOk, INV),
  row('emad_size', (c) => c.d.emadSize !== EMAD_SIZE, INV),
  row('recv_offset', (c) => c.d.recvOff < HEADER_SIZE, INV),
  row('recv_count', (c) => c.d.count < 1 || c.d.count > c.call.cfg.maxRecipients, INV),
  row('emad_fit', (c) => c.frag < emadEnd(c), INV),
  row('composite_offset', (c) => c.compOff === 0 || c.compOff < emadEnd(c) || c.compOff + 16 > c.frag, INV),
  row('emad_reserved', (c) => c.d.emads.some((m) => m.reserved !== 0n), INV),
  row('composite_differs', (c) => c.d.emads.some((m) => m.compOff !== c.compOff), INV),
  row('flags', (c) => (c.func === 'SHARE' && (c.d.flags & 1) !== 0) || (c.d.flags & ~3) !== 0, INV),
  row('donate_count', (c) => c.func === 'DONATE' && c.d.count !== 1, INV),
  ['receivers', receiverCheck],
  row('frag_min', (c) => c.frag < emadEnd(c) + 16 || c.frag % 16 !== 0 || c.total % 16 !== 0, INV),
  row('sender', (c) => c.d.sender !== c.call.e.id, DENIED),
  row('total_short', (c) => c.total < c.compOff + 16, INV),
  row('composite_unaligned', (c) => c.compOff % 16 !== 0, INV),
  row('constituent_bytes', (c) => c.total - (c.compOff + 16) !== 16 * parseComposite(c.b, c.compOff).constCount, INV),
  row('flags_time_slice', (c) => (c.d.flags & ~1) !== 0, INV),
  ['permissions', permCheck],
  row('attributes_mbz', (c) => (c.d.attrs & 0xffc0) !== 0, INV),
  ['memory_type', (c) => typeCheck(c.func, c.d.count, c.d.attrs, INV)],
  row('table_full', (c) => c.call.s.txns.every((t) => t !== null), NO_MEMORY),
];

function sendEffect(c: SendCtx, spec: Spec): Outcome {
  const s = c.call.s;
  const slot = s.txns.findIndex((t) => t === null);
  const handle = BigInt(slot);
  const senderIdx = epIndex(s, c.d.sender) >= 0 ? epIndex(s, c.d.sender) : c.call.i;
  const ninstr = c.func === 'SHARE' ? 1 << 2 : 0; // SHARE: stored instruction permission := NX
  const txn: Txn = {
    handle, func: c.func, sender: s.eps[senderIdx].id, tag: c.d.tag, attrs: c.d.attrs, flags: c.d.flags | (FUNC_TYPE[c.func] << 3),
    receivers: c.d.emads.map((m) => ({ id: m.id, perms: (m.perms & 3) | ninstr, flags: m.flags, retrieved: 0, mode: 0 })),
    buf: c.b.toArray(), totalLen: c.total, complete: false, constituents: [], fragCounts: [Math.max(0, (c.frag - c.compOff - 16) >> 4)],
    pageCount: 0, origMode: 0,
  };
  const st = setTxn(s, slot, txn);
  if (c.frag < c.total) {
    return { state: st, status: 'MEM_FRAG_RX', ret: regs8(0x8400007a, Number(handle & 0xffffffffn), Number(handle >> 32n), c.frag, 0), cleared: [] };
  }
  const done = spec.complete(st, slot, c.call.cfg.pages, c.call.cfg.words, spec);
  // A single-fragment send that fails its last checks allocated nothing (a failing call changes nothing).
  return done.status === 'SUCCESS' ? done : { ...done, state: s, sideEffect: false };
}

export const MEM_SHARE: Abi<SendCtx> = { name: 'MEM_SHARE', context: sendContext('SHARE'), failures: sendFailures, effect: sendEffect };
export const MEM_LEND: Abi<SendCtx> = { name: 'MEM_LEND', context: sendContext('LEND'), failures: sendFailures, effect: sendEffect };
export const MEM_DONATE: Abi<SendCtx> = { name: 'MEM_DONATE', context: sendContext('DONATE'), failures: sendFailures, effect: sendEffect };

// ---- Completion (reference §4.1.17–24): on the whole descriptor, when the last fragment arrived ----


export function completeContext(s: Real, slot: number, memPages: number): CompleteCtx {
  const txn = s.txns[slot] as Txn;
  const b = new Bytes(txn.buf ?? new Uint8Array(0));
  const d = parseMemDesc(b, 8);
  const compOff = d.emads.length ? d.emads[0].compOff : 0;
  const comp = parseComposite(b, compOff);
  const n = Math.min(comp.constCount, Math.max(0, (b.length - compOff - 16) >> 4));
  const consts = parseConstituents(b, compOff + 16, n);
  const senderIdx = Math.max(0, epIndex(s, txn.sender));
  let pages: number[] | null = [];
  for (const k of consts) {
    const first = k.addr / BigInt(PAGE);
    if (first + BigInt(k.count) > BigInt(memPages)) { pages = null; break; }
    for (let p = 0; p < k.count; p++) pages.push(Number(first) + p);
  }
  const modes = pages ? pages.map((p) => modeAt(s.eps[senderIdx], p)) : [];
  return { s, txn, senderIdx, consts, declaredPages: comp.pageCount, pages, modes, mode: modes.length ? modes[0] : -1 };
}

const overlap = (k: readonly RawConstituent[]): boolean => {
  for (let i = 0; i < k.length; i++) for (let j = i + 1; j < k.length; j++) {
    const a0 = k[i].addr, a1 = a0 + BigInt(k[i].count) * 4096n, b0 = k[j].addr, b1 = b0 + BigInt(k[j].count) * 4096n;
    if (a0 < b1 && b0 < a1) return true;
  }
  return false;
};
const implied = (perms: number): number => ((perms & 3) === 1 ? M.R : (perms & 3) === 2 ? M.R | M.W : 0);

export const completeFailures: readonly Check<CompleteCtx>[] = [
  row('overlap', (c) => overlap(c.consts), INV),
  row('page_count', (c) => c.consts.reduce((a, k) => a + k.count, 0) !== c.declaredPages, INV),
  row('no_constituents', (c) => c.consts.length === 0, INV),
  row('unaligned', (c) => c.consts.some((k) => k.addr % 4096n !== 0n), INV),
  row('modes_differ', (c) => c.pages === null || c.modes.some((m) => m !== c.mode), DENIED),
  row('device', (c) => (c.mode & M.D) !== 0 && (((c.txn.attrs >> 4) & 3) === 2 || !(c.txn.func === 'LEND' && c.txn.receivers.length === 1)), DENIED),
  row('not_owner_ea', (c) => c.mode < 0 || (c.mode & STATE_BITS) !== 0, DENIED),
  row('clear_no_w', (c) => (c.txn.flags & 1) !== 0 && (c.mode & M.W) === 0, DENIED),
  row('perm_exceeds', (c) => c.txn.receivers.some((r) => (implied(r.perms) & ~c.mode) !== 0), DENIED),
];

/** The sender's mode after a successful send (Hafnium ffa_send_check_transition). */
export function senderModeAfter(func: Func, orig: number): number {
  const keep = orig & (M.D | M.NS);
  if (func === 'SHARE') return orig | M.SHARED;
  if (func === 'LEND') return M.INVALID | keep;
  return M.INVALID | M.UNOWNED | keep;
}

/** Run the completion checks and effect for transaction `slot`; a failure frees the transaction. */
export function complete(s: Real, slot: number, memPages: number, words: number, spec: Spec): Outcome {
  const c = completeContext(s, slot, memPages);
  const f = firstFailure(spec.completeFailures, c);
  if (f) return { state: setTxn(s, slot, null), status: f.code, ret: errorRegs(ERR[f.code]), cleared: [], row: f.row, sideEffect: true };
  const pages = c.pages ?? [];
  const consts: Constituent[] = c.consts.map((k) => ({ page: Number(k.addr / 4096n), count: k.count }));
  let st = setModes(s, c.senderIdx, pages, () => senderModeAfter(c.txn.func, c.mode));
  const clear = (c.txn.flags & 1) !== 0;
  st = setTxn(st, slot, { ...c.txn, buf: null, complete: true, constituents: consts, pageCount: pages.length, origMode: c.mode });
  const cleared = clear ? spec.sendClear(pages) : [];
  st = spec.zero(st, cleared, words);
  const h = c.txn.handle;
  return { state: st, status: 'SUCCESS', ret: regs8(0x84000061, 0, Number(h & 0xffffffffn), Number(h >> 32n)), cleared };
}

// ---- FFA_MEM_FRAG_TX (reference §4.2) ----

export interface FragTxCtx { readonly call: Call; readonly handle: bigint; readonly len: number; readonly senderId: number; readonly slot: number }
export const MEM_FRAG_TX: Abi<FragTxCtx> = {
  name: 'MEM_FRAG_TX',
  context: (call) => {
    const handle = BigInt(w(call, 1)) | (BigInt(w(call, 2)) << 32n);
    return { call, handle, len: w(call, 3), senderId: (w(call, 4) >>> 16) & 0xffff, slot: txnSlot(call.s, handle) };
  },
  failures: [
    row('sender_id', (c) => c.senderId !== 0, INV),
    row('no_tx', (c) => c.call.e.mbox.tx < 0, INV),
    row('length', (c) => c.len > MAILBOX_SIZE || c.len < 16 || c.len % 16 !== 0, INV),
    row('handle', (c) => c.slot < 0, INV),
    row('not_sender', (c) => c.call.s.txns[c.slot]?.sender !== c.call.e.id, INV),
    row('complete', (c) => c.call.s.txns[c.slot]?.complete === true, INV),
  ],
  effect: (c, spec) => {
    const s = c.call.s;
    const txn = s.txns[c.slot] as Txn;
    if (txn.fragCounts.length >= c.call.cfg.maxFragments) {
      // Fragment table full: NO_MEMORY and the transaction is freed (reference §4.2).
      return { state: setTxn(s, c.slot, null), status: 'NO_MEMORY', ret: errorRegs(ERR.NO_MEMORY), cleared: [], row: 'frag_full', sideEffect: true };
    }
    const frag = readPage(s, c.call.e.mbox.tx, c.len).toArray();
    const old = txn.buf ?? new Uint8Array(0);
    const buf = new Uint8Array(old.length + frag.length);
    buf.set(old, 0);
    buf.set(frag, old.length);
    const st = setTxn(s, c.slot, { ...txn, buf, fragCounts: [...txn.fragCounts, c.len >> 4] });
    if (buf.length !== txn.totalLen) {
      return { state: st, status: 'MEM_FRAG_RX', ret: regs8(0x8400007a, Number(c.handle & 0xffffffffn), Number(c.handle >> 32n), buf.length, 0), cleared: [] };
    }
    return spec.complete(st, c.slot, c.call.cfg.pages, c.call.cfg.words, spec);
  },
};
