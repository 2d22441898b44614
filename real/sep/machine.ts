// The real machine: boot (validation, golden images, initial state) and one atomic step per trace action
// (reference A.3): guest instructions through stage 2, the hypervisor's handlers (A.4), device inputs,
// DMA through the SMMU, and interrupts taken. Total: no input makes a step throw.

import { pvecFrom } from '../../model/pvec';
import {
  EC, NO_LR, SYS_RESET, ZERO_X, cpuif, enterEl1, esrOf, getX, internal, lrInject, lrPending, next, setX, u64,
} from './arch';
import { NOTIFY_OUTCOMES, decodeChannel } from './notify';
import { PSCI_CPU_ON } from './psci';
import { gicdDecode } from './gicv2';
import { validate } from './boot';
import { layoutOf } from './layout';
import { ramEntry } from './golden';
import { Action, Ev, Instr, Obs, STEP, nobody } from './actions';
import { firstRow, type Fault, type Spec } from './spec';
import type { Cfg } from './config';
import {
  Core, EL2_RESET, GCOPY_RESET, RealState, S2Entry, Spi, Words, readWord, setCore, withState, writeWord,
} from './state';

export { NOTIFY_OUTCOMES };

/** Initial content of RAM page `pa` (distinct per page, so a wrong mapping shows); channel pages are zero. */
export const initialWord = (pa: number, w: number): bigint => (BigInt(pa + 1) << 16n) | BigInt(w);
/** Hypervisor memory content: its secrets (never readable by a guest). */
export const hvWord = (pa: number, w: number): bigint => 0x4856_0000_0000_0000n | (BigInt(pa) << 8n) | BigInt(w);

const OFF: Core = { on: false, el: 1, x: ZERO_X, pc: 0n, sys: SYS_RESET, lr: NO_LR, vi: false, s2on: true, el2: EL2_RESET };

/**
 * Boot is deterministic: its verdict, golden images and the whole initial state are computed once per
 * (specification, configuration); steps never modify a state (copy on write), so every run of a check
 * starts from the same object, and checkers that cache by object see it once.
 */
const booted = new WeakMap<Spec, WeakMap<Cfg, { bootFail: string | null; golden: RealState['golden']; initial?: RealState }>>();

/**
 * The initial memory of a configuration, built once: a persistent vector of frozen pages, which steps
 * replace and never modify, so every trace can start from the same one (at 512 words a page, building
 * it per trace took 30% of a profile of checked traces).
 */
const memories = new WeakMap<Cfg, RealState['mem']>();
function initialMemory(cfg: Cfg): RealState['mem'] {
  let mem = memories.get(cfg);
  if (mem) return mem;
  const W = Math.max(1, Math.min(512, cfg.wordsPerPage));
  const nPages = Math.max(1, Math.min(4096, cfg.ramPages));
  const chanPages = new Set(cfg.channels.map((s) => s.pa));
  const hv = (pa: number) => pa >= cfg.hypervisor.pa && pa < cfg.hypervisor.pa + cfg.hypervisor.pages;
  const pages: Words[] = [];
  for (let pa = 0; pa < nPages; pa++) {
    const page: bigint[] = [];
    for (let w = 0; w < W; w++) page.push(hv(pa) ? hvWord(pa, w) : chanPages.has(pa) ? 0n : initialWord(pa, w));
    pages.push(Object.freeze(page));
  }
  mem = pvecFrom(pages);
  memories.set(cfg, mem);
  return mem;
}

export function initReal(cfg: Cfg, spec: Spec): RealState {
  const layout = layoutOf(cfg);
  let m = booted.get(spec);
  if (!m) booted.set(spec, (m = new WeakMap()));
  let b = m.get(cfg);
  if (!b) {
    const problems = validate(spec.boot, cfg);
    const bootFail = problems.length ? problems[0] : null;
    b = { bootFail, golden: bootFail ? { s2: cfg.guests.map(() => new Map()), smmu: cfg.devices.map(() => null) } : spec.golden(cfg, layout) };
    m.set(cfg, b);
  }
  if (b.initial) return b.initial;
  const { bootFail, golden } = b;
  const W = Math.max(1, Math.min(512, cfg.wordsPerPage));
  const n = cfg.guests.length;
  const cores: Core[] = [];
  const pow: boolean[] = [];
  for (let c = 0; c < Math.max(0, Math.min(32, cfg.cores)); c++) {
    const g = layout.guestOf[c];
    const primary = !bootFail && g >= 0 && cfg.guests[g].cores[0] === c;
    cores.push(primary ? { ...OFF, on: true, pc: BigInt(cfg.guests[g].entry) } : OFF);
    pow.push(primary);
  }
  const spi: Record<number, Spi> = {};
  for (const d of cfg.devices) {
    const primary = cfg.guests[d.owner]?.cores[0] ?? 0;
    for (const q of d.irqs) spi[q] = { en: false, pend: false, act: false, tgt: primary < 32 ? 1 << primary : 0 };
  }
  const s: RealState = {
    cfg, layout, bootFail, golden, s2: golden.s2, smmu: golden.smmu,
    mem: initialMemory(cfg), cache: cfg.cache ? new Map() : null,
    cores, spi, sgi: [], gcpy: cfg.guests.map(() => GCOPY_RESET), mbox: new Array<number>(n * n).fill(0), pow,
    devs: cfg.devices.map(() => Object.freeze(new Array<bigint>(W).fill(0n))),
  };
  return (b.initial = withState(s));
}

type Out = { state: RealState; obs: Obs };
const out = (state: RealState, g: number, ev: Ev, label: string): Out => ({ state, obs: { g, ev, label } });
const excEv = (c: Core): Ev => ({ k: 'exc', esr: c.sys.esr_el1, far: c.sys.far_el1, pc: c.pc });

export function stepReal(s: RealState, a: Action, spec: Spec): Out {
  if (s.bootFail) return { state: s, obs: nobody('boot-fail') };
  switch (a.kind) {
    case 'guest': return guest(s, a.core, a.instr, spec);
    case 'device': return device(s, a);
    case 'dma': return dma(s, a.dev, a.write, a.ipa, a.value);
    case 'irq': return take(s, a.core, a.intid, a.src);
    case 'virq': return vtake(s, a.core);
  }
}

function guest(s: RealState, c: number, i: Instr, spec: Spec): Out {
  const core = s.cores[c];
  if (!core || !core.on) return { state: s, obs: nobody('guest:off') };
  const g = s.layout.guestOf[c];
  switch (i.op) {
    case 'mov': case 'mrs': case 'msr': case 'wfi': case 'eret': case 'svc': {
      const r = internal(core, i);
      const ev: Ev = r.exception ? excEv(r.core) : r.value !== undefined ? { k: 'value', v: r.value } : STEP;
      const label = r.exception ? (i.op === 'svc' ? 'exc:svc' : 'exc:undefined') : `instr:${i.op}`;
      return out(setCore(s, c, r.core), g, ev, label);
    }
    case 'hvc': case 'smc': {
      let k = core;
      (i.args ?? []).forEach((v, r) => { k = setX(k, r, v); });
      if (k.el === 0) {
        const u = enterEl1(k, false, k.pc, esrOf(EC.UNKNOWN, 0n));
        return out(setCore(s, c, u), g, excEv(u), 'exc:undefined');
      }
      const trapped: Core = { ...k, el2: { ...k.el2, elr: next(k), esr: esrOf(i.op === 'hvc' ? EC.HVC : EC.SMC, BigInt(i.imm & 0xffff)) } };
      const s1 = setCore(s, c, trapped);
      return i.op === 'hvc' ? hvc(s1, c, g, i.imm, spec) : smc(s1, c, g, spec);
    }
    case 'load': case 'store': case 'fetch':
      return access(s, c, g, core, i, spec);
  }
}

// ---- A.4.1 / A.4.3 ----

function hvc(s: RealState, c: number, g: number, imm: number, spec: Spec): Out {
  const x = { s, c, g, imm, ch: decodeChannel(s, imm) };
  const outcome = firstRow(spec.notify.rows, x) ?? 'GRANT';
  const s2 = outcome === 'GRANT' ? spec.notify.grant(x) : s;
  const core = spec.notify.resume(s2.cores[c], outcome, x);
  return out(setCore(s2, c, core), g, STEP, `hvc:${outcome}`);
}

function smc(s: RealState, c: number, g: number, spec: Spec): Out {
  const core = s.cores[c];
  const fid = getX(core, 0) & 0xffff_ffffn;
  const k = getX(core, 1);
  const target = spec.psci.target(s.layout, c, g, k);
  const x = { s, c, g, fid, k, entry: getX(core, 2), ctxId: getX(core, 3), target };
  const outcome = firstRow(spec.psci.rows, x) ?? (fid === PSCI_CPU_ON ? 'ON_SUCCESS' : 'OFF_SUCCESS');
  const resumed: Core = { ...core, pc: core.el2.elr };
  if (outcome === 'OFF_SUCCESS') {
    const pow = s.pow.slice();
    pow[c] = false;
    return out(withState(setCore(s, c, { ...resumed, on: false }), { pow }), g, STEP, 'psci:OFF_SUCCESS');
  }
  let s2 = setCore(s, c, resumed);
  if (outcome === 'ON_SUCCESS' && target >= 0 && target < s.cores.length) {
    s2 = setCore(s2, target, { ...OFF, on: true, pc: x.entry, x: setX({ ...OFF }, 0, x.ctxId).x });
    const pow = s2.pow.slice();
    pow[target] = true;
    s2 = withState(s2, { pow });
  }
  return out(s2, g, STEP, `psci:${outcome}`);
}

// ---- memory accesses through stage 2 (A.3), GICD trap (A.4.4), fault injection (A.4.5) ----

function lookup(s: RealState, g: number, core: Core, page: bigint): S2Entry | undefined {
  if (core.s2on) {
    if (page >= 1n << BigInt(s.cfg.guests[g].as)) return undefined;
    return s.s2[g].get(Number(page));
  }
  // Stage 2 off: the IPA is the PA.
  if (page < BigInt(s.cfg.ramPages)) return ramEntry(Number(page));
  const d = s.cfg.devices.findIndex((x) => BigInt(x.pa) === page);
  return d >= 0 ? { kind: 'dev', pa: d, w: true, x: false, cacheable: false } : undefined;
}

type MemI = Extract<Instr, { op: 'load' | 'store' | 'fetch' }>;

function access(s: RealState, c: number, g: number, core: Core, i: MemI, spec: Spec): Out {
  const ipa = u64(i.ipa);
  const page = ipa >> 12n;
  const word = Number((ipa >> 3n) % BigInt(s.cfg.wordsPerPage));
  const write = i.op === 'store';
  const fetch = i.op === 'fetch';
  const e = lookup(s, g, core, page);
  if (!e || (write && !e.w) || (fetch && !e.x)) {
    const isv = !fetch && i.isv !== false;
    const fsc = e ? 0x0fn : 0x07n; // permission / translation fault, level 3
    const trapped: Core = {
      ...core,
      pc: fetch ? ipa : core.pc,
      el2: {
        elr: fetch ? ipa : core.pc,
        esr: esrOf(fetch ? EC.IABT_LOW : EC.DABT_LOW, (isv ? 1n << 24n : 0n) | (write ? 1n << 6n : 0n) | fsc),
        far: ipa,
        hpfar: (page << 4n) & 0xffff_ffff_fff0n,
      },
    };
    if (!fetch && !e && core.s2on && page === BigInt(s.cfg.guests[g].gicd)) {
      if (!isv || (ipa & 3n) !== 0n) return inject(s, c, g, trapped, { instr: false, write, cause: 'gicd' }, 'gicd-syndrome', spec);
      return gicd(s, c, g, trapped, i as Extract<MemI, { op: 'load' | 'store' }>, spec);
    }
    return inject(s, c, g, trapped, { instr: fetch, write, cause: e ? 'permission' : 'translation' }, `${fetch ? 'instr' : 'data'}-${e ? 'permission' : 'translation'}`, spec);
  }
  const rt = fetch ? 31 : (i as { rt: number }).rt;
  if (e.kind === 'ram') {
    if (write) return out(writeWord(setCore(s, c, { ...core, pc: next(core) }), e.pa, word, getX(core, rt), e.cacheable), g, STEP, 'mem:store');
    const v = readWord(s, e.pa, word, e.cacheable);
    const k = fetch ? { ...core, pc: u64(ipa + 4n) } : { ...setX(core, rt, v), pc: next(core) };
    return out(setCore(s, c, k), g, { k: 'value', v }, fetch ? 'mem:fetch' : 'mem:load');
  }
  if (e.kind === 'dev') {
    const regs = s.devs[e.pa];
    if (write) {
      const devs = s.devs.slice();
      const r = regs.slice();
      r[word] = getX(core, rt);
      devs[e.pa] = r;
      return out({ ...setCore(s, c, { ...core, pc: next(core) }), devs }, g, STEP, 'mmio:store');
    }
    const v = regs[word];
    return out(setCore(s, c, { ...setX(core, rt, v), pc: next(core) }), g, { k: 'value', v }, 'mmio:load');
  }
  // The GIC virtual CPU interface of this physical core.
  const r = cpuif(core.lr, e.pa * 0x1000 + Number(ipa & 0xfffn), write, getX(core, rt) & 0xffff_ffffn);
  const k0: Core = { ...core, lr: r.lr, vi: lrPending(r.lr), pc: next(core) };
  const k = write ? k0 : setX(k0, rt, r.value);
  return out(setCore(s, c, k), g, write ? STEP : { k: 'value', v: r.value }, write ? 'gicc:write' : 'gicc:read');
}

function inject(s: RealState, c: number, g: number, trapped: Core, f: Fault, kind: string, spec: Spec): Out {
  const k = spec.inject(trapped, f);
  return out(setCore(s, c, k), g, excEv(k), `abort:${kind}:el${trapped.el}`);
}

function gicd(s: RealState, c: number, g: number, trapped: Core, i: { op: 'load' | 'store'; ipa: bigint; rt: number }, spec: Spec): Out {
  const off = Number(u64(i.ipa) & 0xfffn);
  const { name, n } = gicdDecode(off);
  const reg = spec.gicd.regs[name];
  const entered: Core = { ...trapped, s2on: false }; // the handler talks to the GIC with stage 2 off
  const s1 = setCore(s, c, entered);
  const x = { s: s1, c, g, off, n, value: getX(trapped, i.rt) & 0xffff_ffffn };
  const resume = u64(trapped.el2.elr + 4n);
  if (i.op === 'load') {
    const v = reg.read(x);
    if (v === 'abort') return exitAbort(s1, c, g, entered, spec);
    const k = spec.gicd.exit({ ...setX(entered, i.rt, v & 0xffff_ffffn), pc: resume });
    return out(setCore(s1, c, k), g, { k: 'value', v: v & 0xffff_ffffn }, `gicd:${name}:read`);
  }
  const r = reg.write(x);
  if (r === 'abort') return exitAbort(s1, c, g, entered, spec);
  const k = spec.gicd.exit({ ...r.cores[c], pc: resume });
  return out(setCore(r, c, k), g, STEP, `gicd:${name}:write`);
}

function exitAbort(s: RealState, c: number, g: number, entered: Core, spec: Spec): Out {
  const k = spec.gicd.exit(spec.inject(entered, { instr: false, write: false, cause: 'gicd' }));
  return out(setCore(s, c, k), g, excEv(k), `abort:gicd-register:el${entered.el}`);
}

// ---- devices, DMA (A.3), interrupts taken (A.4.2, A.4.6) ----

function device(s: RealState, a: Extract<Action, { kind: 'device' }>): Out {
  const d = s.cfg.devices[a.dev];
  if (!d) return { state: s, obs: nobody('device:none') };
  if (a.op === 'input') {
    const regs = s.devs[a.dev];
    const w = a.reg % regs.length;
    if (regs[w] === a.value) return out(s, d.owner, STEP, 'device:input');
    const r = regs.slice();
    r[w] = a.value;
    const devs = s.devs.slice();
    devs[a.dev] = r;
    return out(withState(s, { devs }), d.owner, STEP, 'device:input');
  }
  if (!d.irqs.includes(a.irq)) return { state: s, obs: nobody('device:raise-none') };
  const q = s.spi[a.irq];
  if (q.pend) return out(s, d.owner, STEP, 'device:raise');
  return out(withState(s, { spi: { ...s.spi, [a.irq]: { ...q, pend: true } } }), d.owner, STEP, 'device:raise');
}

function dma(s: RealState, dev: number, write: boolean, ipa0: bigint, value: bigint): Out {
  const d = s.cfg.devices[dev];
  const map = s.smmu[dev];
  if (!d || !map) return { state: s, obs: nobody('dma:none') };
  const ipa = u64(ipa0);
  const page = ipa >> 12n;
  const e = page < 1n << BigInt(s.cfg.guests[d.owner].as) ? map.get(Number(page)) : undefined;
  if (!e || e.kind !== 'ram' || (write && !e.w)) return out(s, d.owner, { k: 'dmafault' }, `dma:fault-${write ? 'write' : 'read'}`);
  const word = Number((ipa >> 3n) % BigInt(s.cfg.wordsPerPage));
  if (write) return out(writeWord(s, e.pa, word, u64(value), e.cacheable), d.owner, STEP, 'dma:write');
  return out(s, d.owner, { k: 'value', v: readWord(s, e.pa, word, e.cacheable) }, 'dma:read');
}

/** take(c): the GIC signals `intid` (an SGI from `src`, or a peripheral IRQ) to core c. */
function take(s: RealState, c: number, intid: number, src: number): Out {
  const core = s.cores[c];
  if (!core || !core.on) return { state: s, obs: nobody('irq:none') };
  const g = s.layout.guestOf[c];
  if (intid < 16) {
    const j = s.sgi.findIndex((q) => q.src === src && q.dst === c && q.id === intid);
    if (j < 0) return { state: s, obs: nobody('irq:none') };
    const sgi = s.sgi.filter((_, i) => i !== j);
    const g2 = s.layout.guestOf[src];
    if (g2 !== g && intid === 15) {
      // A.4.2 IGC reception: ack + EOI, inject the channel's virq, deactivate, clear the mailbox.
      const ch = g2 >= 0 ? s.layout.chan[g2 * s.layout.nGuests + g] : -1;
      if (ch < 0) return out(withState(s, { sgi }), g, STEP, 'irq:igc-stray');
      const virq = s.cfg.channels[ch].virq;
      const mbox = s.mbox.slice();
      mbox[g2 * s.layout.nGuests + g] = 0;
      const lr = lrInject(core.lr, virq);
      return out(setCore(withState(s, { sgi, mbox }), c, { ...core, lr, vi: true }), g, { k: 'irq', virq }, 'irq:igc');
    }
    // A.4.6 intra-guest SGI.
    const lr = lrInject(core.lr, intid);
    return out(setCore(withState(s, { sgi }), c, { ...core, lr, vi: true }), g, { k: 'irq', virq: intid }, 'irq:sgi');
  }
  const q = s.spi[intid];
  if (!q || !q.en || !q.pend || q.act || !(q.tgt & (1 << c))) return { state: s, obs: nobody('irq:none') };
  // A.4.6: acknowledge, EOI, inject into the list registers, deactivate: the physical IRQ is idle again.
  const lr = lrInject(core.lr, intid);
  return out(setCore(withState(s, { spi: { ...s.spi, [intid]: { ...q, pend: false } } }), c, { ...core, lr, vi: true }), g, { k: 'irq', virq: intid }, 'irq:peripheral');
}

function vtake(s: RealState, c: number): Out {
  const core = s.cores[c];
  if (!core || !core.on || !lrPending(core.lr)) return { state: s, obs: nobody('virq:none') };
  const k = enterEl1(core, true, core.pc);
  return out(setCore(s, c, k), s.layout.guestOf[c], { k: 'virq', pc: k.pc }, 'virq:taken');
}
