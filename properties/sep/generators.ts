// Trace generation: abstract commands that resolve against the current real state into concrete steps.
// Choices are indices into what is meaningful now (the k-th running core, the k-th hot page of its
// guest, a pending interrupt of the core, a register offset of the distributor) mixed with raw
// adversarial values (unmapped pages, the end of the IPA space, 2^64-1, off cores, foreign interrupt
// ids). Hot pages make guests contend for channel pages; values often come with a `mov` first so
// stores carry non-zero (and sometimes secret) data.

import fc from 'fast-check';
import { traceOf } from '../engine/shrink';
import type { Action, Instr } from '../../real/sep/actions';
import { SYSREGS, GICC } from '../../real/sep/arch';
import type { Cfg } from '../../real/sep/config';
import type { RealState } from '../../real/sep/state';
import { GICD_REGS } from '../../real/sep/gicv2';

export type Cmd =
  | { readonly t: 'mem'; readonly core: number; readonly op: 0 | 1 | 2; readonly page: number; readonly word: number; readonly rt: number; readonly value: bigint | null; readonly secret: boolean; readonly isv: boolean; readonly el0: boolean }
  | { readonly t: 'gicd'; readonly core: number; readonly reg: number; readonly n: number; readonly write: boolean; readonly value: number; readonly isv: boolean; readonly el0: boolean }
  | { readonly t: 'gicc'; readonly core: number; readonly which: number }
  | { readonly t: 'mov'; readonly core: number; readonly rd: number; readonly value: bigint; readonly secret: boolean }
  | { readonly t: 'sys'; readonly core: number; readonly write: boolean; readonly reg: number; readonly rt: number }
  | { readonly t: 'misc'; readonly core: number; readonly op: 0 | 1 | 2 }
  | { readonly t: 'hvc'; readonly core: number; readonly imm: number }
  | { readonly t: 'psci'; readonly core: number; readonly fn: 0 | 1 | 2; readonly k: number; readonly entry: number }
  | { readonly t: 'device'; readonly dev: number; readonly raise: boolean; readonly reg: number; readonly value: bigint }
  | { readonly t: 'dma'; readonly dev: number; readonly write: boolean; readonly page: number; readonly word: number; readonly value: bigint }
  | { readonly t: 'take'; readonly core: number; readonly pick: number }
  | { readonly t: 'virq'; readonly core: number }
  /** A guest sets up its peripheral interrupt end to end: CTLR, ISENABLER, the device raises it, it is taken. */
  | { readonly t: 'periph'; readonly core: number };

/** A core: mostly the k-th running one, sometimes a raw physical id (possibly off). */
const coreArb = fc.oneof({ weight: 9, arbitrary: fc.nat(7) }, { weight: 1, arbitrary: fc.integer({ min: 100, max: 131 }) });
const valueArb = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: 0xffffn }) },
  { weight: 1, arbitrary: fc.constantFrom(0n, (1n << 64n) - 1n, 0x8000_0000_0000_0000n, 0xc4000003n) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) },
);
const el0Arb = fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const regArb = fc.oneof({ weight: 8, arbitrary: fc.nat(5) }, { weight: 1, arbitrary: fc.nat(31) });

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 22, arbitrary: fc.record({ t: fc.constant('mem' as const), core: coreArb, op: fc.constantFrom(0 as const, 1 as const, 1 as const, 2 as const), page: fc.nat(40), word: fc.nat(9), rt: regArb, value: fc.option(valueArb, { freq: 2 }), secret: fc.boolean(), isv: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), el0: el0Arb }) },
  { weight: 12, arbitrary: fc.record({ t: fc.constant('gicd' as const), core: coreArb, reg: fc.nat(GICD_REGS.length - 1), n: fc.nat(40), write: fc.boolean(), value: fc.nat(0xffffffff), isv: fc.oneof({ weight: 12, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), el0: el0Arb }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('gicc' as const), core: coreArb, which: fc.nat(4) }) },
  { weight: 8, arbitrary: fc.record({ t: fc.constant('mov' as const), core: coreArb, rd: regArb, value: valueArb, secret: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('sys' as const), core: coreArb, write: fc.boolean(), reg: fc.nat(SYSREGS.length - 1), rt: regArb }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('misc' as const), core: coreArb, op: fc.constantFrom(0 as const, 1 as const, 2 as const) }) },
  { weight: 9, arbitrary: fc.record({ t: fc.constant('hvc' as const), core: coreArb, imm: fc.oneof({ weight: 8, arbitrary: fc.nat(3) }, { weight: 1, arbitrary: fc.nat(0xffff) }) }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('psci' as const), core: coreArb, fn: fc.constantFrom(0 as const, 0 as const, 1 as const, 2 as const), k: fc.oneof({ weight: 6, arbitrary: fc.nat(3) }, { weight: 1, arbitrary: fc.nat(0xffff) }), entry: fc.nat(3) }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('device' as const), dev: fc.nat(7), raise: fc.boolean(), reg: fc.nat(7), value: valueArb }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('dma' as const), dev: fc.nat(7), write: fc.boolean(), page: fc.nat(40), word: fc.nat(7), value: valueArb }) },
  { weight: 12, arbitrary: fc.record({ t: fc.constant('take' as const), core: coreArb, pick: fc.nat(7) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('virq' as const), core: coreArb }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('periph' as const), core: coreArb }) },
);

export const traceArb = (steps: number): fc.Arbitrary<Cmd[]> => traceOf(cmdArb, { minLength: 1, maxLength: steps });

const hotCache = new WeakMap<Cfg, bigint[][]>();
/** Per guest: its RAM pages, channel pages, the pages just past its regions, device, GIC pages, out of space. */
function hotPages(c: Cfg): bigint[][] {
  let h = hotCache.get(c);
  if (h) return h;
  h = c.guests.map((g, i) => {
    const p = new Set<number>();
    for (const r of g.ram) { for (let k = 0; k < r.pages; k++) p.add(r.ipa + k); p.add(r.ipa + r.pages); }
    for (const s of c.channels) { if (s.from === i) p.add(s.aSend); if (s.to === i) p.add(s.aRecv); }
    c.devices.forEach((d) => { if (d.owner === i) p.add(d.ipa); });
    p.add(g.gicc); p.add(g.gicc + 1); p.add(g.gicd); p.add(2 ** g.as - 1); p.add(2 ** g.as);
    const pages = [...p].map((x) => BigInt(x) << 12n);
    // channel pages twice: the contended ones
    for (const s of c.channels) { if (s.from === i) pages.push(BigInt(s.aSend) << 12n); if (s.to === i) pages.push(BigInt(s.aRecv) << 12n); }
    pages.push(0xffff_ffff_ffff_f000n);
    return pages;
  });
  hotCache.set(c, h);
  return h;
}

const GICD_BASE: Record<string, number> = {
  CTLR: 0x000, TYPER: 0x004, IIDR: 0x008, IGROUPR: 0x080, ISENABLER: 0x100, ICENABLER: 0x180, ISPENDR: 0x200, ICPENDR: 0x280,
  ISACTIVER: 0x300, ICACTIVER: 0x380, IPRIORITYR: 0x400, ITARGETSR: 0x800, ICFGR: 0xc00, NSACR: 0xe00, SGIR: 0xf00, RESERVED: 0xf10,
};

/** The register index that covers an interesting interrupt (the configured ones), or a raw index. */
function regIndex(c: Cfg, name: string, n: number): number {
  const ids = [...c.devices.flatMap((d) => d.irqs), ...c.channels.map((s) => s.virq), 0];
  const per = name === 'IPRIORITYR' || name === 'ITARGETSR' ? 4 : name === 'ICFGR' ? 16 : 32;
  if (['CTLR', 'TYPER', 'IIDR', 'SGIR', 'RESERVED'].includes(name)) return 0;
  return n < 30 ? Math.floor(ids[n % ids.length] / per) : n - 30;
}

function gicdValue(name: string, v: number): bigint {
  if (name === 'SGIR') {
    const filter = v & 3, list = [0x1, 0x2, 0x3, 0xff, 0x4, 0x8][(v >> 2) % 6], id = [15, 1, 0, 7][(v >> 5) & 3];
    return BigInt((filter << 24) | (list << 16) | id);
  }
  if (name === 'ITARGETSR') return BigInt([0x01010101, 0x02020202, 0x03030303, 0xffffffff, v][v % 5] >>> 0);
  if (name === 'CTLR') return BigInt(v & 1 ? 1 : v & 2 ? 0 : v);
  return BigInt([0xffffffff, v, 1 << (v % 32)][v % 3] >>> 0);
}

const NONE: Action[] = [];
const step = (core: number, instr: Instr): Action => ({ kind: 'guest', core, instr });
/** The i-th running core, or (i >= 100) a raw physical core. */
function choose(s: RealState, i: number): number {
  if (i >= 100) return (i - 100) % s.cores.length;
  let on = 0;
  for (const k of s.cores) if (k.on) on++;
  if (!on) return i % s.cores.length;
  let j = i % on;
  for (let c = 0; c < s.cores.length; c++) if (s.cores[c].on && j-- === 0) return c;
  return 0;
}
/** To EL0 first: SPSR_EL1.M := EL0t, then ERET (to ELR_EL1). */
function el0(s: RealState, core: number): Action[] {
  return s.cores[core]?.on && s.cores[core].el === 1 ? [step(core, { op: 'msr', rt: 31, reg: 'spsr_el1' }), step(core, { op: 'eret' })] : NONE;
}

export function resolve(s: RealState, g: Cmd, c: Cfg): readonly Action[] {
  if (s.bootFail) return [];
  const pickCore = (i: number): number => choose(s, i);
  const W = c.wordsPerPage;
  const toEl0 = (core: number, yes: boolean): Action[] => (yes ? el0(s, core) : NONE);
  switch (g.t) {
    case 'mem': {
      const core = pickCore(g.core);
      const gi = s.layout.guestOf[core];
      const pages = hotPages(c)[gi];
      const ipa = pages[g.page % pages.length] | BigInt(((g.word % (W + 1)) * 8) % 4096);
      const pre: Action[] = g.op === 1 && g.value !== null ? [step(core, { op: 'mov', rd: g.rt, value: g.value, ...(g.secret ? { secret: true } : {}) })] : [];
      const instr: Instr = g.op === 2 ? { op: 'fetch', ipa } : { op: g.op === 0 ? 'load' : 'store', ipa, rt: g.rt, ...(g.isv ? {} : { isv: false }) };
      return [...toEl0(core, g.el0), ...pre, step(core, instr)];
    }
    case 'gicd': {
      const core = pickCore(g.core);
      const gi = s.layout.guestOf[core];
      const name = GICD_REGS[g.reg];
      const off = (GICD_BASE[name] + 4 * regIndex(c, name, g.n)) & 0xffc;
      const ipa = (BigInt(c.guests[gi].gicd) << 12n) | BigInt(off);
      const rt = 1 + (g.n % 4);
      if (!g.write) return [...toEl0(core, g.el0), step(core, { op: 'load', ipa, rt, ...(g.isv ? {} : { isv: false }) })];
      return [...toEl0(core, g.el0), step(core, { op: 'mov', rd: rt, value: gicdValue(name, g.value) }), step(core, { op: 'store', ipa, rt, ...(g.isv ? {} : { isv: false }) })];
    }
    case 'gicc': {
      const core = pickCore(g.core);
      const gi = s.layout.guestOf[core];
      const base = BigInt(c.guests[gi].gicc) << 12n;
      const lr = s.cores[core].lr;
      const active = Object.keys(lr).filter((k) => lr[Number(k)] === 'A' || lr[Number(k)] === 'AP');
      const id = BigInt(active.length ? active[0] : 1023);
      switch (g.which) {
        case 0: case 1: return [step(core, { op: 'load', ipa: base + BigInt(GICC.IAR), rt: 2 })];
        case 2: return [step(core, { op: 'mov', rd: 2, value: id }), step(core, { op: 'store', ipa: base + BigInt(GICC.EOIR), rt: 2 })];
        case 3: return [step(core, { op: 'mov', rd: 2, value: id }), step(core, { op: 'store', ipa: base + BigInt(GICC.DIR), rt: 2 })];
        default: return [step(core, { op: 'load', ipa: base + BigInt(GICC.HPPIR), rt: 2 })];
      }
    }
    case 'mov': return [step(pickCore(g.core), { op: 'mov', rd: g.rd, value: g.value, ...(g.secret ? { secret: true } : {}) })];
    case 'sys': return [step(pickCore(g.core), { op: g.write ? 'msr' : 'mrs', rt: g.rt, reg: SYSREGS[g.reg] })];
    case 'misc': return [step(pickCore(g.core), g.op === 0 ? { op: 'wfi' } : g.op === 1 ? { op: 'eret' } : { op: 'svc', imm: 0 })];
    case 'hvc': return [step(pickCore(g.core), { op: 'hvc', imm: g.imm })];
    case 'psci': {
      const fid = [0xc4000003n, 0x84000002n, 0x84000000n][g.fn];
      const core = pickCore(g.core);
      const gi = s.layout.guestOf[core];
      const entry = BigInt(c.guests[gi].entry) + BigInt(g.entry * 0x40);
      return [step(core, { op: 'smc', imm: 0, args: [fid, BigInt(g.k), entry, BigInt(0x100 + g.k)] })];
    }
    case 'device': {
      if (!c.devices.length) return [];
      const dev = g.dev % c.devices.length;
      const irqs = c.devices[dev].irqs;
      if (g.raise) return irqs.length ? [{ kind: 'device', dev, op: 'raise', irq: irqs[g.reg % irqs.length] }] : [];
      return [{ kind: 'device', dev, op: 'input', reg: g.reg % W, value: g.value }];
    }
    case 'dma': {
      const dmas = c.devices.map((d, i) => (d.dma ? i : -1)).filter((i) => i >= 0);
      const dev = dmas.length && g.dev < 6 ? dmas[g.dev % dmas.length] : g.dev % Math.max(1, c.devices.length);
      if (!c.devices.length) return [];
      const pages = hotPages(c)[c.devices[dev].owner];
      return [{ kind: 'dma', dev, write: g.write, ipa: pages[g.page % pages.length] | BigInt((g.word % W) * 8), value: g.value }];
    }
    case 'take': {
      const core = pickCore(g.core);
      const cands: [number, number][] = [];
      for (const q of s.sgi) if (q.dst === core) cands.push([q.id, q.src]);
      for (const id in s.spi) { const q = s.spi[id]; if (q.pend && q.en && !q.act && q.tgt & (1 << core)) cands.push([Number(id), 0]); }
      if (cands.length && g.pick < 6) { const [intid, src] = cands[g.pick % cands.length]; return [{ kind: 'irq', core, intid, src }]; }
      const ids = Object.keys(s.spi).map(Number);
      return [{ kind: 'irq', core, intid: g.pick === 6 && ids.length ? ids[g.core % ids.length] : 15, src: g.core % s.cores.length }];
    }
    case 'virq': return [{ kind: 'virq', core: pickCore(g.core) }];
    case 'periph': {
      const core = pickCore(g.core);
      const gi = s.layout.guestOf[core];
      const dev = c.devices.findIndex((d) => d.owner === gi && d.irqs.length);
      if (dev < 0) return [];
      const irq = c.devices[dev].irqs[0];
      const gicd = BigInt(c.guests[gi].gicd) << 12n;
      const w = (off: number, v: bigint): Action[] => [step(core, { op: 'mov', rd: 3, value: v }), step(core, { op: 'store', ipa: gicd | BigInt(off), rt: 3 })];
      return [...w(0, 1n), ...w(0x100 + 4 * Math.floor(irq / 32), 1n << BigInt(irq % 32)), { kind: 'device', dev, op: 'raise', irq }, { kind: 'irq', core, intid: irq, src: 0 }];
    }
  }
}
