// FFA_RXTX_MAP / FFA_RXTX_UNMAP (reference §4.7) and FFA_RX_RELEASE (§4.8).
// Hafnium: src/api.c api_ffa_rxtx_map / api_vm_configure_pages / api_ffa_rxtx_unmap / api_ffa_rx_release.
import { DENIED, INV, M, PAGE, STATE_BITS } from '../consts';
import { Abi, Call, row, success, w, xr } from '../table';
import { pget, pset } from '../../../model/pvec';
import { NO_MAILBOX, modeAt, setEp } from '../state';

export interface MapCtx { readonly call: Call; readonly tx: bigint; readonly rx: bigint; readonly count: number; readonly txMode: number; readonly rxMode: number }
const pageOf = (c: Call, a: bigint): number => (a / BigInt(PAGE) < BigInt(c.cfg.pages) ? Number(a / BigInt(PAGE)) : -1);
const ownerEA = (m: number, need: number): boolean => m >= 0 && (m & STATE_BITS) === 0 && (m & need) === need;

export const RXTX_MAP: Abi<MapCtx> = {
  name: 'RXTX_MAP',
  context: (call) => {
    const tx = xr(call, 1), rx = xr(call, 2);
    return { call, tx, rx, count: w(call, 3), txMode: modeAt(call.e, pageOf(call, tx)), rxMode: modeAt(call.e, pageOf(call, rx)) };
  },
  failures: [
    row('mapped', (c) => c.call.e.mbox.tx >= 0, DENIED),
    row('count', (c) => c.count !== 1, INV),
    row('unaligned', (c) => c.tx % BigInt(PAGE) !== 0n || c.rx % BigInt(PAGE) !== 0n, INV),
    row('overlap', (c) => c.tx === c.rx, INV),
    row('tx_mode', (c) => !ownerEA(c.txMode, M.R | M.W), INV),
    row('rx_mode', (c) => !ownerEA(c.rxMode, M.R), INV),
  ],
  effect: (c) => {
    const e = c.call.e, tx = pageOf(c.call, c.tx), rx = pageOf(c.call, c.rx);
    const modes = pset(pset(e.modes, tx, M.UNOWNED | M.SHARED | M.R | M.W | (c.txMode & M.NS)), rx, M.UNOWNED | M.SHARED | M.R | (c.rxMode & M.NS));
    return success(setEp(c.call.s, c.call.i, { ...e, modes, mbox: { ...NO_MAILBOX, tx, rx } }));
  },
};

export const RXTX_UNMAP: Abi<Call> = {
  name: 'RXTX_UNMAP',
  context: (call) => call,
  failures: [
    row('id', (c) => (w(c, 1) >>> 16) !== 0, INV),
    row('no_buffers', (c) => c.e.mbox.tx < 0, INV),
  ],
  effect: (c) => {
    const e = c.e;
    let modes = e.modes;
    // Hafnium gives the pages back as Owner-EA R|W|X, not the mode they had before RXTX_MAP [H].
    for (const p of [e.mbox.tx, e.mbox.rx]) modes = pset(modes, p, M.R | M.W | M.X | (pget(modes, p) & M.NS));
    return success(setEp(c.s, c.i, { ...e, modes, mbox: NO_MAILBOX }));
  },
};

export const RX_RELEASE: Abi<Call> = {
  name: 'RX_RELEASE',
  context: (call) => call,
  failures: [
    row('id', (c) => (w(c, 1) >>> 16) !== 0, INV),
    row('empty', (c) => c.e.mbox.rx < 0 || !c.e.mbox.full, DENIED),
  ],
  effect: (c) => success(setEp(c.s, c.i, { ...c.e, mbox: { ...c.e.mbox, full: false, sender: 0, size: 0, func: '' } })),
};
