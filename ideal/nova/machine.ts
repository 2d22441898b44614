// The ideal NOVA machine (reference B.6): the real world (objects, counters, EC states, scheduling,
// memory contents) with every capability table and memory table read as the authority relation
// `Hold: (space, sel) → (obj, perms)`. Only the rules below change Hold. The ideal decides each
// hypercall's status from its own state in B.4's order (its own checks, not the real failure tables),
// does loads and stores from Hold, and reuses the real step only for what moves no authority.
//
// Rules (each switchable off; a trace that needs a switched-off rule then fails the check):
//  boot            B.2's boot holdings: the NOVA and root object spaces, the root's HIP and UTCB pages.
//  create          create_X by an EC holding valid(pd, PD, X): a fresh object's capability at `sel` in the
//                  caller's object space (all defined perms; a PD inherits the `pd` capability's perms);
//                  a host EC's UTCB page in its PD's host space.
//  ctrl-pd-copy    ctrl_pd between object spaces: dst[dsb+i] := (obj(src[ssb+i]), perm & pmm) when non-null.
//  ctrl-pd-map     ctrl_pd from a host space to a host/guest/DMA space: a page with perm & pmm (never a
//                  kernel page: UTCB, HIP, NOVA-protected memory).
//  ctrl-pd-revoke  ctrl_pd overwriting a slot with a null result (revocation by delegating nulls / pmm 0).
//  ipc-transfer    IPC copies mtd%512+1 UTCB words caller→callee (call) and back (reply); an event copies the
//                  sender's registers into the handler's UTCB (GPR bit) and back. The only data movement
//                  between PDs besides shared pages (B.4 "No capability moves by IPC").
//  delegate        (B.5) a delegation adds a child node with perm(parent) & mask where the slot is empty.
//  revoke          (B.5) revoke clears mask bits in the node's subtree (and the node itself if `self`).

import type { RuleSet, Stepped } from '../../model/system';
import { pget, pset } from '../../model/pvec';
import {
  ABORTED, Action, BAD_CAP, BAD_CPU, BAD_FTR, BAD_HYP, BAD_PAR, Cap, Config, Ec, M_R, M_W, MEM_CAP, MEM_OBJ, Mapping,
  Obs, OVRFLOW, State, SUCCESS, TIMEOUT, Type, definedPerms,
} from '../../real/nova/types';
import {
  ecAt, hipPage, isProtected, memSpace, memsel, obj, objSpace, pdAt, put, release, rootUtcbPage, sels, selnum, selOf, tableOf, withState,
} from '../../real/nova/state';
import type { Spec } from '../../real/nova/spec';
import { step as worldStep, hipWord, callName } from '../../real/nova/machine';
import { makeCtx } from '../../real/nova/call';
import { wrote } from '../../real/nova/flows';
import { classicRule } from './classic';

export type Ideal = State;
export const RULES = ['boot', 'create', 'ctrl-pd-copy', 'ctrl-pd-map', 'ctrl-pd-revoke', 'ipc-transfer', 'delegate', 'revoke'] as const;
type Out = Stepped<Ideal, Obs> & { fired: string[]; withheld: string[] };

// ---- Hold --------------------------------------------------------------------------------------
const hold = (w: Ideal, space: number, sel: number): Cap | null => objSpace(w, space)?.caps.get(sel) ?? null;
function holds(w: Ideal, e: Ec, sel: bigint, type: Type, sub: string | null, p: number): boolean {
  const c = hold(w, e.objSp, selOf(w.cfg, sel));
  const o = c ? obj(w, c.obj) : null;
  return !!c && !!o && o.type === type && (sub === null || (o.type === 'PD' && o.sub === sub)) && (c.perm & p) === p;
}
const target = (w: Ideal, e: Ec, sel: bigint) => { const c = hold(w, e.objSp, selOf(w.cfg, sel)); return c ? obj(w, c.obj) : null; };
/** A page the space holds: the NOVA host space holds every unprotected physical page. */
function page(w: Ideal, space: number, p: number): Mapping | null {
  if (space === w.novaHst) return p >= 0 && p < w.cfg.pages && !isProtected(w.cfg, p) ? { kind: 'ram', page: p, perm: 15, attr: 0 } : null;
  return memSpace(w, space)?.maps.get(p) ?? null;
}

// ---- Rule `boot`: the initial holdings of B.2 (Ec::create_root) ------------------------------
export function init(real: State, _c: Config, _spec: Spec, on: RuleSet): Ideal {
  let w: Ideal = real;
  const S = sels(w.cfg), root = pdAt(w, w.rootPd)!;
  const caps = new Map<number, Map<number, Cap>>([[w.novaObj, new Map()], [root.obj, new Map()]]);
  const maps = new Map<number, Map<number, Mapping>>([[root.hst, new Map()]]);
  if (on.has('boot')) {
    const n = caps.get(w.novaObj)!, r = caps.get(root.obj)!;
    const each = (f: (o: NonNullable<ReturnType<typeof obj>>) => void) => { for (let i = 0; i < w.next; i++) { const o = obj(w, i); if (o) f(o); } };
    let rootEc = -1;
    each((o) => {
      if (o.type === 'SM') n.set(o.irq < 0 ? S.NOVA_CON : S.NOVA_INT + o.irq, { obj: o.id, perm: definedPerms('SM', '', o.irq >= 0) });
      if (o.type === 'SC' && o.ec < 0) n.set(S.NOVA_CPU + o.cpu, { obj: o.id, perm: 1 });
      if (o.type === 'SC' && o.ec >= 0) r.set(S.R_SC, { obj: o.id, perm: 1 });
      if (o.type === 'EC' && o.pd === root.id) { rootEc = o.id; r.set(S.R_EC, { obj: o.id, perm: definedPerms('EC', '') }); }
    });
    n.set(S.NOVA_OBJ, { obj: w.novaObj, perm: 2 }).set(S.NOVA_HST, { obj: w.novaHst, perm: 2 });
    n.set(S.ROOT_OBJ, { obj: root.obj, perm: 3 }).set(S.ROOT_HST, { obj: root.hst, perm: 3 }).set(S.ROOT_PD, { obj: root.id, perm: 0x1f });
    r.set(S.R_NOVA, { obj: w.novaObj, perm: 2 }).set(S.R_OBJ, { obj: root.obj, perm: 3 }).set(S.R_PD, { obj: root.id, perm: 0x1f });
    maps.get(root.hst)!.set(hipPage(w.cfg), { kind: 'hip', page: 0, perm: M_R, attr: 0 }).set(rootUtcbPage(w.cfg), { kind: 'utcb', page: rootEc, perm: M_R | M_W, attr: 0 });
  }
  for (const [id, c] of caps) w = put(w, { ...objSpace(w, id)!, caps: c });
  for (const [id, m] of maps) w = put(w, { ...memSpace(w, id)!, maps: m });
  return w;
}

// ---- Status: B.4's checks in order, from the ideal's own state ------------------------------
const r = (x: readonly bigint[], i: number) => BigInt.asUintN(64, x[i] ?? 0n);
function decide(w: Ideal, e: Ec, x: readonly bigint[], spec: Spec): number | null {
  const c = w.cfg, n = Number(x[0] & 0xfn), f = Number((x[0] >> 4n) & 0xfn), sel = x[0] >> 8n, at = selOf(c, sel);
  const pdObj = () => { const o = target(w, e, r(x, 1)); return o && o.type === 'PD' && o.sub === 'pd' ? o : null; };
  const isRoot = e.objSp === pdAt(w, w.rootPd)?.obj;
  const insert = (charged: number): number | null => {
    const sp = objSpace(w, e.objSp)!, owner = pdAt(w, sp.pd), payer = pdAt(w, charged);
    if (w.next >= c.maxObjects || (!spec.classic && payer && payer.quota <= 0)) return MEM_OBJ;
    if (!spec.classic && owner && !sp.tables.has(tableOf(at)) && owner.capQuota <= 0) return MEM_CAP;
    return sp.caps.has(at) ? BAD_CAP : null;
  };
  const ec2 = () => target(w, e, r(x, 2));
  switch (n) {
    case 0: {
      if (!holds(w, e, sel, 'PT', null, 2)) return BAD_CAP;
      const pt = target(w, e, sel), h = pt?.type === 'PT' ? ecAt(w, pt.ec)! : null;
      if (!h || h.cpu !== e.cpu) return BAD_CPU;
      const busy = !(h.st === 'wait' && h.cont === null && h.caller < 0);
      return busy && f & 1 ? TIMEOUT : h.st === 'dead' ? ABORTED : null;
    }
    case 1: return null;
    case 2: {
      if (!holds(w, e, r(x, 1), 'PD', 'pd', 1)) return BAD_CAP;
      const p = pdObj()!;
      if (f > 6) return BAD_PAR;
      if ((f === 1 && p.obj >= 0) || (f === 2 && p.hst >= 0)) return ABORTED;
      if ((f === 4 && c.smmus === 0) || f === 5 || f === 6) return BAD_FTR;
      return insert(p.id);
    }
    case 3: {
      if ((r(x, 2) & ~0xfffn) >= BigInt(memsel(c)) << 12n) return BAD_PAR;
      if (Number(r(x, 2) & 0xfffn) >= c.cpus) return BAD_CPU;
      if (!holds(w, e, r(x, 1), 'PD', 'pd', 2)) return BAD_CAP;
      const p = pdObj()!;
      if (p.obj < 0 || p.hst < 0) return ABORTED;
      return f & 1 && !c.vcpu ? BAD_FTR : insert(p.id);
    }
    case 4: {
      const b = r(x, 3);
      if ((b & 0xffffn) === 0n || ((b >> 16n) & 0x7fn) === 0n || ((b >> 23n) & 0xffffn) !== 0n) return BAD_PAR;
      if (!holds(w, e, r(x, 1), 'PD', 'pd', 4) || !holds(w, e, r(x, 2), 'EC', null, 8)) return BAD_CAP;
      return (ec2() as Ec).sub === 'local' ? BAD_CAP : insert(pdObj()!.id);
    }
    case 5:
      if (!holds(w, e, r(x, 1), 'PD', 'pd', 8) || !holds(w, e, r(x, 2), 'EC', null, 4)) return BAD_CAP;
      return (ec2() as Ec).sub !== 'local' ? BAD_CAP : insert(pdObj()!.id);
    case 6: return !holds(w, e, r(x, 1), 'PD', 'pd', 16) ? BAD_CAP : insert(pdObj()!.id);
    case 7: return decideCtrlPd(w, e, x, sel);
    case 8: return holds(w, e, sel, 'EC', null, 1) ? null : BAD_CAP;
    case 9: return holds(w, e, sel, 'SC', null, 1) ? null : BAD_CAP;
    case 10: return holds(w, e, sel, 'PT', null, 1) ? null : BAD_CAP;
    case 11: {
      const down = (f & 1) !== 0;
      if (!holds(w, e, sel, 'SM', null, down ? 2 : 1)) return BAD_CAP;
      const sm = target(w, e, sel);
      if (sm?.type !== 'SM') return BAD_CAP;
      if (!down && !spec.classic && sm.queue.length === 0 && sm.counter === (1n << 64n) - 1n) return OVRFLOW;
      return down && sm.irq >= 0 && e.cpu !== (sm.route?.cpu ?? 0) ? BAD_CPU : null;
    }
    case 12: return !isRoot ? BAD_HYP : ![0, 4, 5, 6, 7].includes(f) ? BAD_PAR : f >= 4 || Number(sel & 0xffffn) >= c.sstates ? BAD_FTR : null;
    case 13: return Number(r(x, 1) & 0xffffn) >= c.cpus ? BAD_CPU : holds(w, e, sel, 'SM', null, 16) ? null : BAD_CAP;
    case 14: {
      if (!isRoot) return BAD_HYP;
      if (!holds(w, e, sel, 'PD', 'dma', 4)) return BAD_CAP;
      const a = r(x, 1) & ~0xfffn, base = 0x2000_0000n;
      if (a < base || (a - base) % 0x1000n !== 0n || (a - base) / 0x1000n >= BigInt(c.smmus)) return 9; // BAD_DEV
      return r(x, 2) >= BigInt(c.devices) ? BAD_PAR : null;
    }
    default: return spec.classic ? null : BAD_HYP;
  }
}

const spaceSub = (o: ReturnType<typeof obj>): string => (o && o.type === 'PD' ? o.sub : '');
function decideCtrlPd(w: Ideal, e: Ec, x: readonly bigint[], sel: bigint): number | null {
  const ssb = Number(r(x, 2) >> 12n), dsb = Number(r(x, 3) >> 12n), ord = Number(r(x, 2) & 0x1fn);
  if (ssb % 2 ** ord !== 0 || dsb % 2 ** ord !== 0) return BAD_PAR;
  const sc = hold(w, e.objSp, selOf(w.cfg, sel)), dc = hold(w, e.objSp, selOf(w.cfg, r(x, 1)));
  const so = sc ? obj(w, sc.obj) : null, d = dc ? obj(w, dc.obj) : null;
  if (!sc || !(sc.perm & 2) || !dc || !(dc.perm & 1) || so?.type !== 'PD' || d?.type !== 'PD') return BAD_CAP;
  const st = spaceSub(so), dt = spaceSub(d);
  const mad = Number(r(x, 4) & 0x1fn);
  if (st === 'hst' && so.id === w.novaHst && (((mad >> 3) & 3) === 1 || (mad & 7) === 4)) return BAD_PAR;
  if (!((st === 'hst' && ['hst', 'gst', 'dma'].includes(dt)) || (st === 'obj' && dt === 'obj'))) return BAD_CAP;
  const size = (t: string) => (t === 'obj' ? selnum(w.cfg) : memsel(w.cfg));
  return ssb + 2 ** ord > size(st) || dsb + 2 ** ord > size(dt) ? BAD_PAR : null;
}

// ---- Rules `ctrl-pd-copy`, `ctrl-pd-map`, `ctrl-pd-revoke` --------------------------------------
function ctrlPd(w: Ideal, e: Ec, x: readonly bigint[], spec: Spec, on: RuleSet, o: Out): { w: Ideal; status: number } {
  const src = hold(w, e.objSp, selOf(w.cfg, x[0] >> 8n))!.obj, dst = hold(w, e.objSp, selOf(w.cfg, r(x, 1)))!.obj;
  const ssb = Number(r(x, 2) >> 12n), dsb = Number(r(x, 3) >> 12n), n = 2 ** Number(r(x, 2) & 0x1fn), pmm = Number(r(x, 3) & 0x1fn);
  const isObj = objSpace(w, src) !== null;
  const keys = new Set<number>();
  const from = (ks: Iterable<number>, base: number) => { for (const k of ks) if (k >= base && k < base + n) keys.add(k - base); };
  if (isObj) { from(objSpace(w, src)!.caps.keys(), ssb); from(objSpace(w, dst)!.caps.keys(), dsb); }
  else { if (src === w.novaHst) for (let p = ssb; p < Math.min(w.cfg.pages, ssb + n); p++) keys.add(p - ssb); else from(memSpace(w, src)!.maps.keys(), ssb); from(memSpace(w, dst)!.maps.keys(), dsb); }
  const drops: number[] = [];
  for (const i of [...keys].sort((a, b) => a - b)) {
    const sp = isObj ? objSpace(w, dst)! : memSpace(w, dst)!;
    const old = isObj ? objSpace(w, dst)!.caps.get(dsb + i) : memSpace(w, dst)!.maps.get(dsb + i);
    let next: Cap | Mapping | null;
    if (isObj) { const c = hold(w, src, ssb + i); next = c && c.perm & pmm ? { obj: c.obj, perm: c.perm & pmm } : null; }
    else { const m = page(w, src, ssb + i); next = m && m.kind === 'ram' && m.perm & pmm ? { kind: 'ram', page: m.page, perm: m.perm & pmm, attr: src === w.novaHst ? Number(r(x, 4) & 0xffffffffn) : m.attr } : null; }
    if (next === null && (old === undefined || (isObj && !sp.tables.has(tableOf(dsb + i))))) continue;
    if (old && next && JSON.stringify(old) === JSON.stringify(next)) continue;
    const rule = next === null ? 'ctrl-pd-revoke' : isObj ? 'ctrl-pd-copy' : 'ctrl-pd-map';
    const owner = pdAt(w, sp.pd);
    let tables = sp.tables;
    if (next && !tables.has(tableOf(dsb + i))) {
      if (!spec.classic && owner && owner.capQuota <= 0) return { w: release1(w, drops, spec), status: MEM_CAP };
      if (owner) w = put(w, { ...owner, capQuota: owner.capQuota - 1 });
      tables = new Set(tables).add(tableOf(dsb + i));
    }
    if (!on.has(rule)) { o.withheld.push(rule); continue; }
    o.fired.push(rule);
    const cur = isObj ? objSpace(w, dst)! : memSpace(w, dst)!;
    if (isObj) {
      const caps = new Map(objSpace(w, dst)!.caps);
      if (next) { caps.set(dsb + i, next as Cap); const t = obj(w, (next as Cap).obj)!; w = put(w, { ...t, ref: t.ref + 1 } as typeof t); } else caps.delete(dsb + i);
      w = put(w, { ...(objSpace(w, dst)!), caps, tables });
      if (old) drops.push((old as Cap).obj);
    } else {
      const maps = new Map(memSpace(w, dst)!.maps);
      if (next) maps.set(dsb + i, next as Mapping); else maps.delete(dsb + i);
      w = put(w, { ...(cur as ReturnType<typeof memSpace> & object), maps, tables });
    }
  }
  return { w: release1(w, drops, spec), status: SUCCESS };
}
const release1 = (w: Ideal, drops: number[], spec: Spec) => drops.reduce((s, d) => release(s, d, spec.dropOnOverwrite), w);

// ---- Rule `ipc-transfer`: the receiver's UTCB words, decided from the pre-state ------------------
function transfer(pre: Ideal, w: Ideal, from: number, to: number, words: number | 'regs', on: RuleSet, o: Out): Ideal {
  const a = ecAt(pre, from), b = ecAt(pre, to), bw = ecAt(w, to);
  if (!a || !b?.utcb || !bw) return w;
  let u = b.utcb;
  if (on.has('ipc-transfer')) {
    o.fired.push('ipc-transfer');
    if (words === 'regs') a.regs.forEach((v, i) => (u = pset(u, i, v)));
    else if (a.utcb) for (let i = 0; i < words; i++) u = pset(u, i, pget(a.utcb, i));
  } else o.withheld.push('ipc-transfer');
  return put(w, { ...bw, utcb: u });
}
/** After a world step: which message moved (call, reply, event) and the receiver's UTCB it implies. */
function messages(pre: Ideal, w: Ideal, e: Ec, x: readonly bigint[] | null, on: RuleSet, o: Out): Ideal {
  const post = ecAt(w, e.id);
  const n = x ? (Number(r(x, 1) & 0xffffffffn) % 512) + 1 : 0;
  if (post && post.st === 'call' && e.st !== 'call') {
    const h = ecAt(w, post.callee)!;
    if (h.callKind === 'ipc' && x) return transfer(pre, w, e.id, h.id, n, on, o);
    return (h.utcb && ptMtdGpr(w, h)) ? transfer(pre, w, e.id, h.id, 'regs', on, o) : w;
  }
  if (x && (x[0] & 0xfn) === 1n && e.caller >= 0 && e.callKind === 'ipc') return transfer(pre, w, e.id, e.caller, n, on, o);
  return w;
}
/** The handler was entered through a PT whose mtd has the GPR bit: X1 holds that mtd after rendezvous. */
const ptMtdGpr = (w: Ideal, h: Ec): boolean => (Number(h.regs[1] ?? 0n) & 4) !== 0 && ecAt(w, h.id) !== null;

// ---- Memory: an access succeeds iff the EC's host space holds the page with that permission ------
function access(w: Ideal, e: Ec, write: boolean, addr: bigint, value: bigint): Stepped<Ideal, Obs> {
  const fault = { state: w, obs: { kind: 'mem', ec: e.id, write, value: null, fault: true } as Obs };
  if (e.sub === 'vcpu' || addr < 0n || addr >= BigInt(memsel(w.cfg)) << 12n) return fault;
  const m = page(w, e.hstSp, Number(addr >> 12n)), i = Number((addr >> 3n) & 511n);
  if (!m || !(m.perm & (write ? M_W : M_R)) || (m.kind === 'hip' && write)) return fault;
  const u = m.kind === 'utcb' ? ecAt(w, m.page) : null;
  if (m.kind === 'utcb' && !u?.utcb) return fault;
  const ok = (s: Ideal, v: bigint | null) => ({ state: s, obs: { kind: 'mem', ec: e.id, write, value: v, fault: false } as Obs });
  const v = BigInt.asUintN(64, value);
  if (!write) return ok(w, m.kind === 'hip' ? hipWord(w.cfg, i) : m.kind === 'utcb' ? pget(u!.utcb!, i) : pget(w.mem, m.page * 512 + i));
  if (m.kind === 'utcb') return ok(pget(u!.utcb!, i) === v ? w : put(w, { ...u!, utcb: pset(u!.utcb!, i, v) }), null);
  const k = m.page * 512 + i;
  return ok(wrote(pget(w.mem, k) === v ? w : withState(w, { mem: pset(w.mem, k, v) }), m.page, e.pd), null);
}

// ---- The step ------------------------------------------------------------------------------------
export function step(w: Ideal, a: Action, spec: Spec, on: RuleSet): Out {
  const o: Out = { state: w, obs: { kind: 'skip', reason: '' }, fired: [], withheld: [] };
  const e = a.kind === 'irq' || a.kind === 'tick' || a.kind === 'dma' ? null : ecAt(w, a.ec);
  const ready = e && e.cpu === (a as { cpu: number }).cpu && e.st === 'run';
  if (ready && e.cont?.k === 'retry') return hypercall(w, put(w, { ...e, cont: null }), { ...e, cont: null }, e.cont.regs, spec, on, o, true);
  if (ready && !e.cont && !e.recall) {
    if (a.kind === 'hypercall') return hypercall(w, w, e, a.regs, spec, on, o, false);
    if (a.kind === 'load' || a.kind === 'store') { const m = access(w, e, a.kind === 'store', a.addr, a.kind === 'store' ? a.value : 0n); return { ...o, state: m.state, obs: m.obs }; }
  }
  // Events, register moves, interrupts, devices, time: the world's step (lookups read Hold); an event
  // goes through a PT with EVENT on the sender's CPU, else the sender is killed (B.4 Events).
  const s = worldStep(w, a, { ...spec, eventPerm: 4, eventSameCpu: true });
  return { ...o, state: e ? messages(w, s.state, ecAt(w, e.id)!, null, on, o) : s.state, obs: s.obs };
}

function hypercall(pre: Ideal, w: Ideal, e: Ec, regs: readonly bigint[], spec: Spec, on: RuleSet, o: Out, retry: boolean): Out {
  const x = [0, 1, 2, 3, 4].map((i) => BigInt.asUintN(64, regs[i] ?? 0n));
  const call = callName(x[0], spec), note = retry ? 'retry ' : '';
  const res = (s: Ideal, status: number | null, rest: Partial<Extract<Obs, { kind: 'hcall' }>> = {}): Out =>
    ({ ...o, state: s, obs: { kind: 'hcall', ec: e.id, call, status, out: [], wakes: [], ...rest, note: note || undefined } });
  if (e.sub === 'vcpu') return { ...o, state: pre, obs: { kind: 'skip', reason: 'vcpu' } };
  const n = Number(x[0] & 0xfn), st = decide(w, e, x, spec);
  if (st !== null) return res(w, st);
  const classicObj = spec.classic && (n === 0xf || (n === 7 && objSpace(w, hold(w, e.objSp, selOf(w.cfg, x[0] >> 8n))!.obj)));
  if (classicObj) return res(classicRule(w, e, x, n === 7 ? 'delegate' : 'revoke', on, o), SUCCESS);
  if (n === 7) { const c = ctrlPd(w, e, x, spec, on, o); return res(c.w, c.status); }
  const fx = spec.calls[n]!.effect(spec.calls[n]!.context(makeCtx(w, e, e.cpu, x, spec)), spec);
  let s = fx.s;
  // Rule `create`: the new object's capability (and a host EC's UTCB page) are the rule's, not the world's.
  if (n >= 2 && n <= 6) {
    const id = w.next, at = selOf(w.cfg, x[0] >> 8n), caller = objSpace(s, e.objSp)!, caps = new Map(caller.caps);
    const made = obj(s, id)!;
    const perm = n === 2 && (x[0] >> 4n & 0xfn) === 0n ? hold(w, e.objSp, selOf(w.cfg, r(x, 1)))!.perm : definedPerms(made.type, made.type === 'PD' ? made.sub : '');
    if (on.has('create')) { caps.set(at, { obj: id, perm }); o.fired.push('create'); } else { caps.delete(at); o.withheld.push('create'); }
    s = put(s, { ...caller, caps });
    if (made.type === 'EC' && made.hva >= 0) {
      const h = memSpace(s, made.hstSp)!, maps = new Map(h.maps);
      if (on.has('create')) maps.set(made.hva, { kind: 'utcb', page: id, perm: M_R | M_W, attr: 0 }); else maps.delete(made.hva);
      s = put(s, { ...h, maps });
    }
  }
  s = messages(w, s, e, x, on, o);
  return res(s, fx.status === undefined ? SUCCESS : fx.status, { out: fx.out ?? [], wakes: fx.wakes ?? [] });
}
