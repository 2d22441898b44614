// The ideal machine (paper §4.4, adapted to RMM v1.0): the real machine's world plus, per realm, an
// exclusive memory (page IPA -> content; absent = Unknown) and, per REC, an exclusive register file.
// Host and RMM steps run the real step function on the world, so the RMM specification is not
// trusted; a realm's own accesses go to exclusive storage; only the rules of rules.ts move data
// between the two. Isolation holds here by construction; the checker compares the real machine to it.

import { ADDR_LIMIT } from '../../model/bits';
import { Action, Instr, Observation } from '../../real/cca/actions';
import { ENTRY_FLAGS, HOST_CALL } from '../../real/cca/layout';
import { Words, ZERO_WORDS, setWord, setWords } from '../../real/cca/types';
import { Spec } from '../../real/cca/spec';
import { RealState, contentWords, granuleAt, rdOf, recOf, withCpu } from '../../real/cca/state';
import { step } from '../../real/cca/step';
import { nsRead } from '../../real/cca/host';
import { writeWords } from '../../real/cca/memory';
import { levelSize } from '../../real/cca/rtt';
import { GuestEnv, Trap, execGuest } from '../../real/cca/realm/guest';
import { completeCall, handleTrap, rmmCall } from '../../real/cca/realm/trap';
import { realmStep } from '../../real/cca/realm/run';
import { runningRec } from '../../real/cca/realm/exit';
import { lookup } from '../../real/cca/realm/translate';
import { TIMER_REGS } from '../../real/cca/realm/regs';
import { readRecEntry } from '../../real/cca/rmi/rec-enter';
import { RuleName, RuleSet, callRegisters } from './rules';
import { Cause, exitRecord, exitWords } from './exit-record';
import { PsciRequests, TARGETED, callRefusal, completeRefusal } from './psci';
import { REC_EXIT_BASE } from '../../real/cca/layout';
import { INPUT, packStatus } from '../../real/cca/status';
import { Rec } from '../../real/cca/state';

export interface IdealState {
  readonly world: RealState;
  readonly mem: ReadonlyMap<number, ReadonlyMap<number, Words>>;
  /** Exclusive register files; an `undefined` register is Unknown (the world's value is the realm's). */
  readonly regs: ReadonlyMap<number, readonly (bigint | undefined)[]>;
  /** What each REC asked of the host by a PSCI call naming a target (psci.ts). */
  readonly psci: PsciRequests;
}
export interface IdealResult {
  readonly state: IdealState;
  readonly obs: Observation;
  /** Rules that moved data in this step, and rules that would have but are switched off. */
  readonly fired: readonly RuleName[];
  readonly withheld: readonly RuleName[];
}

/** Every ideal state is made here, in one shape (V8 map): states spread from states of several shapes
 * made each copy a slow generic one (the result spread in idealStep was a fifth of a realm step). */
const makeIdeal = (world: RealState, mem: IdealState['mem'], regs: IdealState['regs'], psci: PsciRequests): IdealState => ({ world, mem, regs, psci });
const inWorld = (st: IdealState, world: RealState): IdealState => makeIdeal(world, st.mem, st.regs, st.psci);

export const initialIdeal = (world: RealState): IdealState => makeIdeal(world, new Map(), new Map(), new Map());

const PAGE = 4096;
const pageOf = (ipa: number) => ipa - (ipa % PAGE);

class Rules {
  readonly fired: RuleName[] = [];
  readonly withheld: RuleName[] = [];
  constructor(readonly on: RuleSet) {}
  use(r: RuleName): boolean {
    (this.on.has(r) ? this.fired : this.withheld).push(r);
    return this.on.has(r);
  }
}

// ---- exclusive storage ----
const page = (st: IdealState, rd: number, ipa: number) => st.mem.get(rd)?.get(pageOf(ipa));
function setPage(st: IdealState, rd: number, ipa: number, w: Words | undefined): IdealState {
  const pages = new Map(st.mem.get(rd) ?? []);
  if (w === undefined) pages.delete(pageOf(ipa));
  else pages.set(pageOf(ipa), w);
  const mem = new Map(st.mem);
  mem.set(rd, pages);
  return makeIdeal(st.world, mem, st.regs, st.psci);
}
function setRegs(st: IdealState, rec: number, r: readonly (bigint | undefined)[] | undefined): IdealState {
  const regs = new Map(st.regs);
  if (r === undefined) regs.delete(rec);
  else regs.set(rec, r);
  return makeIdeal(st.world, st.mem, regs, st.psci);
}
/**
 * Moves registers `idx` of the REC on `cpu`: `take` copies the world's into exclusive storage,
 * `expose` exclusive values into the world, `forget` makes them Unknown (the world's from now on).
 */
function moveRegs(st: IdealState, cpu: number, rec: number, idx: readonly number[], dir: 'take' | 'expose' | 'forget'): IdealState {
  const world = st.world.cpus[cpu].regs.slice();
  const excl = (st.regs.get(rec) ?? world).slice();
  for (const i of idx) {
    if (dir === 'take') excl[i] = world[i];
    else if (dir === 'forget') excl[i] = undefined;
    else world[i] = excl[i] ?? world[i];
  }
  if (dir !== 'expose') return setRegs(st, rec, excl);
  return inWorld(st, withCpu(st.world, cpu, { ...st.world.cpus[cpu], regs: world }));
}
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);

/** The PA the world maps a realm IPA at, if it is ASSIGNED RAM. */
function mappedPa(w: RealState, rd: number, ipa: number): number | null {
  const { entry, level } = lookup(w, rdOf(w, rd), ipa);
  return entry.hipas === 'ASSIGNED' && entry.ripas === 'RAM' ? entry.addr + (ipa % levelSize(level)) : null;
}
/** Rule 6, "take the memory the RMM writes": words of `ipa`'s page the world changed between w0 and w1. */
function takeWrites(st: IdealState, rd: number, ipa: number, w0: RealState, r: Rules): IdealState {
  const known = page(st, rd, ipa);
  const pa = mappedPa(st.world, rd, ipa);
  if (!known || pa === null) return st;
  const before = contentWords(granuleAt(w0, pa - (pa % PAGE)).content);
  const after = contentWords(granuleAt(st.world, pa - (pa % PAGE)).content);
  if (before === after || !r.use('rsi')) return st;
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
  return setPage(st, rd, ipa, setWords(known, changed.length, (i) => changed[i], (i) => after.get(changed[i]) ?? 0n));
}

// ---- the realm's own accesses ----
function env(r: Rules): GuestEnv<IdealState> {
  const known = (st: IdealState, rd: number, ipa: number, pa: number, prot: boolean): IdealState => {
    if (page(st, rd, ipa)) return st;
    // Rule 1: an Unknown protected page starts as the world's granule content.
    const init = prot && r.use('initial-content') ? contentWords(granuleAt(st.world, pa - (pa % PAGE)).content) : ZERO_WORDS;
    return setPage(st, rd, ipa, init);
  };
  return {
    world: (st) => st.world,
    withWorld: inWorld,
    reg: (st, cpu, i) => st.regs.get(runningRec(st.world, cpu).recPa)?.[i] ?? st.world.cpus[cpu].regs[i],
    setReg: (st, cpu, i, v) => {
      const rec = runningRec(st.world, cpu).recPa;
      const regs = (st.regs.get(rec) ?? st.world.cpus[cpu].regs).slice();
      regs[i] = v;
      return setRegs(st, rec, regs);
    },
    load: (st, rd, ipa, pa, prot) => {
      // Rule 2: unprotected IPAs are the world's (shared) memory.
      if (!prot && r.use('unprotected')) return { st, v: (nsRead(st.world, BigInt(pa), 1).values ?? [0n])[0] };
      const s1 = known(st, rd, ipa, pa, prot);
      return { st: s1, v: page(s1, rd, ipa)!.get((ipa % PAGE) >>> 3) ?? 0n };
    },
    store: (st, rd, ipa, pa, prot, v) => {
      if (!prot && r.use('unprotected')) return inWorld(st, writeWords(st.world, pa - (pa % PAGE), pa % PAGE, [v]));
      const s1 = known(st, rd, ipa, pa, prot);
      return setPage(s1, rd, ipa, setWord(page(s1, rd, ipa)!, (ipa % PAGE) >>> 3, v));
    },
  };
}

/**
 * Rule 3 decides what of the syndrome leaves the realm: of a non-emulatable abort only the page (for
 * HPFAR) and the fault status; an emulatable one keeps what completing it needs. The RMM of the
 * ideal's world sees only that, so an RMM that reports more than §7 allows differs from the ideal.
 */
function syndrome(t: Trap, exposed: boolean): Trap {
  if (t.kind === 'data-abort' && (!t.emulatable || !exposed))
    return { ...t, ipa: exposed ? t.ipa - (t.ipa % PAGE) : 0, write: false, size: 8, rt: 0, signExtend: false, fsc: exposed ? t.fsc : 0n };
  if (t.kind === 'inst-abort') return { ...t, ipa: exposed ? t.ipa - (t.ipa % PAGE) : 0, fsc: exposed ? t.fsc : 0n };
  return t;
}

/** What a trap exposes to the RMM before it runs (rules 3-7). */
function expose(st: IdealState, cpu: number, rec: number, rd: number, t: Trap, r: Rules): IdealState {
  const regs: number[] = [];
  if (r.use('exit-syndrome')) regs.push(...TIMER_REGS);
  if (t.kind === 'data-abort' && t.emulatable && t.write && r.use('mmio')) regs.push(t.rt);
  if (t.kind === 'sysreg' && !t.read && r.use('sysreg-trap')) regs.push(t.rt);
  if (t.kind === 'smc') {
    const fid = st.regs.get(rec)?.[0] ?? st.world.cpus[cpu].regs[0];
    const c = callRegisters(fid);
    regs.push(0); // the function ID selects the call
    if (c.args > 0 && r.use(c.rule)) regs.push(...range(1, c.args));
  }
  let s = moveRegs(st, cpu, rec, regs, 'expose');
  const x = s.world.cpus[cpu].regs;
  // RSI_HOST_CALL reads the realm's RsiHostCall structure: expose it (rule 6).
  if (t.kind === 'smc' && x[0] === 0xc4000199n && x[1] % 8n === 0n && x[1] < 1n << 48n) {
    const ipa = Number(x[1]);
    const pa = mappedPa(s.world, rd, ipa);
    const known = page(s, rd, ipa);
    if (pa !== null && known && (ipa % PAGE) + HOST_CALL.size <= PAGE && r.use('rsi')) {
      const words = range(0, HOST_CALL.size / 8 - 1).map((k) => known.get(((ipa % PAGE) >>> 3) + k) ?? 0n);
      s = inWorld(s, writeWords(s.world, pa - (pa % PAGE), pa % PAGE, words));
    }
  }
  return s;
}

function realmStepIdeal(spec: Spec, st: IdealState, cpu: number, instr: Instr, r: Rules): { state: IdealState; obs: Observation } {
  const w = st.world;
  if (w.cpus[cpu]?.mode.kind !== 'realm' || runningRec(w, cpu).rec.seaPending) {
    const res = realmStep(spec, w, cpu, instr); // nothing of the realm's storage is involved
    return { state: inWorld(st, res.state), obs: res.obs };
  }
  const { recPa, rec } = runningRec(w, cpu);
  const g = execGuest(env(r), st, cpu, rec.owner, rdOf(w, rec.owner), rec, instr);
  if (!('trap' in g)) {
    const c = g.st.world.cpus[cpu];
    return { state: inWorld(g.st, withCpu(g.st.world, cpu, { ...c, pc: c.pc + 4n })), obs: { kind: 'realm', cpu, event: g.event } };
  }
  const s1 = expose(g.st, cpu, recPa, rec.owner, g.trap, r);
  const call = g.trap.kind === 'smc' ? rmmCall(s1.world, cpu, spec) : null;
  const x = s1.world.cpus[cpu].regs;
  const target = st.regs.get(recPa)?.[1] ?? w.cpus[cpu].regs[1]; // the realm's own X1
  const asks = call?.kind === 'exit' && call.info.kind === 'psci' && TARGETED.has(x[0]);
  const refused = asks ? callRefusal(rdOf(w, rec.owner), rec, target) : null;
  if (refused) return { state: st, obs: { kind: 'realm', cpu, event: { what: `the ideal refuses: ${refused}` } } };
  const trap = syndrome(g.trap, r.on.has('exit-syndrome'));
  const res = call ? completeCall(spec, s1.world, cpu, recPa, call) : handleTrap(spec, s1.world, cpu, trap);
  let s2: IdealState = inWorld(s1, res.state);
  if (call && call.kind === 'resume') {
    // The RMM answered without an exit: take the registers it wrote (rules 6/7; X0 always, it is the
    // call's status) and the memory it wrote (rule 6).
    const written = Object.keys(call.set).map(Number);
    s2 = moveRegs(s2, cpu, recPa, written.filter((k) => k === 0 || r.use(callRegisters(x[0]).rule)), 'take');
    if ((x[0] === 0xc4000196n || x[0] === 0xc4000195n) && x[1] < 1n << 48n) s2 = takeWrites(s2, rec.owner, Number(x[1]), s1.world, r);
  }
  let obs = res.obs;
  if (obs.kind === 'realm' && obs.record) {
    // The exit record is the ideal's own (exit-record.ts), written where the world's RMM wrote its own.
    const level = x[1] < 1n << 48n ? lookup(s1.world, rdOf(w, rec.owner), Number(x[1])).level : 3;
    const cause: Cause = call?.kind === 'exit' ? { call: call.info.kind as 'psci', level } : { trap };
    const mine = exitRecord(cause, x, (ipa, n) => readRealm(s1.world, rec.owner, ipa, n), rec);
    const run = (w.cpus[cpu].mode as { run: number }).run;
    if (obs.exit?.kind === 'rmi' && obs.exit.status?.status === 'SUCCESS') s2 = inWorld(s2, writeWords(s2.world, run, REC_EXIT_BASE, exitWords(mine)));
    obs = { ...obs, record: mine };
    if (asks) s2 = makeIdeal(s2.world, s2.mem, s2.regs, new Map(s2.psci).set(recPa, target));
  }
  // A PSCI exit: X0..X6 will carry the answer (given now, or by PSCI_COMPLETE) — the world's until entry.
  if (obs.kind === 'realm' && obs.record?.exitReason === 3n && r.use('psci')) s2 = moveRegs(s2, cpu, recPa, range(0, 6), 'forget');
  return { state: s2, obs };
}

/** n words of realm memory at ipa as the world holds it (ASSIGNED RAM), else zeros. */
function readRealm(w: RealState, rd: number, ipa: number, n: number): bigint[] {
  const pa = mappedPa(w, rd, ipa);
  const words = pa === null ? ZERO_WORDS : contentWords(granuleAt(w, pa - (pa % PAGE)).content);
  return range(0, n - 1).map((k) => words.get(((pa ?? 0) % PAGE >>> 3) + k) ?? 0n);
}

/** REC_ENTER completed the last exit in the world: take what the host supplied (rules 4-8). */
function takeOnEntry(pre: RealState, st: IdealState, cpu: number, recPa: number, r: Rules): IdealState {
  const last = recOf(pre, recPa).lastExit;
  const mode = st.world.cpus[cpu].mode;
  const flags = mode.kind === 'realm' ? readRecEntry(pre, mode.run).flags : 0n;
  switch (last.kind) {
    case 'emulatable-da':
      return !last.write && flags & ENTRY_FLAGS.EMUL_MMIO && r.use('mmio') ? moveRegs(st, cpu, recPa, [last.rt], 'take') : st;
    case 'sysreg-read':
      return r.use('sysreg-trap') ? moveRegs(st, cpu, recPa, [last.rt], 'take') : st;
    case 'host-call': {
      if (!r.use('rsi')) return st;
      const s = moveRegs(st, cpu, recPa, [0], 'take');
      return takeWrites(s, recOf(pre, recPa).owner, last.ipa, pre, r);
    }
    case 'ripas-change':
      return r.use('rsi') ? moveRegs(st, cpu, recPa, [0, 1, 2], 'take') : st;
    case 'psci':
      return r.use('psci') ? moveRegs(st, cpu, recPa, range(0, 6), 'take') : st;
    default:
      return st;
  }
}

/** Rule 8: pages [base, top) of realm `rd` become Unknown; a page that was RAM keeps its content in the world granule. */
function forget(pre: RealState, st: IdealState, rd: number, base: number, top: number): IdealState {
  let s = st;
  for (const [ipa, words] of st.mem.get(rd) ?? []) {
    if (ipa < base || ipa >= top) continue;
    const pa = mappedPa(pre, rd, ipa);
    if (pa !== null) s = inWorld(s, writeWords(s.world, pa - (pa % PAGE), 0, [...Array(512).keys()].map((k) => words.get(k) ?? 0n)));
    s = setPage(s, rd, ipa, undefined);
  }
  return s;
}

export function idealStep(spec: Spec, rules: RuleSet, st: IdealState, a: Action): IdealResult {
  const r = new Rules(rules);
  if (a.kind === 'realm') {
    const res = Number.isInteger(a.cpu) && a.cpu >= 0 && a.cpu < st.world.cpus.length ? realmStepIdeal(spec, st, a.cpu, a.instr, r) : { state: st, obs: step(spec, st.world, a).obs };
    return { state: res.state, obs: res.obs, fired: r.fired, withheld: r.withheld };
  }
  const pre = st.world;
  const res = step(spec, pre, a);
  let s: IdealState = inWorld(st, res.state);
  const o = res.obs;
  if (a.kind === 'rmi' && o.kind === 'rmi' && o.name === 'PSCI_COMPLETE' && o.status?.status === 'SUCCESS') {
    const why = completeRefusal(recIf(pre, a.args[0]), recIf(pre, a.args[1]), st.psci.get(Number(a.args[0])));
    if (why) return { state: st, obs: { ...o, status: INPUT, x0: packStatus(INPUT), failed: `the ideal refuses: ${why}` }, fired: r.fired, withheld: r.withheld };
  }
  // A multi-step REALM_DESTROY (weak-memory mode) frees the realm when its handler completes.
  const rdMode = pre.cpus[a.kind === 'micro' ? a.cpu : 0]?.mode;
  if (o.kind === 'micro' && o.exit?.kind === 'rmi' && o.exit.status?.status === 'SUCCESS' && rdMode?.kind === 'micro') {
    if (rdMode.cmd === 'REC_DESTROY') s = forgetRec(s, rdMode.rec);
    if (rdMode.cmd === 'REALM_DESTROY') {
      const mem = new Map(s.mem);
      mem.delete(rdMode.rd);
      s = makeIdeal(s.world, mem, s.regs, s.psci);
    }
  }
  if (a.kind === 'rmi' && o.kind === 'rmi' && o.status?.status === 'SUCCESS') {
    const x = a.args.map((v) => (v < ADDR_LIMIT ? Number(v) : -1));
    switch (o.name) {
      case 'REC_CREATE': // a new REC's registers start as the world gives them (its parameters)
        s = setRegs(s, x[1], recOf(s.world, x[1]).regs);
        break;
      case 'REC_DESTROY':
        if (!o.pending) s = forgetRec(s, x[0]);
        break;
      case 'REALM_DESTROY': {
        if (o.pending) break; // weak-memory mode: decided when the handler completes
        const mem = new Map(s.mem);
        mem.delete(x[0]);
        s = makeIdeal(s.world, mem, s.regs, s.psci);
        break;
      }
      case 'REC_ENTER':
        if (o.pending) s = takeOnEntry(pre, s, a.cpu, x[0], r);
        break;
      case 'PSCI_COMPLETE': // CPU_ON reset the target: it starts over from the world's values (rule 7)
        s = forgetRec(s, x[0], true);
        if (!recOf(pre, x[1]).runnable && recOf(s.world, x[1]).runnable && r.use('psci')) s = setRegs(s, x[1], recOf(s.world, x[1]).regs);
        break;
      case 'RTT_SET_RIPAS':
        if (r.use('ripas-consent')) s = forget(pre, s, x[0], x[2], Number(o.x[0]));
        break;
    }
  }
  return { state: s, obs: o, fired: r.fired, withheld: r.withheld };
}

const recIf = (w: RealState, v: bigint | undefined): Rec | undefined =>
  v !== undefined && v % 4096n === 0n && v < BigInt(w.cfg.granules) * 4096n && granuleAt(w, Number(v)).state === 'REC' ? recOf(w, Number(v)) : undefined;
/** A REC is gone (its registers and requests with it), or only its PSCI request is answered. */
function forgetRec(st: IdealState, rec: number, requestOnly = false): IdealState {
  const psci = new Map(st.psci);
  psci.delete(rec);
  if (requestOnly) return makeIdeal(st.world, st.mem, st.regs, psci);
  const s = setRegs(st, rec, undefined);
  return makeIdeal(s.world, s.mem, s.regs, psci);
}
