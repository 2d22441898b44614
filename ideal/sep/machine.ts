// The ideal machine (reference A.5): one separate ARMv8 machine per guest — its cores (EL0/EL1, one
// translation stage), its memory A_g, its devices and its own GIC over its own interrupts — joined only by
// channels: an outgoing page copied to the receiver after every step of the sender (syncmem), and
// notifications. It has no hypervisor, no physical address, no stage 2: isolation holds by construction.
// A reader needs only this file, rules.ts and the architecture (real/sep/arch.ts, gicv2.ts).

import { PVec, pget, pset, pvecFrom } from '../../model/pvec';
import type { RuleSet, Stepped } from '../../model/system';
import {
  EC, FSC_EXTERNAL, LR, NO_LR, OFF_CORE, SYS_RESET, VCore, ZERO_X, cpuif, enterEl1, esrOf, getX, internal, lrInject, lrPending, next, setX, u64,
} from '../../real/sep/arch';
import { IIDR_VALUE, PRIORITY, fieldOf, gicdDecode, pack, typerOf } from '../../real/sep/gicv2';
import type { Action, Ev, Instr, Obs } from '../../real/sep/actions';
import type { Cfg } from '../../real/sep/config';
import { Layout, layoutOf } from '../../real/sep/layout';
import type { RealState, Words } from '../../real/sep/state';
import type { SepRule } from './rules';

/** A page of A_g: RAM or a channel page (a memory slot), a device, the CPU interface, or the GICD page. */
interface Page { readonly kind: 'mem' | 'dev' | 'gicc' | 'gicd'; readonly i: number; readonly w: boolean; readonly x: boolean }
/** g's own GIC: distributor state of its own interrupts (targets as its own core masks) and its SGIs. */
interface Gic {
  readonly ctlr: boolean; readonly sgir: bigint;
  readonly en: Readonly<Record<number, boolean>>; readonly cfg: Readonly<Record<number, number>>; readonly tgt: Readonly<Record<number, number>>;
  readonly pend: Readonly<Record<number, boolean>>; readonly act: Readonly<Record<number, boolean>>;
  readonly sgi: readonly { readonly src: number; readonly dst: number; readonly id: number }[];
}
export interface IGuest { readonly cores: readonly VCore[]; readonly mem: PVec<Words>; readonly gic: Gic; readonly devs: Readonly<Record<number, Words>> }
/** sIGC[s]: a pending notification, its target core of to(s) and the requesting core of from(s). */
export interface Igc { readonly pend: boolean; readonly tgt: number; readonly src: number }
export interface IdealState { readonly cfg: Cfg; readonly layout: Layout; readonly guests: readonly IGuest[]; readonly igc: readonly Igc[] }

/** Each guest's machine description: IPA page → what is there; memory slots = RAM pages, then channel pages. */
export interface GuestMap {
  readonly pages: ReadonlyMap<number, Page>;
  readonly slotIpa: readonly number[];
  /** Outgoing channels: [own slot, receiver, the receiver's slot]. */
  readonly out: [number, number, number][];
}
const maps = new WeakMap<Cfg, GuestMap[]>();
export function guestMaps(cfg: Cfg): GuestMap[] {
  let m = maps.get(cfg);
  if (m) return m;
  m = cfg.guests.map((g, gi) => {
    const pages = new Map<number, Page>();
    const slotIpa: number[] = [];
    const mem = (ipa: number, w: boolean, x: boolean) => { pages.set(ipa, { kind: 'mem', i: slotIpa.length, w, x }); slotIpa.push(ipa); };
    for (const r of g.ram) for (let k = 0; k < r.pages; k++) mem(r.ipa + k, true, true);
    for (const s of cfg.channels) { if (s.from === gi) mem(s.aSend, true, false); if (s.to === gi) mem(s.aRecv, false, false); }
    cfg.devices.forEach((d, j) => { if (d.owner === gi) pages.set(d.ipa, { kind: 'dev', i: j, w: true, x: false }); });
    pages.set(g.gicc, { kind: 'gicc', i: 0, w: true, x: false });
    pages.set(g.gicc + 1, { kind: 'gicc', i: 1, w: true, x: false });
    pages.set(g.gicd, { kind: 'gicd', i: 0, w: true, x: false });
    return { pages, slotIpa, out: [] };
  });
  for (const c of cfg.channels) m[c.from].out.push([(m[c.from].pages.get(c.aSend) as Page).i, c.to, (m[c.to].pages.get(c.aRecv) as Page).i]);
  maps.set(cfg, m);
  return m;
}
export const slotOf = (cfg: Cfg, g: number, ipa: number): number => {
  const p = guestMaps(cfg)[g].pages.get(ipa);
  return p && p.kind === 'mem' ? p.i : -1;
};

/**
 * The initial machines: primary cores at their entry, memory = the booted images, everything else reset.
 * Kept per real initial state (one object per configuration and specification), as the real one is.
 */
const initial = new WeakMap<RealState, IdealState>();
export function initIdeal(real: RealState): IdealState {
  let st = initial.get(real);
  if (!st) initial.set(real, (st = buildIdeal(real)));
  return st;
}
function buildIdeal(real: RealState): IdealState {
  const cfg = real.cfg;
  const layout = layoutOf(cfg);
  const guests = cfg.guests.map((g, gi): IGuest => {
    const theta = (ipa: number) => { for (const r of g.ram) if (ipa >= r.ipa && ipa < r.ipa + r.pages) return r.pa + ipa - r.ipa; return cfg.channels.find((s) => (s.from === gi && s.aSend === ipa) || (s.to === gi && s.aRecv === ipa))!.pa; };
    const tgt: Record<number, number> = {};
    for (const q of layout.periph[gi]) tgt[q] = 1;
    const devs: Record<number, Words> = {};
    cfg.devices.forEach((d, j) => { if (d.owner === gi) devs[j] = real.devs[j]; });
    return {
      cores: g.cores.map((_, k) => (k === 0 && !real.bootFail ? { ...OFF_CORE, on: true, pc: BigInt(g.entry) } : OFF_CORE)),
      mem: pvecFrom(guestMaps(cfg)[gi].slotIpa.map((ipa) => pget(real.mem, theta(ipa)))),
      gic: { ctlr: false, sgir: 0n, en: {}, cfg: {}, tgt, pend: {}, act: {}, sgi: [] }, devs,
    };
  });
  return { cfg, layout, guests, igc: cfg.channels.map(() => ({ pend: false, tgt: 0, src: 0 })) };
}

type Out = Stepped<IdealState, Obs>;
const setGuest = (s: IdealState, g: number, x: IGuest): IdealState => { const guests = s.guests.slice(); guests[g] = x; return { ...s, guests }; };
const setCore = (x: IGuest, k: number, c: VCore): IGuest => { const cores = x.cores.slice(); cores[k] = c; return { ...x, cores }; };
const fired = (state: IdealState, g: number, ev: Ev, label: string, rules: SepRule[]): Out => ({ state, obs: { g, ev, label }, fired: rules });
const none = (s: IdealState, label: string): Out => ({ state: s, obs: { g: -1, ev: { k: 'none' }, label } });
const exc = (c: VCore): Ev => ({ k: 'exc', esr: c.sys.esr_el1, far: c.sys.far_el1, pc: c.pc });

export function stepIdeal(s: IdealState, a: Action, on: RuleSet): Out {
  const r = stepAny(s, a);
  for (const x of r.fired ?? []) if (!on.has(x)) return { state: s, obs: { g: -1, ev: { k: 'none' }, label: 'withheld' }, withheld: (r.fired ?? []).filter((y) => !on.has(y)) };
  return r;
}

function stepAny(s: IdealState, a: Action): Out {
  if (a.kind === 'device') {
    const d = s.cfg.devices[a.dev];
    if (!d) return none(s, 'device:none');
    const x = s.guests[d.owner];
    if (a.op === 'input') {
      const regs = x.devs[a.dev].slice();
      regs[a.reg % regs.length] = a.value;
      return fired(setGuest(s, d.owner, { ...x, devs: { ...x.devs, [a.dev]: regs } }), d.owner, { k: 'step' }, 'ext-in', ['ext-in']);
    }
    if (!d.irqs.includes(a.irq)) return none(s, 'device:none');
    return fired(setGuest(s, d.owner, { ...x, gic: { ...x.gic, pend: { ...x.gic.pend, [a.irq]: true } } }), d.owner, { k: 'step' }, 'ext-in', ['ext-in']);
  }
  if (a.kind === 'dma') {
    const d = s.cfg.devices[a.dev];
    if (!d || !d.dma) return none(s, 'dma:none');
    const ipa = u64(a.ipa);
    const p = ipa >> 12n < 1n << BigInt(s.cfg.guests[d.owner].as) ? guestMaps(s.cfg)[d.owner].pages.get(Number(ipa >> 12n)) : undefined;
    if (!p || p.kind !== 'mem' || (a.write && !p.w)) return fired(s, d.owner, { k: 'dmafault' }, 'dma', ['internal']);
    const w = Number((ipa >> 3n) % BigInt(s.cfg.wordsPerPage));
    const x = s.guests[d.owner];
    if (!a.write) return fired(s, d.owner, { k: 'value', v: pget(x.mem, p.i)[w] }, 'dma', ['internal']);
    return sync(s, d.owner, write(x, p.i, w, u64(a.value)), { k: 'step' }, 'dma');
  }
  const g = s.layout.guestOf[a.core];
  const k = s.layout.local[a.core];
  const x = s.guests[g];
  const c = x?.cores[k];
  if (!c || !c.on) return none(s, `${a.kind}:none`);
  if (a.kind === 'virq') {
    if (!lrPending(c.lr)) return none(s, 'virq:none');
    const e = enterEl1(c, true, c.pc);
    return fired(setGuest(s, g, setCore(x, k, e)), g, { k: 'virq', pc: e.pc }, 'virq', ['internal']);
  }
  if (a.kind === 'irq') return take(s, g, k, a.intid, a.src);
  return guest(s, g, k, a.instr);
}

/** syncmem: after a step of g, each outgoing page that changed is copied to its receiver. */
const INTERNAL: SepRule[] = ['internal'];
const COPIED: SepRule[] = ['internal', 'channel-copy'];
function sync(s: IdealState, g: number, x: IGuest, ev: Ev, label: string): Out {
  const before = s.guests[g];
  let t = setGuest(s, g, x);
  let rules = INTERNAL;
  if (x.mem !== before.mem) {
    for (const [from, to, into] of guestMaps(s.cfg)[g].out) {
      const page = pget(x.mem, from);
      if (page === pget(before.mem, from)) continue;
      const r = t.guests[to];
      t = setGuest(t, to, { ...r, mem: pset(r.mem, into, page) });
      rules = COPIED;
    }
  }
  return fired(t, g, ev, label, rules);
}

const write = (x: IGuest, slot: number, w: number, v: bigint): IGuest => {
  const page = pget(x.mem, slot);
  if (page[w] === v) return x;
  const p = page.slice();
  p[w] = v;
  return { ...x, mem: pset(x.mem, slot, p) };
};

function guest(s: IdealState, g: number, k: number, i: Instr): Out {
  const x = s.guests[g];
  const c = x.cores[k];
  switch (i.op) {
    case 'mov': case 'mrs': case 'msr': case 'wfi': case 'eret': case 'svc': {
      const r = internal(c, i);
      return done(s, g, k, x, r.core, r.exception ? exc(r.core) : r.value !== undefined ? { k: 'value', v: r.value } : { k: 'step' }, i.op);
    }
    case 'hvc': case 'smc': {
      let c1 = c;
      (i.args ?? []).forEach((v, r) => { c1 = setX(c1, r, v); });
      if (c1.el === 0) { const u = enterEl1(c1, false, c1.pc, esrOf(EC.UNKNOWN, 0n)); return done(s, g, k, x, u, exc(u), 'undefined'); }
      const resumed = { ...c1, pc: next(c1) };
      return i.op === 'hvc' ? notify(s, g, k, i.imm, resumed) : psci(s, g, k, resumed);
    }
  }
  const ipa = u64(i.ipa);
  const pg = ipa >> 12n;
  const p = pg < 1n << BigInt(s.cfg.guests[g].as) ? guestMaps(s.cfg)[g].pages.get(Number(pg)) : undefined;
  const w = Number((ipa >> 3n) % BigInt(s.cfg.wordsPerPage));
  const wr = i.op === 'store';
  if (!p || (wr && !p.w) || (i.op === 'fetch' && !p.x)) return abort(s, g, k, x, c, i.op === 'fetch', ipa);
  const rt = i.op === 'fetch' ? 31 : i.rt;
  const v = getX(c, rt);
  if (p.kind === 'gicd') {
    if (i.op === 'fetch' || i.isv === false || (ipa & 3n) !== 0n) return abort(s, g, k, x, c, i.op === 'fetch', ipa);
    const r = gicd(x, k, Number(ipa & 0xfffn), wr, v & 0xffff_ffffn, s.layout.own[g], s.layout.periph[g]);
    if (r === 'abort') return abort(s, g, k, x, c, false, ipa);
    const c2 = { ...(wr ? c : setX(c, rt, r.v)), pc: next(c) };
    return done(s, g, k, x, c2, wr ? { k: 'step' } : { k: 'value', v: r.v }, 'gicd', r.x);
  }
  if (p.kind === 'gicc') {
    const r = cpuif(c.lr, p.i * 0x1000 + Number(ipa & 0xfffn), wr, v & 0xffff_ffffn);
    const c2 = { ...(wr ? c : setX(c, rt, r.value)), lr: r.lr, pc: next(c) };
    return done(s, g, k, x, c2, wr ? { k: 'step' } : { k: 'value', v: r.value }, 'gicc');
  }
  if (p.kind === 'dev') {
    const regs = x.devs[p.i];
    if (wr) { const r = regs.slice(); r[w] = v; return done(s, g, k, x, { ...c, pc: next(c) }, { k: 'step' }, 'mmio', { ...x, devs: { ...x.devs, [p.i]: r } }); }
    return done(s, g, k, x, { ...setX(c, rt, regs[w]), pc: next(c) }, { k: 'value', v: regs[w] }, 'mmio');
  }
  if (wr) return done(s, g, k, x, { ...c, pc: next(c) }, { k: 'step' }, 'store', write(x, p.i, w, v));
  const val = pget(x.mem, p.i)[w];
  return done(s, g, k, x, i.op === 'fetch' ? { ...c, pc: u64(ipa + 4n) } : { ...setX(c, rt, val), pc: next(c) }, { k: 'value', v: val }, i.op);
}

function done(s: IdealState, g: number, k: number, x: IGuest, c2: VCore, ev: Ev, label: string, x2: IGuest = x): Out {
  return sync(s, g, setCore(x2, k, c2), ev, label);
}

/** An access outside A_g (or a write to an incoming page, a fetch of data): the abort is taken at EL1. */
function abort(s: IdealState, g: number, k: number, x: IGuest, c: VCore, fetch: boolean, ipa: bigint): Out {
  const ec = fetch ? (c.el === 0 ? EC.IABT_LOW : EC.IABT_CUR) : c.el === 0 ? EC.DABT_LOW : EC.DABT_CUR;
  const e = enterEl1(c, false, fetch ? ipa : c.pc, esrOf(ec, FSC_EXTERNAL), ipa);
  return done(s, g, k, x, e, exc(e), 'abort');
}

/** ImReqIgc / IgcFail: the caller may name only its own outgoing channels; nothing is returned. */
function notify(s: IdealState, g: number, k: number, imm: number, c: VCore): Out {
  const x = setCore(s.guests[g], k, c);
  const ch = s.cfg.channels[imm];
  if (imm >= s.cfg.channels.length || !ch || ch.from !== g) return fired(setGuest(s, g, x), g, { k: 'step' }, 'igc-fail', ['igc-fail']);
  const t = s.guests[ch.to].cores.findIndex((q) => q.on);
  let s2 = setGuest(s, g, x);
  if (!s.igc[imm].pend && t >= 0) { const igc = s.igc.slice(); igc[imm] = { pend: true, tgt: t, src: k }; s2 = { ...s2, igc }; }
  return fired(s2, g, { k: 'step' }, 'notify-request', ['notify-request']);
}

/** PSCI on g's own machine: CPU_ON of its core k (x1) at x2 with x0 = x3; CPU_OFF of the caller. */
function psci(s: IdealState, g: number, k: number, c: VCore): Out {
  const x = s.guests[g];
  const fid = getX(c, 0) & 0xffff_ffffn;
  const t = getX(c, 1);
  if (fid === 0x84000002n) return fired(setGuest(s, g, setCore(x, k, { ...c, on: false })), g, { k: 'step' }, 'psci', ['internal']);
  let y = setCore(x, k, c);
  if (fid === 0xc4000003n && t < BigInt(x.cores.length) && !x.cores[Number(t)].on) {
    y = setCore(y, Number(t), { ...OFF_CORE, on: true, pc: getX(c, 2), x: setX({ ...OFF_CORE, x: ZERO_X }, 0, getX(c, 3)).x, sys: SYS_RESET, lr: NO_LR });
  }
  return fired(setGuest(s, g, y), g, { k: 'step' }, 'psci', ['internal']);
}

/** Interrupts taken by g's core k: its own SGIs and peripheral IRQs, or a notification (ImSndIgc). */
function take(s: IdealState, g: number, k: number, intid: number, src: number): Out {
  const x = s.guests[g];
  const c = x.cores[k];
  const inj = (lr: LR, gic: Gic, virq: number, rule: SepRule, igc = s.igc) =>
    fired({ ...setGuest(s, g, setCore({ ...x, gic }, k, { ...c, lr: lrInject(lr, virq) })), igc }, g, { k: 'irq', virq }, rule, [rule]);
  const g2 = s.layout.guestOf[src];
  if (intid < 16 && g2 === g) {
    const j = x.gic.sgi.findIndex((q) => q.src === s.layout.local[src] && q.dst === k && q.id === intid);
    return j < 0 ? none(s, 'irq:none') : inj(c.lr, { ...x.gic, sgi: x.gic.sgi.filter((_, i) => i !== j) }, intid, 'internal');
  }
  if (intid === 15) {
    const ch = g2 >= 0 ? s.layout.chan[g2 * s.layout.nGuests + g] : -1;
    const n = ch >= 0 ? s.igc[ch] : undefined;
    if (!n || !n.pend || n.tgt !== k || n.src !== s.layout.local[src]) return none(s, 'irq:none');
    const igc = s.igc.slice();
    igc[ch] = { ...n, pend: false };
    return inj(c.lr, x.gic, s.cfg.channels[ch].virq, 'notify-deliver', igc);
  }
  const G = x.gic;
  if (intid < 16 || !s.layout.periph[g].has(intid) || !G.ctlr || !G.en[intid] || !G.pend[intid] || G.act[intid] || !((G.tgt[intid] ?? 0) & (1 << k))) return none(s, 'irq:none');
  return inj(c.lr, { ...G, pend: { ...G.pend, [intid]: false } }, intid, 'internal');
}

/** g's own distributor (GICv2 register map) over its own interrupts; IGROUPR/NSACR abort (A.4.4's device). */
function gicd(x: IGuest, k: number, off: number, wr: boolean, v: bigint, own: readonly number[], periph: ReadonlySet<number>): { x: IGuest; v: bigint } | 'abort' {
  const { name, n } = gicdDecode(off);
  const G = x.gic;
  const nc = x.cores.length;
  const bits = (f: Readonly<Record<number, boolean>>) => pack(name, n, (id) => (f[id] ? 1 : 0), own);
  const upd = (f: Readonly<Record<number, boolean>>, set: boolean, only: (id: number) => boolean) => {
    const r = { ...f };
    for (const id of own) if (only(id) && fieldOf(name, n, v, id) === 1) r[id] = set;
    return r;
  };
  const put = (gic: Partial<Gic>) => ({ x: { ...x, gic: { ...G, ...gic } }, v: 0n });
  const isPeriph = (id: number) => periph.has(id);
  switch (name) {
    case 'CTLR': return wr ? put({ ctlr: (v & 1n) === 1n }) : { x, v: G.ctlr ? 1n : 0n };
    case 'TYPER': return { x, v: wr ? 0n : typerOf(nc) };
    case 'IIDR': return { x, v: wr ? 0n : IIDR_VALUE };
    case 'IGROUPR': case 'NSACR': return 'abort';
    case 'ISENABLER': case 'ICENABLER': return wr ? put({ en: upd(G.en, name === 'ISENABLER', () => true) }) : { x, v: bits(G.en) };
    case 'ISPENDR': case 'ICPENDR': return wr ? put({ pend: upd(G.pend, name === 'ISPENDR', isPeriph) }) : { x, v: bits(G.pend) };
    case 'ISACTIVER': case 'ICACTIVER': return wr ? put({ act: upd(G.act, name === 'ISACTIVER', isPeriph) }) : { x, v: bits(G.act) };
    case 'IPRIORITYR': return { x, v: wr ? 0n : pack(name, n, () => PRIORITY, own) };
    case 'ITARGETSR': {
      if (!wr) return { x, v: pack(name, n, (id) => G.tgt[id] ?? 0, own) };
      const tgt = { ...G.tgt };
      for (const id of own) { const f = fieldOf(name, n, v, id); if (f >= 0) tgt[id] = f & ((1 << nc) - 1); }
      return put({ tgt });
    }
    case 'ICFGR': {
      if (!wr) return { x, v: pack(name, n, (id) => G.cfg[id] ?? 0, own) };
      const cfg = { ...G.cfg };
      for (const id of own) { const f = fieldOf(name, n, v, id); if (f >= 0) cfg[id] = f & 2; }
      return put({ cfg });
    }
    case 'SGIR': {
      if (!wr) return { x, v: G.sgir };
      const filter = Number((v >> 24n) & 3n), list = Number((v >> 16n) & 0xffn), id = Number(v & 0xfn);
      const to = [...Array(nc).keys()].filter((t) => (filter === 0 ? list & (1 << t) : filter === 1 ? t !== k : filter === 2 ? t === k : false));
      const sgi = [...G.sgi];
      for (const t of to) if (!sgi.some((q) => q.src === k && q.dst === t && q.id === id)) sgi.push({ src: k, dst: t, id });
      return put({ sgir: v, sgi });
    }
    case 'RESERVED': return { x, v: 0n };
  }
}
