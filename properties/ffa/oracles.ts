// Independent oracles (DESIGN "Independent oracles"): they share no code with the real machine's
// checks and effects. Written again from reference §4/§5 as data evaluated on the pre-state:
//  - status: for each ABI an ordered list of conditions with the status they give. Where the list
//    is the whole of §4 for that call (`exact`) the real status must equal the first that holds (or
//    success); for the memory-send and retrieve calls the list is a known prefix (exact) followed by
//    conditions under which the call must not succeed;
//  - transitions: §5 as a table: which (endpoint, page) modes a successful call may change, from
//    which FF-A page state to which; every other mode unchanged;
//  - postconditions: clear flags zero the pages; RX holds the message and zero after it; RX is only
//    written when EMPTY; a failing call changes nothing.
import type { Violation } from '../../model/system';
import { pdiff, pget } from '../../model/pvec';
import { Obs, RealState } from '../../real/ffa/machine';

const U32 = 0xffffffffn;
const hx = (v: number | bigint): string => `0x${v.toString(16)}`;
// ---- an independent byte view of a page ----
function view(s: RealState, page: number, n: number) {
  const words = page >= 0 && page < s.mem.size ? pget(s.mem, page) : [];
  const len = Math.max(0, Math.min(n, words.length * 8));
  const b = new Uint8Array(len);
  for (let o = 0; o < len; o += 8) {
    const lo = Number(words[o >> 3] & 0xffffffffn), hi = Number(words[o >> 3] >> 32n);
    for (let k = 0; k < 4 && o + k < len; k++) b[o + k] = (lo >>> (8 * k)) & 0xff;
    for (let k = 0; k < 4 && o + 4 + k < len; k++) b[o + 4 + k] = (hi >>> (8 * k)) & 0xff;
  }
  const byte = (o: number): number => (o >= 0 && o < len ? b[o] : 0);
  const u16 = (o: number) => byte(o) | (byte(o + 1) << 8);
  const u32 = (o: number) => (u16(o) | (u16(o + 2) << 16)) >>> 0;
  return { u16, u32, u64: (o: number) => BigInt(u32(o)) | (BigInt(u32(o + 4)) << 32n) };
}
// ---- FF-A page states from mode bits (R1 W2 X4 D8 INVALID16 UNOWNED32 SHARED64) ----
function stateName(m: number): string {
  if (m < 0) return 'absent';
  const inv = (m & 16) !== 0, un = (m & 32) !== 0, sh = (m & 64) !== 0;
  if (inv) return un ? '!Owner-NA' : 'Owner-NA';
  if (un) return sh ? '!Owner-SA' : '!Owner-EA';
  return sh ? 'Owner-SA' : 'Owner-EA';
}
const ERRS = new Set(['NOT_SUPPORTED', 'INVALID_PARAMETERS', 'NO_MEMORY', 'BUSY', 'INTERRUPTED', 'DENIED', 'RETRY', 'ABORTED', 'NO_DATA']);
export const isError = (status: string): boolean => ERRS.has(status);

interface Ctx { pre: RealState; post: RealState; i: number; cpu: number; x: bigint[]; w: (k: number) => number; abi: string }
/** The vCPU of a partition with n vCPUs on a CPU (reference §4.10, Hafnium api_ffa_get_vm_vcpu):
 *  a single vCPU wherever it runs; else the CPU's own index, if the partition has one (-1: none). */
const vcpuAt = (n: number, cpu: number): number => (n === 1 ? 0 : cpu >= 0 && cpu < n ? cpu : -1);
type Cond = readonly [why: string, holds: boolean | (() => boolean), status: string];
interface Table { exact: readonly Cond[]; mustFail?: readonly Cond[] }

/** A partition's mode of a page; -1 (absent) outside memory. */
const md = (e: RealState['eps'][number], p: number): number => (p >= 0 && p < e.modes.size ? pget(e.modes, p) : -1);
const idx = (s: RealState, id: number): number => s.eps.findIndex((e) => e.id === id);
const isSP = (id: number): boolean => (id & 0x8000) !== 0;
function txnOf(s: RealState, h: bigint) { return h < BigInt(s.txns.length) ? s.txns[Number(h)] : null; }
function pages(t: { constituents: readonly { page: number; count: number }[] }): number[] {
  const out: number[] = [];
  for (const c of t.constituents) for (let k = 0; k < c.count; k++) out.push(c.page + k);
  return out;
}

function table(c: Ctx): Table | null {
  const { pre, i, w } = c;
  const me = pre.eps[i];
  const tx = me.mbox.tx, rxBusy = me.mbox.rx < 0 || me.mbox.full;
  const handle12 = BigInt(w(1)) | (BigInt(w(2)) << 32n);
  switch (c.abi) {
    case 'UNKNOWN': return { exact: [['not an FF-A function', true, 'NOT_SUPPORTED']] };
    case 'ID_GET': return { exact: [] };
    case 'VERSION': return { exact: [['bit 31 of the requested version', (w(1) >>> 31) === 1, 'NOT_SUPPORTED']] };
    case 'FEATURES': return null;
    case 'RX_RELEASE': return { exact: [['w1 id MBZ', (w(1) >>> 16) !== 0, 'INVALID_PARAMETERS'], ['RX empty', !me.mbox.full || me.mbox.rx < 0, 'DENIED']] };
    case 'RXTX_UNMAP': return { exact: [['w1 id MBZ', (w(1) >>> 16) !== 0, 'INVALID_PARAMETERS'], ['no buffers', tx < 0, 'INVALID_PARAMETERS']] };
    case 'RXTX_MAP': {
      const wide = (c.x[0] >> 24n & 0xffn) === 0xc4n;
      const a1 = wide ? c.x[1] : c.x[1] & U32, a2 = wide ? c.x[2] : c.x[2] & U32;
      const modeAt = (a: bigint) => (a / 4096n < BigInt(pre.cfg.pages) ? md(me, Number(a / 4096n)) : -1);
      const ea = (m: number, need: number) => stateName(m) === 'Owner-EA' && (m & need) === need;
      return { exact: [
        ['buffers already mapped', tx >= 0, 'DENIED'], ['page count not 1', w(3) !== 1, 'INVALID_PARAMETERS'],
        ['unaligned', a1 % 4096n !== 0n || a2 % 4096n !== 0n, 'INVALID_PARAMETERS'], ['TX = RX', a1 === a2, 'INVALID_PARAMETERS'],
        ['TX not Owner-EA RW', () => !ea(modeAt(a1), 3), 'INVALID_PARAMETERS'], ['RX not Owner-EA R', () => !ea(modeAt(a2), 1), 'INVALID_PARAMETERS']] };
    }
    case 'MEM_RECLAIM': {
      const t = handle12 >> 63n ? null : txnOf(pre, handle12);
      return { exact: [
        ['hypervisor handle', (handle12 >> 63n) !== 0n, 'INVALID_PARAMETERS'], ['unknown handle', !t, 'INVALID_PARAMETERS'],
        ['sending incomplete', () => !t!.complete, 'INVALID_PARAMETERS'], ['caller not the sender', () => t!.sender !== me.id, 'INVALID_PARAMETERS'],
        ['still retrieved', () => t!.receivers.some((r) => r.retrieved !== 0), 'DENIED'],
        ['clear without write', () => (w(3) & 1) !== 0 && (t!.origMode & 2) === 0, 'DENIED'],
        ['pages differ', () => { const m = pages(t!).map((p) => md(me, p)); return m.some((x) => x !== m[0]); }, 'DENIED']] };
    }
    case 'MEM_FRAG_RX': {
      const t = txnOf(pre, handle12);
      const ri = t ? t.receivers.findIndex((r) => r.id === me.id) : -1;
      return { exact: [
        ['w4 sender MBZ', (w(4) >>> 16) !== 0, 'INVALID_PARAMETERS'], ['RX busy', rxBusy, 'BUSY'], ['unknown handle', !t || (handle12 >> 63n) !== 0n, 'INVALID_PARAMETERS'],
        ['incomplete', () => !t!.complete, 'INVALID_PARAMETERS'], ['not a receiver', ri < 0, 'INVALID_PARAMETERS'],
        ['nothing to continue', () => t!.receivers[ri].retrieved === 0 || t!.receivers[ri].retrieved >= t!.fragCounts.length, 'INVALID_PARAMETERS'],
        ['offset', () => w(3) !== 80 + 16 * t!.fragCounts.slice(0, t!.receivers[ri].retrieved).reduce((a, b) => a + b, 0), 'INVALID_PARAMETERS']] };
    }
    case 'MEM_RELINQUISH': {
      const d = view(pre, tx, 4096);
      const h = d.u64(0), flags = d.u32(8), n = d.u32(12);
      const t = tx >= 0 && !(h >> 63n) ? txnOf(pre, h) : null;
      const ri = t ? t.receivers.findIndex((r) => r.id === me.id) : -1;
      const clear = () => (flags & 1) !== 0 && t!.receivers.every((r, k) => k === ri || r.retrieved === 0);
      const m = () => pages(t!).map((p) => md(me, p));
      return { exact: [
        ['no TX', tx < 0, 'INVALID_PARAMETERS'], ['endpoint count not 1', n !== 1, 'INVALID_PARAMETERS'], ['endpoint not the caller', d.u16(16) !== me.id, 'INVALID_PARAMETERS'],
        ['unknown handle', !t, 'INVALID_PARAMETERS'], ['incomplete', () => !t!.complete, 'INVALID_PARAMETERS'], ['not a receiver', ri < 0, 'INVALID_PARAMETERS'],
        ['not retrieved', () => t!.receivers[ri].retrieved !== t!.fragCounts.length, 'INVALID_PARAMETERS'],
        ['clear on SHARE', () => clear() && t!.func === 'SHARE', 'INVALID_PARAMETERS'],
        ['clear by a read-only borrower', () => clear() && (m()[0] & 2) === 0, 'DENIED'],
        ['pages differ', () => m().some((x) => x !== m()[0]), 'DENIED'],
        ['not a borrower', () => !['!Owner-EA', '!Owner-SA'].includes(stateName(m()[0])), 'DENIED']] };
    }
    case 'MSG_SEND2': {
      const h = view(pre, tx, 24);
      const rcv = h.u16(12), ri = idx(pre, rcv);
      const cfgOf = (id: number) => pre.cfg.endpoints.find((e) => e.id === id);
      return { exact: [
        ['w1 sender MBZ', (w(1) >>> 16) !== 0, 'INVALID_PARAMETERS'], ['no TX', tx < 0, 'DENIED'], ['header sender', h.u16(14) !== me.id, 'INVALID_PARAMETERS'],
        ['to self', rcv === me.id, 'INVALID_PARAMETERS'], ['NWd flags', !isSP(me.id) && w(2) !== 0, 'INVALID_PARAMETERS'], ['unknown receiver', ri < 0, 'INVALID_PARAMETERS'],
        ['indirect messaging unsupported', () => !cfgOf(rcv)!.indirect || !cfgOf(me.id)!.indirect, 'DENIED'],
        ['receiver RX busy', () => pre.eps[ri].mbox.rx < 0 || pre.eps[ri].mbox.full, 'BUSY'],
        ['bounds', h.u32(8) < 24 || h.u32(8) + h.u32(16) > 4096, 'INVALID_PARAMETERS']] };
    }
    case 'MSG_SEND_DIRECT_REQ': {
      const snd = w(1) >>> 16, rcv = w(1) & 0xffff, ri = idx(pre, rcv);
      const mine = me.vcpus[vcpuAt(me.vcpus.length, c.cpu)];
      const target = () => pre.eps[ri].vcpus[vcpuAt(pre.eps[ri].vcpus.length, c.cpu)];
      return { exact: [
        ['flags', w(2) !== 0, 'INVALID_PARAMETERS'], ['ids', snd === rcv || !isSP(rcv) || snd !== me.id, 'INVALID_PARAMETERS'],
        ['unknown receiver', ri < 0, 'INVALID_PARAMETERS'], ['direct messaging unsupported', () => !pre.cfg.endpoints[ri].direct, 'DENIED'],
        ['no receiver vCPU for this CPU', () => !target(), 'INVALID_PARAMETERS'],
        ['receiver vCPU busy', () => target().waiting >= 0 || target().serving >= 0, 'BUSY'], ['call-chain loop', mine?.serving === rcv, 'DENIED']] };
    }
    case 'MSG_SEND_DIRECT_RESP': {
      const snd = w(1) >>> 16, rcv = w(1) & 0xffff;
      const mine = me.vcpus[vcpuAt(me.vcpus.length, c.cpu)];
      return { exact: [
        ['flags', w(2) !== 0, 'INVALID_PARAMETERS'], ['ids', snd !== me.id || snd === rcv || !isSP(me.id), 'INVALID_PARAMETERS'],
        ['not the requester', rcv !== mine?.serving, 'DENIED']] };
    }
    case 'PARTITION_INFO_GET': {
      const uuid = [w(1), w(2), w(3), w(4)], nil = uuid.every((u) => u === 0);
      const n = pre.cfg.endpoints.filter((e) => isSP(e.id) && (nil || e.uuid.every((u, j) => u === uuid[j]))).length;
      return { exact: [['flags', (w(5) & ~1) !== 0, 'INVALID_PARAMETERS'], ['no match', n === 0, 'INVALID_PARAMETERS'], ['RX busy', (w(5) & 1) === 0 && rxBusy, 'BUSY']] };
    }
    case 'MEM_FRAG_TX': {
      const t = txnOf(pre, handle12);
      return { exact: [
        ['w4 sender MBZ', (w(4) >>> 16) !== 0, 'INVALID_PARAMETERS'], ['no TX', tx < 0, 'INVALID_PARAMETERS'],
        ['length', w(3) > 4096 || w(3) < 16 || w(3) % 16 !== 0, 'INVALID_PARAMETERS'], ['unknown handle', !t || (handle12 >> 63n) !== 0n, 'INVALID_PARAMETERS'],
        ['not the sender', () => t!.sender !== me.id, 'INVALID_PARAMETERS'], ['complete', () => t!.complete, 'INVALID_PARAMETERS'],
        ['fragment table full', () => t!.fragCounts.length >= pre.cfg.maxFragments, 'NO_MEMORY']], mustFail: [] };
    }
    case 'MEM_SHARE': case 'MEM_LEND': case 'MEM_DONATE': {
      const func = c.abi.slice(4);
      const d = view(pre, tx, Math.min(w(2), 4096));
      const wide = (c.x[0] >> 24n & 0xffn) === 0xc4n;
      const count = d.u32(28), ro = d.u32(32), flags = d.u32(4);
      const emads = Array.from({ length: Math.min(count, 4) }, (_, k) => ({ id: d.u16(ro + 16 * k), perms: d.u16(ro + 16 * k + 2) & 0xff }));
      const co = d.u32(ro + 4), single = w(1) === w(2);
      const nconst = d.u32(co + 4);
      const consts = Array.from({ length: Math.min(nconst, 32) }, (_, k) => ({ addr: d.u64(co + 16 + 16 * k), n: d.u32(co + 24 + 16 * k) }));
      const inMem = consts.every((k) => k.addr % 4096n === 0n && k.addr / 4096n + BigInt(k.n) <= BigInt(pre.cfg.pages));
      const pg: number[] = inMem ? consts.flatMap((k) => Array.from({ length: k.n }, (_, j) => Number(k.addr / 4096n) + j)) : [];
      return {
        exact: [
          ['descriptor in a separate buffer', (wide ? c.x[3] !== 0n || c.x[4] !== 0n : w(3) !== 0 || w(4) !== 0), 'INVALID_PARAMETERS'],
          ['fragment longer than the total', w(2) > w(1), 'INVALID_PARAMETERS'], ['no TX', tx < 0, 'INVALID_PARAMETERS'], ['fragment longer than TX', w(2) > 4096, 'INVALID_PARAMETERS']],
        mustFail: [
          ['descriptor sender is not the caller', d.u16(0) !== me.id, 'DENIED'],
          ['receiver is the caller', emads.some((e) => e.id === me.id), 'INVALID_PARAMETERS'],
          ['SP sends to a normal-world endpoint', isSP(me.id) && emads.some((e) => !isSP(e.id)), 'DENIED'],
          ['LEND/DONATE to a normal-world endpoint', func !== 'SHARE' && emads.some((e) => !isSP(e.id)), 'DENIED'],
          ['SHARE with clear', func === 'SHARE' && (flags & 1) !== 0, 'INVALID_PARAMETERS'],
          ['DONATE to several', func === 'DONATE' && count !== 1, 'INVALID_PARAMETERS'],
          ['overlapping constituents', single && consts.some((a, k) => consts.some((b, j) => j > k && a.addr < b.addr + BigInt(b.n) * 4096n && b.addr < a.addr + BigInt(a.n) * 4096n)), 'INVALID_PARAMETERS'],
          ['page count mismatch', single && consts.reduce((a, k) => a + k.n, 0) !== d.u32(co), 'INVALID_PARAMETERS'],
          ['pages not Owner-EA for the caller', single && nconst > 0 && (!inMem || pg.some((p) => stateName(md(me, p)) !== 'Owner-EA')), 'DENIED'],
          ['clear without write permission', single && (flags & 1) !== 0 && pg.some((p) => (md(me, p) & 2) === 0), 'DENIED'],
          ['granting more than the caller has', single && Array.from({ length: Math.min(count, 4) }, (_, k) => d.u32(ro + 16 * k) >>> 16 & 3).some((dp) => dp === 2 && pg.some((p) => (md(me, p) & 2) === 0)), 'DENIED'],
        ],
      };
    }
    case 'MEM_RETRIEVE_REQ': {
      const d = view(pre, tx, Math.min(w(1), 4096));
      const h = d.u64(8), t = tx >= 0 && !(h >> 63n) ? txnOf(pre, h) : null;
      const count = d.u32(28), ro = d.u32(32);
      const mine = Array.from({ length: Math.min(count, 4) }, (_, k) => ({ id: d.u16(ro + 16 * k), perms: d.u32(ro + 16 * k) >>> 16 & 0xff })).find((e) => e.id === me.id);
      const ri = t ? t.receivers.findIndex((r) => r.id === me.id) : -1;
      const grantedRW = () => (t!.func === 'DONATE' ? (t!.origMode & 2) !== 0 : (t!.receivers[ri].perms & 3) === 2);
      return {
        exact: [
          ['w3/w4 MBZ', w(3) !== 0 || w(4) !== 0, 'INVALID_PARAMETERS'], ['fragmented request', w(1) !== w(2), 'INVALID_PARAMETERS'],
          ['longer than the mailbox', w(1) > 4096, 'INVALID_PARAMETERS'], ['no TX', tx < 0, 'INVALID_PARAMETERS'], ['RX busy', rxBusy, 'BUSY']],
        mustFail: [
          ['unknown handle', !t, 'INVALID_PARAMETERS'], ['incomplete', () => !t!.complete, 'INVALID_PARAMETERS'],
          ['not a receiver', ri < 0, 'INVALID_PARAMETERS'], ['no EMAD for the caller', !mine, 'INVALID_PARAMETERS'],
          ['RW asked, RO granted', () => !!mine && (mine.perms & 3) === 2 && !grantedRW(), 'DENIED'],
          ['X asked, not granted', () => !!mine && ((mine.perms >> 2) & 3) === 2 && (t!.func === 'SHARE' || (t!.origMode & 4) === 0 || (t!.origMode & 128) !== 0), 'DENIED'],
          ['already has access', () => pages(t!).some((p) => stateName(md(me, p)) !== '!Owner-NA'), 'DENIED'],
          ['descriptor sender is not the transaction sender', () => d.u16(0) !== t!.sender, 'DENIED'],
        ],
      };
    }
    default: return null;
  }
}

const holds = (c: Cond): boolean => (typeof c[1] === 'function' ? c[1]() : c[1]);

/** The status oracle: the real status against the table of its ABI evaluated on the pre-state. */
export function statusOracle(pre: RealState, i: number, cpu: number, regs: readonly bigint[], o: Obs & { k: 'smc' }, post: RealState): Violation[] {
  const x: bigint[] = new Array(18).fill(0n);
  regs.slice(0, 18).forEach((r, k) => { x[k] = r & ((1n << 64n) - 1n); });
  const c: Ctx = { pre, post, i, cpu, x, w: (k) => Number(x[k] & U32), abi: o.abi };
  const t = table(c);
  if (!t) return [];
  const bad = (detail: string): Violation[] => [{ property: 'Oracle status', component: `${o.abi} by ${hx(pre.eps[i].id)}`, detail }];
  for (const cond of t.exact) {
    if (holds(cond)) return o.status === cond[2] ? [] : bad(`expected ${cond[2]} (${cond[0]}), got ${o.status}`);
  }
  if (!t.mustFail) return isError(o.status) ? bad(`expected success, got ${o.status}`) : [];
  if (isError(o.status)) return [];
  for (const cond of t.mustFail) if (holds(cond)) return bad(`succeeded (${o.status}) although ${cond[0]} (expected an error)`);
  return [];
}

// ---- §5 transitions ----
type Row = { op: string; from: readonly string[]; to: string };
const T: Readonly<Record<string, Row>> = {
  'SHARE send': { op: 'send', from: ['Owner-EA'], to: 'Owner-SA' },
  'LEND send': { op: 'send', from: ['Owner-EA'], to: 'Owner-NA' },
  'DONATE send': { op: 'send', from: ['Owner-EA'], to: '!Owner-NA' },
  'SHARE retrieve': { op: 'retrieve', from: ['!Owner-NA'], to: '!Owner-SA' },
  'LEND retrieve': { op: 'retrieve', from: ['!Owner-NA'], to: '!Owner-EA' },
  'DONATE retrieve': { op: 'retrieve', from: ['!Owner-NA'], to: 'Owner-EA' },
  'SHARE relinquish': { op: 'relinquish', from: ['!Owner-SA'], to: '!Owner-NA' },
  'LEND relinquish': { op: 'relinquish', from: ['!Owner-EA'], to: '!Owner-NA' },
  'SHARE reclaim': { op: 'reclaim', from: ['Owner-SA'], to: 'Owner-EA' },
  'LEND reclaim': { op: 'reclaim', from: ['Owner-NA'], to: 'Owner-EA' },
  'DONATE reclaim': { op: 'reclaim', from: ['!Owner-NA'], to: 'Owner-EA' },
  'RXTX_MAP': { op: 'map', from: ['Owner-EA'], to: '!Owner-SA' },
  'RXTX_UNMAP': { op: 'unmap', from: ['!Owner-SA'], to: 'Owner-EA' },
};
export const TRANSITION_ROWS = [
  'SHARE send', 'SHARE(2) send', 'LEND send', 'LEND(2) send', 'DONATE send', 'SHARE retrieve', 'SHARE(2) retrieve', 'LEND retrieve',
  'LEND(2) retrieve', 'DONATE retrieve', 'SHARE relinquish', 'SHARE(2) relinquish', 'LEND relinquish', 'LEND(2) relinquish',
  'SHARE reclaim', 'SHARE(2) reclaim', 'LEND reclaim', 'LEND(2) reclaim', 'DONATE reclaim', 'RXTX_MAP', 'RXTX_UNMAP',
];

/** The transition a successful call makes: its §5 row, the endpoint and the pages (or null: none). */
function expectedTransition(pre: RealState, post: RealState, i: number, x: bigint[], o: Obs & { k: 'smc' }): { key: string; row: Row; pages: number[] } | null {
  if (isError(o.status) || o.status === 'MEM_FRAG_RX' || o.status === 'MEM_FRAG_TX') return null;
  const me = pre.eps[i];
  const w = (k: number) => Number(x[k] & U32);
  const n = (t: { receivers: readonly unknown[] }) => (t.receivers.length > 1 ? '(2)' : '');
  switch (o.abi) {
    case 'MEM_SHARE': case 'MEM_LEND': case 'MEM_DONATE': case 'MEM_FRAG_TX': {
      const h = o.ret ? (o.ret[2] & U32) | ((o.ret[3] & U32) << 32n) : -1n;
      const t = txnOf(post, h);
      if (!t) return null;
      return { key: `${t.func}${n(t)} send`, row: T[`${t.func} send`], pages: pages(t) };
    }
    case 'MEM_RETRIEVE_REQ': {
      const t = txnOf(pre, view(pre, me.mbox.tx, 16).u64(8));
      return t ? { key: `${t.func}${n(t)} retrieve`, row: T[`${t.func} retrieve`], pages: pages(t) } : null;
    }
    case 'MEM_RELINQUISH': {
      const t = txnOf(pre, view(pre, me.mbox.tx, 8).u64(0));
      return t ? { key: `${t.func}${n(t)} relinquish`, row: T[`${t.func} relinquish`] ?? T['LEND relinquish'], pages: pages(t) } : null;
    }
    case 'MEM_RECLAIM': {
      const t = txnOf(pre, BigInt(w(1)) | (BigInt(w(2)) << 32n));
      return t ? { key: `${t.func}${n(t)} reclaim`, row: T[`${t.func} reclaim`], pages: pages(t) } : null;
    }
    case 'RXTX_MAP': { const e = post.eps[i]; return { key: 'RXTX_MAP', row: T.RXTX_MAP, pages: [e.mbox.tx, e.mbox.rx] }; }
    case 'RXTX_UNMAP': return { key: 'RXTX_UNMAP', row: T.RXTX_UNMAP, pages: [me.mbox.tx, me.mbox.rx] };
    default: return null;
  }
}

/** §5 as a table on the pre-state: only the caller's modes on the call's pages change, as the row says. */
export function transitionOracle(pre: RealState, post: RealState, i: number | null, x: bigint[] | null, o: Obs, hit?: (k: string) => void): Violation[] {
  const exp = o.k === 'smc' && i !== null && x ? expectedTransition(pre, post, i, x, o) : null;
  if (exp && hit) hit(exp.key);
  if (pre.eps === post.eps) return [];
  const out: Violation[] = [];
  const allowed = exp ? new Set(exp.pages) : new Set<number>();
  for (let k = 0; k < pre.eps.length; k++) {
    const ma = pre.eps[k].modes, mb = post.eps[k].modes;
    if (ma === mb) continue;
    // Only the leaves the step replaced can differ (pdiff reports them in page order).
    pdiff(ma, mb, (p, a, b) => {
      const where = `endpoint ${hx(pre.eps[k].id)} page ${hx(p * 4096)}`;
      if (!exp || k !== i || !allowed.has(p)) { out.push({ property: 'Oracle transition', component: where, detail: `mode changed ${stateName(a)} -> ${stateName(b)} outside any §5 row${exp ? ` (${exp.key})` : ''}` }); return; }
      if (!exp.row.from.includes(stateName(a)) || stateName(b) !== exp.row.to) {
        out.push({ property: 'Oracle transition', component: where, detail: `${exp.key}: ${stateName(a)} -> ${stateName(b)}, §5 says ${exp.row.from.join('/')} -> ${exp.row.to}` });
      }
    });
  }
  return out;
}

/** Postconditions: clear flags zero, RX holds the message then zero, RX written only when EMPTY, failed calls change nothing. */
export function postOracle(pre: RealState, post: RealState, i: number | null, x: bigint[] | null, o: Obs): Violation[] {
  const out: Violation[] = [];
  if (o.k === 'smc' && isError(o.status) && !o.side && post !== pre) out.push({ property: 'Oracle failed-call', component: o.abi, detail: `${o.status} but the state changed` });
  if (o.k === 'smc' && i !== null && x && o.status === 'SUCCESS') {
    const zero = (p: number) => p >= 0 && p < post.mem.size && pget(post.mem, p).every((v) => v === 0n);
    if (['MEM_LEND', 'MEM_DONATE', 'MEM_FRAG_TX'].includes(o.abi) && o.ret) {
      const t = txnOf(post, (o.ret[2] & U32) | ((o.ret[3] & U32) << 32n));
      if (t && (t.flags & 1) !== 0) for (const p of pages(t)) if (!zero(p)) out.push({ property: 'Oracle clear', component: `page ${hx(p * 4096)}`, detail: `${t.func} sent with the clear flag but the page is not zero` });
    }
    if (o.abi === 'MEM_RECLAIM' && (x[3] & 1n) !== 0n) {
      const t = txnOf(pre, (x[1] & U32) | ((x[2] & U32) << 32n));
      if (t) for (const p of pages(t)) if (!zero(p)) out.push({ property: 'Oracle clear', component: `page ${hx(p * 4096)}`, detail: 'reclaimed with the clear flag but the page is not zero' });
    }
  }
  if (post.mem !== pre.mem) {
    for (let k = 0; k < post.eps.length; k++) {
      const e = post.eps[k], rx = e.mbox.rx;
      if (rx < 0 || pget(post.mem, rx) === pget(pre.mem, rx)) continue;
      if (pre.eps[k].mbox.full && pre.eps[k].mbox.rx === rx) out.push({ property: 'Oracle RX', component: `endpoint ${hx(e.id)} RX`, detail: 'RX written while FULL (§7.7)' });
      const words = pget(post.mem, rx);
      const size = e.mbox.size, w0 = size >> 3;
      const tail = w0 < words.length ? (size % 8 ? words[w0] >> BigInt((size % 8) * 8) : words[w0]) : 0n;
      let bad = tail !== 0n ? size : -1;
      for (let k = w0 + 1; bad < 0 && k < words.length; k++) if (words[k] !== 0n) bad = k * 8;
      if (bad >= 0) out.push({ property: 'Oracle RX', component: `endpoint ${hx(e.id)} RX after byte ${bad}`, detail: `non-zero after the ${size}-byte message (§6 rule 5)` });
    }
  }
  return out;
}
