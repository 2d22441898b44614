// Independent oracles, run on every step from the pre-state, the action and the observation. They share no
// code with the handlers they check: the reference's outcome tables are restated here as data evaluated on
// the pre-state, and postconditions are declarative ("these fields changed, nothing else").
//   - IGC_NOTIFY (A.4.1): the outcome the table gives; no GPR changes; PC + 4; GRANT sets exactly its
//     mailbox and sends SGI 15 to the receiver's least powered core.
//   - PSCI (A.4.3): the outcome; only the named own core starts, at x2 with x0 = x3; caller's GPRs unchanged.
//   - GICD (A.4.4): a read shows no foreign bit; a write changes no foreign interrupt, no other guest's
//     copy, and sends SGIs only to the writer's own cores.
//   - Abort injection (A.4.5): the syndrome a guest may see (class for its EL, fixed ISS, FAR = the VA).
//   - P3 integrity: a step of guest h changes another guest's memory only at pages h sends on, and never
//     another guest's cores, devices or interrupts.
//   - A.1 conformance: boot validation rejects configurations that break a rule (mutants of the current
//     configuration, one rule each) and accepts the current one.

import { pdiff } from '../../model/pvec';
import type { Violation } from '../../model/system';
import type { Action, Obs } from '../../real/sep/actions';
import type { Cfg } from '../../real/sep/config';
import type { Spec } from '../../real/sep/spec';
import type { Core, RealState } from '../../real/sep/state';
import { validate } from '../../real/sep/boot';
import { gicdDecode, idsOf } from '../../real/sep/gicv2';

const hx = (v: bigint) => '0x' + v.toString(16);
const U64 = (1n << 64n) - 1n;

type Table = readonly (readonly [string, (pre: RealState, g: number, a: bigint[]) => boolean])[];

/** A.4.1's outcomes as data: [outcome, holds(pre-state, caller's guest, [imm])]. */
export const NOTIFY_TABLE: Table = [
  ['DROP_BAD', (s, _g, [imm]) => imm >= BigInt(s.cfg.channels.length)],
  ['DROP_NOT_SENDER', (s, g, [imm]) => s.cfg.channels[Number(imm)].from !== g],
  ['DROP_NO_TARGET', (s, _g, [imm]) => !s.cfg.guests[s.cfg.channels[Number(imm)].to].cores.some((c) => s.pow[c])],
  ['DROP_BUSY', (s, g, [imm]) => s.mbox[g * s.cfg.guests.length + s.cfg.channels[Number(imm)].to] === 1],
];

/** A.4.3's outcomes as data: [outcome, holds(pre-state, guest, [w0, x1])]. */
export const PSCI_TABLE: Table = [
  ['NOT_SUPPORTED', (_s, _g, [f]) => f !== 0xc4000003n && f !== 0x84000002n],
  ['INVALID_PARAMETERS', (s, g, [f, k]) => f === 0xc4000003n && k >= BigInt(s.cfg.guests[g].cores.length)],
  ['ALREADY_ON', (s, g, [f, k]) => f === 0xc4000003n && s.cores[s.cfg.guests[g].cores[Number(k)]].on],
];
const outcome = (t: Table, s: RealState, g: number, a: bigint[], dflt: string) => t.find(([, p]) => p(s, g, a))?.[0] ?? dflt;

const argsApplied = (k: Core, args: readonly bigint[] | undefined): bigint[] => {
  const x = k.x.slice();
  (args ?? []).forEach((v, r) => { if (r < 31) x[r] = v & U64; });
  return x;
};

/** A reporter of oracle violations for one core (made only for the steps an oracle inspects). */
function oracle(out: Violation[], core: number): (component: string, detail: string) => void {
  return function report(component, detail) { out.push({ property: 'Oracle', component: `core ${core} ${component}`, detail }); };
}

export class Oracles {
  private booted = false;
  constructor(private readonly cfg: Cfg, private readonly spec: Spec) {}

  step(pre: RealState, a: Action, o: Obs, post: RealState): Violation[] {
    const out: Violation[] = [];
    if (!this.booted) { this.booted = true; out.push(...bootConformance(this.cfg, this.spec)); }
    if (pre.bootFail) return out;
    integrity(out, pre, a, post);
    if (a.kind !== 'guest') return out;
    const k = pre.cores[a.core];
    if (!k?.on) return out;
    const g = pre.layout.guestOf[a.core];
    const i = a.instr;
    const v = oracle(out, a.core);
    if ((i.op === 'hvc' || i.op === 'smc') && k.el === 1) {
      const x = argsApplied(k, i.args);
      const after = post.cores[a.core];
      if (i.op === 'hvc') {
        const want = outcome(NOTIFY_TABLE, pre, g, [BigInt(i.imm)], 'GRANT');
        if (o.label !== `hvc:${want}`) v(`hvc #${i.imm}`, `outcome ${o.label.replace('hvc:', '')}, the reference's table gives ${want}`);
        const r = x.findIndex((val, n) => after.x[n] !== val);
        if (r >= 0) v(`hvc #${i.imm} x${r}`, `changed to ${hx(after.x[r])} (IGC_NOTIFY writes no register)`);
        if (after.pc !== ((k.pc + 4n) & U64)) v(`hvc #${i.imm} pc`, `${hx(after.pc)}, expected the next instruction`);
        const n = pre.cfg.guests.length;
        if (want === 'GRANT') {
          const to = pre.cfg.channels[i.imm].to;
          const t = pre.cfg.guests[to].cores.find((c) => pre.pow[c])!;
          if (post.mbox[g * n + to] !== 1) v(`hvc #${i.imm}`, `GRANT without mbox[${g}][${to}] set`);
          if (!post.sgi.some((q) => q.src === a.core && q.dst === t && q.id === 15)) v(`hvc #${i.imm}`, `GRANT without SGI 15 to core ${t}`);
        } else if (post.mbox !== pre.mbox || post.sgi !== pre.sgi) v(`hvc #${i.imm}`, `${want} changed the mailboxes or sent an SGI`);
      } else {
        const f = x[0] & 0xffff_ffffn;
        const want = outcome(PSCI_TABLE, pre, g, [f, x[1]], f === 0xc4000003n ? 'ON_SUCCESS' : 'OFF_SUCCESS');
        if (o.label !== `psci:${want}`) v('smc (PSCI)', `outcome ${o.label.replace('psci:', '')}, the reference's table gives ${want}`);
        const r = x.findIndex((val, n) => after.x[n] !== val);
        if (r >= 0) v(`smc (PSCI) x${r}`, `changed to ${hx(after.x[r])} (GPRs are unchanged)`);
        const started = want === 'ON_SUCCESS' ? pre.cfg.guests[g].cores[Number(x[1])] : -1;
        post.cores.forEach((c, p) => {
          if (p === a.core || c === pre.cores[p]) return;
          if (p !== started) v('smc (PSCI)', `changed core ${p}, not the core x1 names`);
          else if (!c.on || c.pc !== x[2] || c.x[0] !== x[3] || c.el !== 1) v('smc (PSCI)', `core ${p} started wrongly (on ${c.on}, pc ${hx(c.pc)}, x0 ${hx(c.x[0])})`);
        });
        if (want === 'OFF_SUCCESS' && after.on) v('smc (PSCI)', 'CPU_OFF left the caller on');
      }
      return out;
    }
    if (i.op !== 'load' && i.op !== 'store' && i.op !== 'fetch') return out;
    const ipa = i.ipa & U64;
    const cfgG = pre.cfg.guests[g];
    if (i.op !== 'fetch' && k.s2on && ipa >> 12n === BigInt(cfgG.gicd) && i.isv !== false && (ipa & 3n) === 0n) gicdOracle(out, pre, a.core, g, Number(ipa & 0xfffn), i.op === 'store', o, post);
    if (o.ev.k === 'exc' && o.label.startsWith('abort:')) {
      const after = post.cores[a.core];
      const fetch = i.op === 'fetch';
      const ec = fetch ? (k.el === 0 ? 0x20n : 0x21n) : k.el === 0 ? 0x24n : 0x25n;
      const esr = (ec << 26n) | (1n << 25n) | 0x10n;
      const vec = ((k.sys.vbar_el1 & ~0x7ffn) + (k.el === 0 ? 0x400n : 0x200n)) & U64;
      if (after.sys.esr_el1 !== esr) v('abort esr_el1', `${hx(after.sys.esr_el1)}, expected ${hx(esr)}`);
      if (after.sys.far_el1 !== ipa) v('abort far_el1', `${hx(after.sys.far_el1)}, expected the VA ${hx(ipa)}`);
      if (after.sys.elr_el1 !== (fetch ? ipa : k.pc)) v('abort elr_el1', `${hx(after.sys.elr_el1)}`);
      if (after.pc !== vec || after.el !== 1) v('abort vector', `pc ${hx(after.pc)} EL${after.el}, expected ${hx(vec)} EL1`);
    }
    return out;
  }
}

const owns = new WeakMap<Cfg, Set<number>[]>();
/** own(g) as the reference defines it: g's peripheral IRQs and incoming channel virqs. */
function ownIrqs(c: Cfg, g: number): Set<number> {
  let o = owns.get(c);
  if (!o) owns.set(c, (o = c.guests.map((_, h) => new Set(c.devices.filter((d) => d.owner === h).flatMap((d) => d.irqs).concat(c.channels.filter((s) => s.to === h).map((s) => s.virq))))));
  return o[g];
}

function gicdOracle(out: Violation[], pre: RealState, c: number, g: number, off: number, write: boolean, o: Obs, post: RealState): void {
  const { name, n } = gicdDecode(off);
  const own = ownIrqs(pre.cfg, g);
  const v = (detail: string): void => { out.push({ property: 'Oracle', component: `core ${c} GICD ${name}${n ? `<${n}>` : ''} ${write ? 'write' : 'read'}`, detail }); };
  if (!write) {
    if (o.ev.k !== 'value' || !['ISENABLER', 'ICENABLER', 'ISPENDR', 'ICPENDR', 'ISACTIVER', 'ICACTIVER', 'IPRIORITYR', 'ITARGETSR', 'ICFGR'].includes(name)) return;
    const { first, count, width } = idsOf(name, n);
    const nc = pre.cfg.guests[g].cores.length;
    let val = o.ev.v;
    const mask = (1n << BigInt(width)) - 1n;
    for (let i = 0; i < count && val; i++, val >>= BigInt(width)) {
      const f = val & mask;
      if (f && !own.has(first + i)) return v(`shows foreign interrupt ${first + i} (field ${hx(f)})`);
      if (name === 'ITARGETSR' && f >> BigInt(nc)) return v(`shows targets ${hx(f)} beyond the guest's ${nc} cores`);
    }
    return;
  }
  for (const id in post.spi) if (post.spi[id] !== pre.spi[id] && !own.has(Number(id))) return v(`changed foreign interrupt ${id}`);
  post.gcpy.forEach((x, h) => { if (h !== g && x !== pre.gcpy[h]) v(`changed guest ${h}'s distributor copy`); });
  const mine = pre.cfg.guests[g].cores;
  for (const q of post.sgi) if (!pre.sgi.includes(q) && !mine.includes(q.dst)) return v(`sent SGI ${q.id} to core ${q.dst} of another guest`);
}

function p3(out: Violation[], h: number): (component: string, detail: string) => void {
  return function report(component, detail) { out.push({ property: 'P3', component, detail: `changed by a step of guest ${h}: ${detail}` }); };
}

/** P3: what a step of guest h may change of another guest l (or of the hypervisor's memory). */
function integrity(out: Violation[], pre: RealState, a: Action, post: RealState): void {
  if (pre === post) return;
  const cfg = pre.cfg;
  const h = a.kind === 'device' || a.kind === 'dma' ? cfg.devices[a.dev]?.owner ?? -1 : pre.layout.guestOf[a.core] ?? -1;
  const v = p3(out, h);
  if (post.mem !== pre.mem) {
    pdiff(pre.mem, post.mem, (pa) => {
      const ch = cfg.channels.find((s) => s.pa === pa);
      if (ch) { if (ch.from !== h) v(`channel page pa ${pa}`, `guest ${h} does not send on it`); return; }
      const owner = cfg.guests.findIndex((g) => g.ram.some((r) => pa >= r.pa && pa < r.pa + r.pages));
      if (owner !== h) v(`pa ${pa}`, owner < 0 ? 'memory of no guest (hypervisor or free)' : `memory of guest ${owner}`);
    });
  }
  if (post.cores !== pre.cores) post.cores.forEach((k, c) => { if (k !== pre.cores[c] && pre.layout.guestOf[c] !== h) v(`core ${c}`, `a core of guest ${pre.layout.guestOf[c]}`); });
  if (post.devs !== pre.devs) post.devs.forEach((d, i) => { if (d !== pre.devs[i] && cfg.devices[i].owner !== h) v(`device ${i}`, `a device of guest ${cfg.devices[i].owner}`); });
}

/** Mutants of a valid configuration, each breaking one A.1 rule; boot validation must reject each. */
export function bootMutants(c: Cfg): [string, Cfg][] {
  const m: [string, Cfg][] = [];
  const G = c.guests;
  const set = (i: number, g: Partial<Cfg['guests'][number]>) => G.map((x, j) => (j === i ? { ...x, ...g } : x));
  if (G.length >= 2) m.push(['1 a core shared by two guests', { ...c, guests: set(1, { cores: [...G[1].cores, G[0].cores[0]] }) }]);
  m.push(['1 a guest without a core', { ...c, guests: set(0, { cores: [] }) }]);
  if (c.channels.length) {
    const s = c.channels[0];
    m.push(['2 a channel to its own sender', { ...c, channels: [{ ...s, to: s.from }, ...c.channels.slice(1)] }]);
    m.push(['2 a channel to a guest that does not exist', { ...c, channels: [{ ...s, to: G.length }, ...c.channels.slice(1)] }]);
    m.push(['2 two channels for one ordered pair', { ...c, channels: [...c.channels, { ...s, pa: s.pa, aSend: s.aSend, aRecv: s.aRecv }] }]);
    if (G[s.from].ram.length) m.push(['3 a channel page that is RAM', { ...c, channels: [{ ...s, aSend: G[s.from].ram[0].ipa }, ...c.channels.slice(1)] }]);
    m.push(['4 a virq outside [16,1019]', { ...c, channels: [{ ...s, virq: 3 }, ...c.channels.slice(1)] }]);
    const third = G.findIndex((_, i) => i !== s.from && i !== s.to && G[i].ram.length);
    if (third >= 0) m.push(['6 a third guest maps a channel page', { ...c, guests: set(third, { ram: [{ ...G[third].ram[0], pa: s.pa, pages: 1 }, ...G[third].ram.slice(1)] }) }]);
  }
  if (c.devices.length) m.push(['5 two peripherals on one physical page', { ...c, devices: [...c.devices, { ...c.devices[0], owner: c.devices[0].owner, ipa: c.devices[0].ipa, irqs: [] }] }]);
  if (G.length >= 2 && G[0].ram.length && G[1].ram.length) m.push(['6 overlapping RAM regions', { ...c, guests: set(1, { ram: [{ ...G[1].ram[0], pa: G[0].ram[0].pa }, ...G[1].ram.slice(1)] }) }]);
  if (G[0].ram.length && c.hypervisor.pages) m.push(['6 RAM in hypervisor memory', { ...c, guests: set(0, { ram: [{ ...G[0].ram[0], pa: c.hypervisor.pa, pages: 1 }, ...G[0].ram.slice(1)] }) }]);
  m.push(['7 an entry point outside the image', { ...c, guests: set(0, { entry: (G[0].image.ipa + G[0].image.pages) * 4096 }) }]);
  return m;
}

const conformance = new WeakMap<Spec, WeakMap<Cfg, Violation[]>>();

/** Computed once per (specification, configuration): the same for every trace of a run. */
function bootConformance(c: Cfg, spec: Spec): Violation[] {
  let m = conformance.get(spec);
  if (!m) conformance.set(spec, (m = new WeakMap()));
  let v = m.get(c);
  if (!v) m.set(c, (v = bootConformanceOf(c, spec)));
  return v;
}

function bootConformanceOf(c: Cfg, spec: Spec): Violation[] {
  const out: Violation[] = [];
  const own = validate(spec.boot, c);
  if (own.length) out.push({ property: 'A.1', component: 'boot validation', detail: `rejects the configuration in use: ${own[0]}` });
  for (const [what, m] of bootMutants(c)) {
    if (validate(spec.boot, m).length === 0) out.push({ property: 'A.1', component: `boot validation, rule ${what}`, detail: 'accepts a configuration that breaks the rule' });
  }
  return out;
}
