// Several CPUs, per-vCPU state (issue 11). Expected values from the reference §4.10 and Hafnium
// (src/api.c api_ffa_get_vm_vcpu and api_ffa_msg_send_direct_req): each vCPU has its own register
// file and its own direct-messaging state; a direct request reaches, of an MP partition, the vCPU
// with the current CPU's index (none: INVALID_PARAMETERS), of a UP partition its single vCPU; that
// vCPU being busy (running a request, or waiting on one) gives BUSY; memory and mailboxes stay per
// partition. In the default configuration VM 0x2 and SP 0x8002 are MP with two vCPUs, VM 0x1 and
// SP 0x8001 are UP, on two CPUs.
import { describe, expect, it } from 'vitest';
import { decodeTrace, runTrace } from '../../properties/engine';
import { ffaSystem } from '../../properties/ffa/system';
import { robustSafety } from '../../properties/ffa/robust';
import { directInvariant } from '../../properties/ffa/invariants';
import type { Action, Obs, RealState } from '../../real/ffa/machine';

const VM1 = 1, VM2 = 2, SP1 = 0x8001, SP2 = 0x8002;
type Step = Record<string, unknown>;
function trace(steps: Step[], config: Record<string, unknown> = {}) {
  const t = decodeTrace({ format: 'real-ideal/trace@2', system: 'ffa', config, steps }, () => ffaSystem);
  if (!t.ok) throw new Error(t.error);
  return t.value;
}
function run(steps: Step[], config: Record<string, unknown> = {}): { obs: Obs[]; state: RealState } {
  const t = trace(steps, config);
  const r = runTrace(ffaSystem, { spec: ffaSystem.spec, config: t.config }, t.steps);
  expect(r.first?.violations ?? []).toEqual([]);
  let s = ffaSystem.real.init(t.config, ffaSystem.spec);
  for (const a of t.steps) s = ffaSystem.real.step(s, a as Action, ffaSystem.spec).state;
  return { obs: r.steps.map((x) => x.real as Obs), state: s };
}
const call = (cpu: number, ep: number, ffa: string, ...w: (number | string)[]): Step => ({ cpu, ep, ffa, w });
const mov = (cpu: number, ep: number, m: Record<string, unknown>): Step => ({ cpu, ep, mov: m });
const status = (o: Obs) => (o.k === 'smc' ? o.status : o.k);
const value = (o: Obs) => (o.k === 'mov' || o.k === 'load' ? o.value : o.k);
const ep = (s: RealState, id: number) => s.eps.find((e) => e.id === id)!;

describe('per-vCPU registers', () => {
  it('the default configuration has MP endpoints with two vCPUs on two CPUs', () => {
    const c = ffaSystem.config.defaults;
    expect(c.cpus).toBe(2);
    expect(c.endpoints.filter((e) => e.vcpus === 2).map((e) => e.id)).toEqual([VM2, SP2]);
    expect(ffaSystem.real.init(c, ffaSystem.spec).eps.map((e) => e.vcpus.length)).toEqual([1, 2, 1, 2]);
  });

  it('two vCPUs of one endpoint keep separate registers', () => {
    const { obs, state } = run([
      mov(0, VM2, { dst: 20, imm: 5 }), mov(1, VM2, { dst: 20, imm: 7 }),
      mov(0, VM2, { dst: 1, src: 20 }), mov(1, VM2, { dst: 1, src: 20 }),
      { cpu: 1, ep: VM2, store: '0x6000', reg: 20 }, { cpu: 0, ep: VM2, load: '0x6000', reg: 2 },
    ]);
    expect(value(obs[2])).toBe(5n);
    expect(value(obs[3])).toBe(7n);
    // Memory is per partition: vCPU 0 reads what vCPU 1 stored.
    expect(value(obs[5])).toBe(7n);
    expect(ep(state, VM2).vcpus.map((v) => v.regs[20])).toEqual([5n, 7n]);
  });

  it('a UP endpoint has one register file whatever CPU runs it (its vCPU migrates)', () => {
    const { obs } = run([mov(0, VM1, { dst: 20, imm: 9 }), mov(1, VM1, { dst: 1, src: 20 })]);
    expect(value(obs[1])).toBe(9n);
  });
});

describe('direct messaging per vCPU', () => {
  it('a request on CPU 1 to an MP partition reaches its vCPU 1; vCPU 0 is unaffected', () => {
    const { obs, state } = run([
      call(1, VM1, 'MSG_SEND_DIRECT_REQ', 0x18002, 0, 0x33, 0x44),
      mov(1, SP2, { dst: 9, src: 3 }), mov(0, SP2, { dst: 9, src: 3 }),
      call(0, SP2, 'MSG_SEND_DIRECT_RESP', 0x80020001, 0, 1),  // vCPU 0 serves nobody
      call(1, SP2, 'MSG_SEND_DIRECT_RESP', 0x80020001, 0, 0x55),
      mov(1, VM1, { dst: 9, src: 3 }),
    ]);
    expect(status(obs[0])).toBe('SUCCESS');
    expect(value(obs[1])).toBe(0x33n);
    expect(value(obs[2])).toBe(0n);
    expect(status(obs[3])).toBe('DENIED');
    expect(status(obs[4])).toBe('SUCCESS');
    expect(value(obs[5])).toBe(0x55n);
    expect(ep(state, SP2).vcpus[0].regs.slice(0, 8).every((x) => x === 0n)).toBe(true);
  });

  it('BUSY when the target vCPU serves; the same partition\'s other vCPU still takes a request', () => {
    const { obs } = run([
      call(0, VM2, 'MSG_SEND_DIRECT_REQ', 0x28002, 0),  // SP2 vCPU 0 serves VM2 vCPU 0
      call(0, VM1, 'MSG_SEND_DIRECT_REQ', 0x18002, 0),  // target vCPU 0 is busy
      call(1, VM1, 'MSG_SEND_DIRECT_REQ', 0x18002, 0),  // vCPU 1 is free
      call(0, VM2, 'ID_GET'),                            // VM2 vCPU 0 waits: nothing runs
      call(1, VM2, 'ID_GET'),                            // VM2 vCPU 1 runs meanwhile
      call(1, VM2, 'MSG_SEND_DIRECT_REQ', 0x28002, 0),  // SP2 vCPU 1 already serves VM1
      call(0, SP2, 'MSG_SEND_DIRECT_RESP', 0x80020002, 0), call(0, VM2, 'ID_GET'),
    ]);
    expect(obs.map(status)).toEqual(['SUCCESS', 'BUSY', 'SUCCESS', 'blocked', 'SUCCESS', 'BUSY', 'SUCCESS', 'SUCCESS']);
  });

  it('an MP partition has no vCPU on a CPU beyond its vCPU count: a request there → INVALID_PARAMETERS, its own steps do nothing', () => {
    const { obs } = run([call(2, VM1, 'MSG_SEND_DIRECT_REQ', 0x18002, 0), mov(2, SP2, { dst: 9, imm: 1 }), call(2, VM1, 'ID_GET')], { cpus: 3 });
    expect(obs.map(status)).toEqual(['INVALID_PARAMETERS', 'blocked', 'SUCCESS']);
  });

  it('a UP receiver runs the request on the requester\'s CPU until it responds', () => {
    const cfg = { endpoints: ffaSystem.config.defaults.endpoints.map((e) => (e.id === SP1 ? { ...e, direct: true } : e)) };
    const { obs } = run([
      call(1, VM2, 'MSG_SEND_DIRECT_REQ', 0x28001, 0, 7),
      mov(0, SP1, { dst: 9, src: 3 }),                        // SP1's only vCPU is on CPU 1
      mov(1, SP1, { dst: 9, src: 3 }),
      call(1, SP1, 'MSG_SEND_DIRECT_RESP', 0x80010002, 0, 8),
      mov(0, SP1, { dst: 9, imm: 0 }), mov(1, VM2, { dst: 9, src: 3 }), mov(0, VM2, { dst: 9, src: 3 }),
    ], cfg);
    expect(obs.map((o) => (o.k === 'mov' ? o.value : status(o)))).toEqual(['SUCCESS', 'blocked', 7n, 'SUCCESS', 0n, 8n, 0n]);
  });
});

describe('properties see per-vCPU faults', () => {
  const cfg = { ...ffaSystem.config.defaults, known: [SP2] };
  it('robust safety: an unknown step must not change any vCPU of a known endpoint but the one a message reached', () => {
    const t = trace([call(1, VM2, 'MSG_SEND_DIRECT_REQ', 0x28002, 0, 0x77)]);
    const a = t.steps[0] as Action;
    const pre = ffaSystem.real.init(cfg, ffaSystem.spec);
    const r = ffaSystem.real.step(pre, a, ffaSystem.spec);
    expect(robustSafety(pre, a, r.obs, r.state, new Set([SP2]))).toEqual([]);
    // The same payload also landing in vCPU 0 (a receiver chosen wrongly) is a violation.
    const k = r.state.eps.findIndex((e) => e.id === SP2);
    const bad = { ...r.state, eps: r.state.eps.map((e, j) => (j === k ? { ...e, vcpus: [{ ...e.vcpus[0], regs: e.vcpus[1].regs }, e.vcpus[1]] } : e)) };
    expect(robustSafety(pre, a, r.obs, bad, new Set([SP2])).map((v) => v.component)).toEqual(['known 0x8002 vCPU 0 x0']);
  });
  it('invariant 12: a waiting vCPU is served by exactly one vCPU of its target', () => {
    const t = trace([call(1, VM2, 'MSG_SEND_DIRECT_REQ', 0x28002, 0)]);
    const pre = ffaSystem.real.init(cfg, ffaSystem.spec);
    const s = ffaSystem.real.step(pre, t.steps[0] as Action, ffaSystem.spec).state;
    expect(directInvariant(s)).toEqual([]);
    const k = s.eps.findIndex((e) => e.id === SP2);
    const bad = { ...s, eps: s.eps.map((e, j) => (j === k ? { ...e, vcpus: [e.vcpus[0], { ...e.vcpus[1], servingVcpu: 0 }] } : e)) };
    expect(directInvariant(bad).map((v) => v.property)).toContain('Invariant 12');
  });
});

describe('display', () => {
  it('shows each vCPU with its registers and direct-messaging state', () => {
    const { state } = run([call(1, VM2, 'MSG_SEND_DIRECT_REQ', 0x28002, 0, 0x77)]);
    const d = ffaSystem.display!.real(state) as { endpoints: { id: string; vcpus: Record<string, unknown>[] }[] };
    const sp2 = d.endpoints.find((e) => e.id === '0x8002')!;
    expect(sp2.vcpus[1]).toMatchObject({ vcpu: 1, serving: '0x2 vCPU 1', onCpu: 1, regs: { x3: '0x77' } });
    expect(d.endpoints.find((e) => e.id === '0x2')!.vcpus[1]).toMatchObject({ waitingOn: '0x8002' });
    const i = ffaSystem.ideal.init(state, ffaSystem.config.defaults, ffaSystem.spec, new Set(ffaSystem.rules));
    expect(ffaSystem.display!.ideal(i)).toHaveProperty('exclusiveRegisters.0x8002');
  });
});
