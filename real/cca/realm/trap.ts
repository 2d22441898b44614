// Phase 2 of a realm step: the RMM handles what trapped, on the world only. It either answers and
// resumes the realm (results in the CPU's register file) or exits to the host.

import { RealmEvent } from '../actions';
import type { Spec } from '../spec';
import { LastExit, RealState, rdOf, withCpu } from '../state';
import { setContent } from '../ops';
import { inPar } from '../rtt';
import type { StepResult } from '../spec';
import { dataAbortEsr, instAbortEsr, serrorEsr, sysregEsr, wfxEsr } from './esr';
import { exitToHost, runningRec } from './exit';
import type { ExitInfo } from '../spec';
import { Trap } from './guest';
import { HOST_SYSREGS } from './regs';
import { CallOutcome, handleRsi } from './rsi';
import { handlePsci, isPsciFid } from './psci';

const isRsiFid = (fid: bigint): boolean => fid >= 0xc4000190n && fid <= 0xc40001afn;
const hpfarOf = (ipa: number): bigint => BigInt(Math.floor(ipa / 4096)) << 4n;
const sizeMask = (size: number): bigint => (size >= 8 ? (1n << 64n) - 1n : (1n << BigInt(size * 8)) - 1n);

/** The RMM's handling of a trap from the REC running on `cpu`: the specification's `trap` hook. */
export const handleTrap = (spec: Spec, s: RealState, cpu: number, trap: Trap): StepResult => spec.trap(spec, s, cpu, trap);

/** The faithful trap handling (Spec.trap): an exit for the host, or the RMM answers an SMC. */
export function trapToRmm(spec: Spec, s: RealState, cpu: number, trap: Trap): StepResult {
  const { recPa, rec } = runningRec(s, cpu);
  const regs = s.cpus[cpu].regs;
  const exit = (info: ExitInfo, lastExit: LastExit, what: string) => exitToHost(spec, s, cpu, info, { ...rec, lastExit }, what);
  /** WFx and a forwarded MSR complete at the exit: the REC resumes after them (TF-RMM). */
  const exitPast = (info: ExitInfo, lastExit: LastExit, what: string) =>
    exitToHost(spec, withCpu(s, cpu, { ...s.cpus[cpu], pc: s.cpus[cpu].pc + 4n }), cpu, info, { ...rec, lastExit }, what);
  switch (trap.kind) {
    case 'data-abort': {
      // SF (64-bit destination): a signed load sign-extends into all of Xt (guest.ts), so SF = 1 and
      // MMIO completion "sign-extended per ESR" (reference §6) gives the same 64-bit value.
      const esr = dataAbortEsr({ fsc: trap.fsc, write: trap.write, isv: trap.emulatable, size: trap.size, rt: trap.rt, signExtend: trap.signExtend, sf: trap.size === 8 || trap.signExtend });
      const far = BigInt(trap.ipa);
      const hpfar = hpfarOf(trap.ipa);
      if (trap.emulatable) {
        const value = trap.write ? regs[trap.rt] & sizeMask(trap.size) : 0n;
        const last: LastExit = { kind: 'emulatable-da', write: trap.write, rt: trap.rt, size: trap.size, signExtend: trap.signExtend, ipa: trap.ipa };
        return exit({ kind: 'emulatable-da', esr, far, hpfar, value }, last, "emulatable data abort");
      }
      const unprotected = !inPar(rdOf(s, rec.owner), trap.ipa);
      return exit({ kind: 'abort', esr, far, hpfar }, unprotected ? { kind: 'unprotected-da', ipa: trap.ipa } : { kind: 'sync' }, "data abort");
    }
    case 'inst-abort':
      return exit({ kind: 'abort', esr: instAbortEsr(trap.fsc), far: BigInt(trap.ipa), hpfar: hpfarOf(trap.ipa) }, { kind: 'sync' }, "instruction abort");
    case 'sysreg': {
      const h = HOST_SYSREGS[trap.name];
      const esr = sysregEsr(h.enc, trap.rt, trap.read);
      if (trap.read) return exit({ kind: 'sysreg', esr, value: 0n }, { kind: 'sysreg-read', rt: trap.rt }, `MRS ${trap.name}`);
      return exitPast({ kind: 'sysreg', esr, value: regs[trap.rt] }, { kind: 'sync' }, `MSR ${trap.name}`);
    }
    case 'wfx':
      return exitPast({ kind: 'wfx', esr: wfxEsr(trap.wfe) }, { kind: 'sync' }, trap.wfe ? 'WFE' : 'WFI');
    case 'irq':
    case 'fiq':
      return exit({ kind: trap.kind }, { kind: 'other' }, 'interrupt');
    case 'serror':
      return exit({ kind: 'serror', esr: serrorEsr() }, { kind: 'other' }, 'SError');
    case 'smc':
      return completeCall(spec, s, cpu, recPa, rmmCall(s, cpu, spec));
  }
}

/**
 * The RMM's answer to an SMC from the REC on `cpu` (RSI, PSCI, or NOT_SUPPORTED), not yet applied,
 * by the specification's RSI and PSCI handlers (the faithful ones when no spec is given).
 */
export function rmmCall(s: RealState, cpu: number, spec?: Spec): CallOutcome {
  const { recPa, rec } = runningRec(s, cpu);
  const regs = s.cpus[cpu].regs;
  const fid = regs[0];
  const ctx = { s, cpu, recPa, rec, rdPa: rec.owner, rd: rdOf(s, rec.owner), regs };
  if (isRsiFid(fid)) return handleRsi(ctx, spec?.rsi);
  if (isPsciFid(fid)) return (spec?.psci ?? handlePsci)(ctx);
  return { kind: 'resume', s, set: { 0: (1n << 64n) - 1n }, what: 'unknown SMC: NOT_SUPPORTED' };
}

/** Applies a call's outcome: results into X0.., PC past the SMC; or the exit it asked for. */
export function completeCall(spec: Spec, _s: RealState, cpu: number, recPa: number, out: CallOutcome): StepResult {
  if (out.kind === 'exit') {
    // A retried call (emulated abort) leaves PC at the SMC; a completed one resumes after it.
    const retry = out.info.kind === 'abort';
    let s = out.s;
    if (!retry) s = withCpu(s, cpu, { ...s.cpus[cpu], pc: s.cpus[cpu].pc + 4n });
    return exitToHost(spec, s, cpu, out.info, out.rec, out.what, out.info.kind === 'psci' ? out.psciResult : undefined);
  }
  let s = out.s;
  if (out.rec) s = setContent(s, recPa, out.rec);
  const c = s.cpus[cpu];
  const regs = c.regs.slice();
  for (const [k, v] of Object.entries(out.set)) regs[Number(k)] = v;
  s = withCpu(s, cpu, { ...c, regs, pc: c.pc + 4n });
  const event: RealmEvent = { what: out.what, value: regs[0] };
  return { state: s, obs: { kind: 'realm', cpu, event } };
}

