// The real machine's step: one action of user code (any EC, any registers), an interrupt, a device
// access or time passing. Total: every input gives a state and an observation, never a throw.
// An EC runs only if it is runnable (`run`) on the CPU the action names; its pending kernel
// continuation (STARTUP/RECALL event, a retried hypercall after helping) runs before any user step.

import type { Stepped } from '../../model/system';
import { pget, pset } from '../../model/pvec';
import { U64_MASK } from '../../model/bits';
import { SUCCESS, Action, CALLS, CallName, Ec, M_R, M_W, NUM_F, BAD_HYP, Obs, State, TIMEOUT, Wake } from './types';
import type { Spec } from './spec';
import { makeCtx, runCall } from './call';
import { ecAt, hipPage, mapping, memSpace, obj, put, release, smAt, withState } from './state';
import { rendezvous, idle } from './calls/ipc';
import { smUp } from './calls/ctrl-sm';
import { EV_RECALL } from './calls/create-ec';
import { wrote } from './flows';
import type { Config } from './types';

export type RealStep = Stepped<State, Obs>;
const skip = (s: State, reason: string): RealStep => ({ state: s, obs: { kind: 'skip', reason } });

export function callName(x0: bigint, spec: Spec): CallName | 'bad' {
  const n = Number(x0 & 0xfn);
  if (n < CALLS.length) return CALLS[n];
  return spec.classic && n === NUM_F ? 'revoke' : 'bad';
}

export function step(s: State, a: Action, spec: Spec): RealStep {
  switch (a.kind) {
    case 'irq': return irq(s, a.irq);
    case 'tick': return tick(s, a.cpu, a.ticks);
    case 'dma': return dma(s, a.dev, a.addr, a.write, a.value);
    default: break;
  }
  const e = ecAt(s, a.ec);
  if (!e) return skip(s, 'no such EC');
  if (e.cpu !== a.cpu) return skip(s, 'EC is bound to another CPU');
  if (e.st !== 'run') return skip(s, `EC is ${e.st}`);
  // Kernel continuations run before the EC's next user instruction.
  if (e.cont?.k === 'event') return deliver(s, e, e.cont.ev, spec);
  if (e.cont?.k === 'retry') return hypercall(s, e, e.cont.regs, spec);
  if (e.recall) return deliver(put(s, { ...e, recall: false }), { ...e, recall: false }, EV_RECALL, spec);
  switch (a.kind) {
    case 'hypercall': return hypercall(s, e, a.regs, spec);
    case 'load': case 'store': return access(s, e, a.kind === 'store', a.addr, a.kind === 'store' ? a.value : 0n);
    case 'mov': {
      if (a.reg < 0 || a.reg >= e.regs.length) return skip(s, 'no such register');
      const regs = e.regs.slice(); regs[a.reg] = a.value & U64_MASK;
      return { state: put(s, { ...e, regs }), obs: { kind: 'mov', ec: e.id } };
    }
    case 'exc': return deliver(s, e, a.ev, spec);
  }
}

export function hypercall(s: State, e: Ec, regs: readonly bigint[], spec: Spec): RealStep {
  if (e.sub === 'vcpu') return skip(s, 'a vCPU runs guest code: no NOVA hypercalls [D]');
  const x = [0, 1, 2, 3, 4].map((i) => BigInt.asUintN(64, regs[i] ?? 0n));
  const name = callName(x[0], spec);
  const call = spec.calls[Number(x[0] & 0xfn)];
  // Retrying after help: the continuation is consumed before the call runs again.
  const retry = e.cont !== null;
  if (retry) { e = { ...e, cont: null }; s = put(s, e); }
  if (!call) return { state: s, obs: { kind: 'hcall', ec: e.id, call: name, status: BAD_HYP, out: [], wakes: [] } };
  const r = runCall(call, makeCtx(s, e, e.cpu, x, spec));
  // Status and outputs are the observation (X0[7:0], X1..); the register file keeps what user code set [D].
  return { state: r.s, obs: { kind: 'hcall', ec: e.id, call: name, status: r.status === undefined ? SUCCESS : r.status, out: r.out ?? [], wakes: r.wakes ?? [], note: (retry ? 'retry ' : '') + (r.failed ?? r.note ?? '') || undefined } };
}

/** Ec::send_msg: an event of EC `e` calls the PT at e.evt + ev in e's object space (EVENT, same CPU) or kills e. */
export function deliver(s: State, e: Ec, ev: number, spec: Spec): RealStep {
  const cap = spec.lookup(s, e, e.evt + BigInt(ev));
  const pt = cap ? obj(s, cap.obj) : null;
  if (!spec.valid(s, cap, 'PT', null, spec.eventPerm) || !pt || pt.type !== 'PT') return killed(s, e, ev, -1);
  const h = ecAt(s, pt.ec);
  if (!h || (spec.eventSameCpu && h.cpu !== e.cpu)) return killed(s, e, ev, pt.ec);
  if (!idle(h)) {
    if (h.st === 'dead') return killed(s, e, ev, h.id);             // helping a dead handler returns: "IPC Abort"
    const c = e.cont?.k === 'event' && e.cont.ev === ev ? s : put(s, { ...e, cont: { k: 'event', ev } });
    return { state: c, obs: { kind: 'event', ec: e.id, ev, to: h.id, killed: false, wakes: [] } };
  }
  return { state: rendezvous(s, e.id, pt, pt.mtd, 'event'), obs: { kind: 'event', ec: e.id, ev, to: h.id, killed: false, wakes: [] } };
}

/** Ec::kill: the EC's caller gets ABORTED (a hypercall) or dies (an event); the EC is dead. */
export function kill(s: State, e: Ec): { s: State; wakes: Wake[] } {
  const wakes: Wake[] = [];
  if (e.caller >= 0) {
    const c = ecAt(s, e.caller);
    if (c) {
      if (e.callKind === 'ipc') {
        const regs = c.regs.slice(); regs[0] = 2n;
        s = put(s, { ...c, st: 'run', callee: -1, regs }); wakes.push({ ec: c.id, status: 2 });
      } else { s = put(s, { ...c, st: 'dead', callee: -1, cont: null }); wakes.push({ ec: c.id, status: -2 }); }
    }
  }
  const me = ecAt(s, e.id)!;
  s = put(s, { ...me, st: 'dead', cont: null, caller: -1, callKind: null, recall: false });
  if (e.caller >= 0) s = release(s, e.id, 1);
  return { s, wakes };
}
function killed(s: State, e: Ec, ev: number, to: number): RealStep {
  const k = kill(s, e);
  return { state: k.s, obs: { kind: 'event', ec: e.id, ev, to, killed: true, wakes: k.wakes } };
}

/** The HIP's words [D]: signature, CPUs, object selectors, memory selectors, then zero. */
export const hipWord = (c: Config, w: number): bigint => [0x41564f4en, BigInt(c.cpus), BigInt(2 ** c.selBits), BigInt(2 ** c.memBits)][w] ?? 0n;

/** A user load/store through the EC's host space: it succeeds iff the page is mapped with R (W). */
export function access(s: State, e: Ec, write: boolean, addr: bigint, value: bigint): RealStep {
  const fault: RealStep = { state: s, obs: { kind: 'mem', ec: e.id, write, value: null, fault: true } };
  if (e.sub === 'vcpu' || addr < 0n || addr >= BigInt(2 ** s.cfg.memBits) << 12n) return fault;
  const page = Number(addr >> 12n), w = Number((addr >> 3n) & 511n);
  const m = mapping(s, e.hstSp, page);
  if (!m || !(m.perm & (write ? M_W : M_R))) return fault;
  const ok = (st: State, v: bigint | null): RealStep => ({ state: st, obs: { kind: 'mem', ec: e.id, write, value: v, fault: false } });
  switch (m.kind) {
    case 'hip': return write ? fault : ok(s, hipWord(s.cfg, w));
    case 'utcb': {
      const u = ecAt(s, m.page);
      if (!u?.utcb) return fault;
      if (!write) return ok(s, pget(u.utcb, w));
      return ok(pget(u.utcb, w) === value ? s : put(s, { ...u, utcb: pset(u.utcb, w, value & U64_MASK) }), null);
    }
    case 'ram': {
      const i = m.page * 512 + w;
      if (!write) return ok(s, pget(s.mem, i));
      const st = wrote(pget(s.mem, i) === (value & U64_MASK) ? s : withState(s, { mem: pset(s.mem, i, value & U64_MASK) }), m.page, e.pd);
      return ok(st, null);
    }
  }
}

export function dma(s: State, dev: number, addr: bigint, write: boolean, value: bigint): RealStep {
  const sp = dev >= 0 && dev < s.devs.length ? s.devs[dev] : -1;
  const fault: RealStep = { state: s, obs: { kind: 'dma', dev, value: null, fault: true } };
  const d = memSpace(s, sp);
  if (!d || addr < 0n || addr >= BigInt(2 ** s.cfg.memBits) << 12n) return fault;
  const m = d.maps.get(Number(addr >> 12n));
  if (!m || m.kind !== 'ram' || !(m.perm & (write ? M_W : M_R))) return fault;
  const i = m.page * 512 + Number((addr >> 3n) & 511n);
  if (!write) return { state: s, obs: { kind: 'dma', dev, value: pget(s.mem, i), fault: false } };
  const st = wrote(pget(s.mem, i) === (value & U64_MASK) ? s : withState(s, { mem: pset(s.mem, i, value & U64_MASK) }), m.page, d.pd);
  return { state: st, obs: { kind: 'dma', dev, value: null, fault: false } };
}

/** An interrupt: an up on its interrupt SM if assign_int routed it and it is not masked (M = flag bit 0) [D]. */
export function irq(s: State, n: number): RealStep {
  let sm = null;
  for (let i = 0; i < s.next && !sm; i++) { const o = pget(s.objs, i); if (o && o.type === 'SM' && o.irq === n) sm = o; }
  if (!sm || !sm.route || sm.route.flags & 1) return { state: s, obs: { kind: 'irq', irq: n, delivered: false, wakes: [] } };
  const r = smUp(s, sm.id);
  return { state: r.s, obs: { kind: 'irq', irq: n, delivered: true, wakes: r.wakes } };
}

/** Time passes on a CPU: SCs of running ECs there are charged; SM waits whose deadline passed time out
 *  (the time base is global [D], so every CPU's expired waits end). */
export function tick(s: State, cpu: number, ticks: number): RealStep {
  if (cpu < 0 || cpu >= s.cfg.cpus || ticks <= 0) return skip(s, 'no time passes');
  s = withState(s, { now: s.now + BigInt(ticks) });
  const wakes: Wake[] = [];
  for (let i = 0; i < s.next; i++) {
    const o = pget(s.objs, i);
    if (!o) continue;
    if (o.type === 'SC' && o.cpu === cpu && ecAt(s, o.ec)?.st === 'run') s = put(s, { ...o, used: o.used + BigInt(ticks) });
    if (o.type === 'EC' && o.st === 'sm' && o.timeout !== 0n && o.timeout <= s.now) {
      const sm = smAt(s, o.smWait);
      if (sm) s = put(s, { ...sm, queue: sm.queue.filter((q) => q !== o.id) });
      const regs = o.regs.slice(); regs[0] = BigInt(TIMEOUT);
      s = put(s, { ...ecAt(s, o.id)!, st: 'run', smWait: -1, timeout: 0n, regs });
      if (sm) s = release(s, sm.id, 1);
      wakes.push({ ec: o.id, status: TIMEOUT });
    }
  }
  return { state: s, obs: { kind: 'tick', wakes } };
}
export { hipPage };
