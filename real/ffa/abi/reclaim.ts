// FFA_MEM_RELINQUISH (reference §4.5) and FFA_MEM_RECLAIM (§4.6).
// Hafnium: src/ffa_memory.c ffa_memory_relinquish / ffa_relinquish_check_transition /
// ffa_memory_reclaim, src/api.c api_ffa_mem_relinquish / api_ffa_mem_reclaim.
import { Bytes, readPage } from '../bytes';
import { DENIED, INV, M, MAILBOX_SIZE, NA, pageState } from '../consts';
import { RelinquishDesc, parseRelinquish } from '../descriptor';
import { Abi, Call, row, success, w } from '../table';
import { Txn, addFlow, epIndex, modeAt, pagesOf, setModes, setTxn, txnSlot } from '../state';

export interface RelinquishCtx { readonly call: Call; readonly d: RelinquishDesc; readonly slot: number; readonly txn: Txn | null; readonly ri: number }

/** Hafnium: clear only when every other receiver has already relinquished; otherwise ignored. */
const effectiveClear = (c: RelinquishCtx): boolean =>
  (c.d.flags & 1) !== 0 && (c.txn as Txn).receivers.every((r, k) => k === c.ri || r.retrieved === 0);
const modes = (c: RelinquishCtx): number[] => pagesOf((c.txn as Txn).constituents).map((p) => modeAt(c.call.e, p));

export const MEM_RELINQUISH: Abi<RelinquishCtx> = {
  name: 'MEM_RELINQUISH',
  context: (call) => {
    const b = call.e.mbox.tx >= 0 ? readPage(call.s, call.e.mbox.tx, MAILBOX_SIZE) : new Bytes(new Uint8Array(0));
    const d = parseRelinquish(b);
    const slot = txnSlot(call.s, d.handle);
    const txn = slot >= 0 ? call.s.txns[slot] : null;
    return { call, d, slot, txn, ri: txn ? txn.receivers.findIndex((r) => r.id === call.e.id) : -1 };
  },
  failures: [
    row('no_tx', (c) => c.call.e.mbox.tx < 0, INV),
    row('endpoint_count', (c) => c.d.count !== 1, INV),
    row('not_self', (c) => c.d.endpoints[0] !== c.call.e.id, INV),
    row('handle', (c) => c.txn === null, INV),
    row('incomplete', (c) => !c.txn?.complete, INV),
    row('not_receiver', (c) => c.ri < 0, INV),
    row('not_retrieved', (c) => (c.txn as Txn).receivers[c.ri].retrieved !== (c.txn as Txn).fragCounts.length, INV),
    row('share_clear', (c) => effectiveClear(c) && c.txn?.func === 'SHARE', INV),
    row('clear_ro', (c) => effectiveClear(c) && ((c.txn as Txn).receivers[c.ri].mode & M.W) === 0, DENIED),
    row('modes_differ', (c) => modes(c).some((m, _, a) => m !== a[0]), DENIED),
    row('not_borrower', (c) => { const st = pageState(modes(c)[0] ?? -1); return st !== '!Owner-EA' && st !== '!Owner-SA'; }, DENIED),
  ],
  effect: (c, spec) => {
    const t = c.txn as Txn;
    const pages = pagesOf(t.constituents);
    let s = setModes(c.call.s, c.call.i, pages, () => NA);
    const receivers = t.receivers.map((r, k) => (k === c.ri ? { ...r, retrieved: r.retrieved - t.fragCounts.length, mode: 0 } : r));
    s = setTxn(s, c.slot, { ...t, receivers });
    const cleared = effectiveClear(c) ? pages : [];
    s = spec.zero(s, cleared, c.call.cfg.words);
    if (!cleared.length) s = addFlow(s, c.call.i, epIndex(s, t.sender));
    return { ...success(s), cleared };
  },
};

export interface ReclaimCtx { readonly call: Call; readonly handle: bigint; readonly flags: number; readonly slot: number; readonly txn: Txn | null }
const senderModes = (c: ReclaimCtx): number[] => pagesOf((c.txn as Txn).constituents).map((p) => modeAt(c.call.e, p));

export const MEM_RECLAIM: Abi<ReclaimCtx> = {
  name: 'MEM_RECLAIM',
  context: (call) => {
    const handle = BigInt(w(call, 1)) | (BigInt(w(call, 2)) << 32n);
    const slot = txnSlot(call.s, handle);
    return { call, handle, flags: w(call, 3), slot, txn: slot >= 0 ? call.s.txns[slot] : null };
  },
  // Flag bits other than 0 and 1 are not checked [H].
  failures: [
    row('allocator', (c) => c.handle >> 63n !== 0n, INV),
    row('handle', (c) => c.txn === null, INV),
    row('incomplete', (c) => !c.txn?.complete, INV),
    row('not_owner', (c) => c.txn?.sender !== c.call.e.id, INV),
    row('retrieved', (c) => (c.txn as Txn).receivers.some((r) => r.retrieved !== 0), DENIED),
    row('clear_no_w', (c) => (c.flags & 1) !== 0 && ((c.txn as Txn).origMode & M.W) === 0, DENIED),
    row('modes_differ', (c) => senderModes(c).some((m, _, a) => m !== a[0]), DENIED),
  ],
  effect: (c, spec) => {
    const t = c.txn as Txn;
    const pages = pagesOf(t.constituents);
    let s = setModes(c.call.s, c.call.i, pages, () => t.origMode);
    s = setTxn(s, c.slot, null);
    const cleared = (c.flags & 1) !== 0 ? spec.reclaimClear(pages) : [];
    s = spec.zero(s, cleared, c.call.cfg.words);
    return { ...success(s), cleared };
  },
};
