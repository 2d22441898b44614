// The real machine's step: endpoint instructions through the endpoint's stage-2 (identity map, modes
// per page), and SMC/HVC calls into the SPMC, dispatched by w0 to the Spec's ordered failure table and
// effect. Total: any action from any state gives a state and an observation, never an exception.
import type { Stepped } from '../../model/system';
import { Cfg } from './config';
import { ERR, M, PAGE, abiOf, valid } from './consts';
import { Spec } from './spec';
import { Call, Outcome, errorRegs, firstFailure } from './table';
import { pget, pset } from '../../model/pvec';
import { Endpoint, NREGS, Real, epIndex, initReal, pageAt, runningOn, setVcpu } from './state';

export type Access = 'load' | 'store' | 'fetch';
export type Action =
  /** An SMC/HVC with x0–x7 (x0–x17 where the ABI uses them) as given; missing registers are 0. */
  | { readonly kind: 'smc'; readonly cpu: number; readonly ep: number; readonly regs: readonly bigint[] }
  | { readonly kind: 'load'; readonly cpu: number; readonly ep: number; readonly addr: bigint; readonly reg: number }
  | { readonly kind: 'store'; readonly cpu: number; readonly ep: number; readonly addr: bigint; readonly reg: number }
  /** Consecutive 64-bit stores of immediates from `addr` (how an endpoint writes a descriptor into TX). */
  | { readonly kind: 'stores'; readonly cpu: number; readonly ep: number; readonly addr: bigint; readonly values: readonly bigint[] }
  | { readonly kind: 'fetch'; readonly cpu: number; readonly ep: number; readonly addr: bigint }
  /** Register move: dst := imm, or dst := src. `secret` marks a value the endpoint keeps private (NI). */
  | { readonly kind: 'mov'; readonly cpu: number; readonly ep: number; readonly dst: number; readonly imm?: bigint; readonly src?: number; readonly secret?: boolean };

export type Obs =
  | { readonly k: 'smc'; readonly ep: number; readonly abi: string; readonly status: string; readonly ret: readonly bigint[] | null;
      readonly cleared: readonly number[]; readonly row?: string; readonly side?: boolean }
  | { readonly k: 'load'; readonly ep: number; readonly value: bigint | null }
  | { readonly k: 'store'; readonly ep: number; readonly fault: number }
  | { readonly k: 'fetch'; readonly ep: number; readonly fault: boolean }
  | { readonly k: 'mov'; readonly ep: number; readonly value: bigint }
  /** Nothing happens: the endpoint does not exist, has no vCPU on this CPU (an MP partition with fewer
   *  vCPUs than CPUs; a UP vCPU serving a request on another CPU), or that vCPU waits for a direct response. */
  | { readonly k: 'blocked'; readonly ep: number };

export interface RealState extends Real { readonly cfg: Cfg }

/** Every machine state is made here, its fields listed one by one (spreading the model's state into a
 * new object on every call made states of several V8 shapes). */
const makeRealState = (eps: Real['eps'], mem: Real['mem'], txns: Real['txns'], flows: Real['flows'], cfg: Cfg): RealState => ({ eps, mem, txns, flows, cfg });
/** A machine state: `r`'s fields and the configuration. */
export const withCfg = (r: Real, cfg: Cfg): RealState => makeRealState(r.eps, r.mem, r.txns, r.flows, cfg);
/** The state with other memory. */
export const withMem = (s: RealState, mem: Real['mem']): RealState => makeRealState(s.eps, mem, s.txns, s.flows, s.cfg);

export const init = (c: Cfg): RealState => withCfg(initReal(c), c);

const U64 = (1n << 64n) - 1n;
const NEED: Readonly<Record<Access, number>> = { load: M.R, store: M.W, fetch: M.X };

/** Stage-2 translation: the page and word an access reaches, or null on a fault. */
export function translate(e: Endpoint, c: Cfg, addr: bigint, acc: Access): { page: number; word: number } | null {
  const page = addr / BigInt(PAGE);
  if (page >= BigInt(c.pages)) return null;
  const p = Number(page);
  const m = pget(e.modes, p);
  if (!valid(m) || (m & NEED[acc]) === 0) return null;
  return { page: p, word: Number((addr % BigInt(PAGE)) >> 3n) };
}

export function storeWord(s: RealState, page: number, word: number, v: bigint): RealState {
  if (word >= s.cfg.words) return s; // past the modelled words: the store is not kept
  const row = pageAt(s, page).slice();
  row[word] = v;
  return withMem(s, pset(s.mem, page, row));
}
export const loadWord = (s: Real, words: number, page: number, word: number): bigint => (word < words ? pageAt(s, page)[word] : 0n);

function setReg(s: RealState, i: number, k: number, r: number, v: bigint): RealState {
  if (!(r >= 0 && r < NREGS)) return s;
  const regs = s.eps[i].vcpus[k].regs.slice();
  regs[r] = v & U64;
  return withCfg(setVcpu(s, i, k, { regs }), s.cfg);
}

/** The acting endpoint and vCPU of an action, or null when nothing runs there (`blocked`). */
export function actor(s: Real, a: Action): { i: number; v: number } | null {
  const i = epIndex(s, a.ep);
  if (i < 0) return null;
  const v = runningOn(s.eps[i], a.cpu);
  if (v < 0 || s.eps[i].vcpus[v].waiting >= 0) return null;
  return { i, v };
}

export function smc(s: RealState, i: number, v: number, cpu: number, regs: readonly bigint[], spec: Spec): Outcome & { abi: string } {
  const x: bigint[] = new Array(18).fill(0n);
  for (let k = 0; k < Math.min(regs.length, 18); k++) x[k] = regs[k] & U64;
  const w0 = Number(x[0] & 0xffffffffn);
  const abi = abiOf(w0);
  if (!abi) return { abi: 'UNKNOWN', state: s, status: 'NOT_SUPPORTED', ret: errorRegs(ERR.NOT_SUPPORTED), cleared: [], row: 'function_id' };
  const call: Call = { s, cfg: s.cfg, i, e: s.eps[i], cpu, v, x, is64: w0 >>> 24 === 0xc4 };
  const impl = spec.abis[abi];
  const ctx = impl.context(call);
  const f = firstFailure(impl.failures, ctx);
  if (f) return { abi, state: s, status: f.code, ret: errorRegs(ERR[f.code]), cleared: [], row: f.row };
  return { abi, ...impl.effect(ctx, spec) };
}

export function step(s: RealState, a: Action, spec: Spec): Stepped<RealState, Obs> {
  const who = actor(s, a);
  if (!who) return { state: s, obs: { k: 'blocked', ep: a.ep } };
  const { i, v } = who;
  const e = s.eps[i];
  const regs = e.vcpus[v].regs;
  switch (a.kind) {
    case 'smc': {
      const o = smc(s, i, v, a.cpu, a.regs, spec);
      return {
        state: o.state === s ? s : withCfg(o.state, s.cfg),
        obs: { k: 'smc', ep: a.ep, abi: o.abi, status: o.status, ret: o.ret, cleared: o.cleared, ...(o.row ? { row: o.row } : {}), ...(o.sideEffect ? { side: true } : {}) },
      };
    }
    case 'load': {
      const t = translate(e, s.cfg, a.addr, 'load');
      if (!t) return { state: s, obs: { k: 'load', ep: a.ep, value: null } };
      const x = loadWord(s, s.cfg.words, t.page, t.word);
      return { state: setReg(s, i, v, a.reg, x), obs: { k: 'load', ep: a.ep, value: x } };
    }
    case 'store': {
      const t = translate(e, s.cfg, a.addr, 'store');
      if (!t) return { state: s, obs: { k: 'store', ep: a.ep, fault: 0 } };
      return { state: storeWord(s, t.page, t.word, regs[a.reg] ?? 0n), obs: { k: 'store', ep: a.ep, fault: -1 } };
    }
    case 'stores': {
      // One copy of each touched page, however many words are stored.
      let mem = s.mem;
      const rows = new Map<number, bigint[]>();
      let fault = -1;
      for (let k = 0; k < a.values.length; k++) {
        const t = translate(e, s.cfg, a.addr + BigInt(8 * k), 'store');
        if (!t) { fault = k; break; }
        if (t.word >= s.cfg.words) continue;
        let row = rows.get(t.page);
        if (!row) { row = pageAt(s, t.page).slice(); rows.set(t.page, row); mem = pset(mem, t.page, row); }
        row[t.word] = a.values[k] & U64;
      }
      return { state: mem !== s.mem ? withMem(s, mem) : s, obs: { k: 'store', ep: a.ep, fault } };
    }
    case 'fetch':
      return { state: s, obs: { k: 'fetch', ep: a.ep, fault: translate(e, s.cfg, a.addr, 'fetch') === null } };
    case 'mov': {
      const x = a.src !== undefined ? regs[a.src] ?? 0n : (a.imm ?? 0n) & U64;
      return { state: setReg(s, i, v, a.dst, x), obs: { k: 'mov', ep: a.ep, value: x } };
    }
  }
}
