// REC exit (reference §7): the realm's registers are saved into the REC, the exit record is built
// (exposing only what the table of §7 allows) and written into the host's run granule after the RMM
// re-checks that granule is still NS (the CCA paper's §5.5 bug), and REC_ENTER completes.

import { Observation } from '../actions';
import { REC_EXIT, REC_EXIT_BASE } from '../layout';
import { INPUT, SUCCESS, Status, packStatus } from '../status';
import { RIPAS_CODE } from '../types';
import { rmiFid } from '../rmi';
import { addRefcount, setContent } from '../ops';
import type { ExitInfo, ExitRecord, Spec, StepResult } from '../spec';
import { LastExit, RealState, Rec, granuleAt, hostCpu, recOf, withCpu } from '../state';
import { writeWords } from '../memory';
import { MASK } from './esr';
import { CNTP_CTL, CNTP_CVAL, CNTV_CTL, CNTV_CVAL, NGPRS } from './regs';

export const EXIT_REASON = { SYNC: 0, IRQ: 1, FIQ: 2, PSCI: 3, RIPAS_CHANGE: 4, HOST_CALL: 5, SERROR: 6 } as const;
export type ExitReasonName = keyof typeof EXIT_REASON;

/** What the RMM knows about an exit before sanitising it for the host. */
export const exitReasonOf = (i: ExitInfo): ExitReasonName =>
  i.kind === 'irq' ? 'IRQ' : i.kind === 'fiq' ? 'FIQ' : i.kind === 'serror' ? 'SERROR' : i.kind === 'ripas-change' ? 'RIPAS_CHANGE'
    : i.kind === 'host-call' ? 'HOST_CALL' : i.kind === 'psci' ? 'PSCI' : 'SYNC';

/** The faithful exit record: the whole record starts zero and only §7's fields for this exit are set. */
export function exitRecord(i: ExitInfo, rec: Rec, regs: readonly bigint[]): ExitRecord {
  const r: ExitRecord = {
    exitReason: BigInt(EXIT_REASON[exitReasonOf(i)]), esr: 0n, far: 0n, hpfar: 0n, gprs: new Array<bigint>(NGPRS).fill(0n),
    // GIC and timer state are reported on every exit (declassification rule 3).
    gicv3Hcr: rec.gicHcr, gicv3Lrs: padLrs(rec.gicLrs), gicv3Misr: 0n, gicv3Vmcr: 0n,
    cntpCtl: regs[CNTP_CTL] ?? 0n, cntpCval: regs[CNTP_CVAL] ?? 0n, cntvCtl: regs[CNTV_CTL] ?? 0n, cntvCval: regs[CNTV_CVAL] ?? 0n,
    ripasBase: 0n, ripasTop: 0n, ripasValue: 0n, imm: 0n, pmuOvfStatus: 0n,
  };
  switch (i.kind) {
    case 'emulatable-da':
      r.esr = i.esr & MASK.emulatableAbort;
      r.far = i.far & 0xfffn;
      r.hpfar = i.hpfar;
      r.gprs[0] = i.value;
      break;
    case 'abort':
      r.esr = i.esr & MASK.nonEmulatableAbort;
      r.hpfar = i.hpfar;
      break;
    case 'sysreg':
      r.esr = i.esr & MASK.sysreg;
      r.gprs[0] = i.value;
      break;
    case 'wfx':
      r.esr = i.esr & MASK.wfx;
      break;
    case 'serror':
      r.esr = i.esr & MASK.serror;
      break;
    case 'ripas-change':
      r.ripasBase = i.base;
      r.ripasTop = i.top;
      r.ripasValue = BigInt(RIPAS_CODE[i.value]);
      break;
    case 'host-call':
      r.imm = i.imm;
      i.gprs.forEach((v, k) => (r.gprs[k] = v));
      break;
    case 'psci':
      i.gprs.forEach((v, k) => (r.gprs[k] = v));
      break;
  }
  return r;
}

const padLrs = (lrs: readonly bigint[]): bigint[] => Array.from({ length: 16 }, (_, k) => lrs[k] ?? 0n);

/** The exit record's words at their ABI offsets (the whole exit half of the run granule). */
export function exitWords(r: ExitRecord): bigint[] {
  const w = new Array<bigint>((4096 - REC_EXIT_BASE) / 8).fill(0n);
  const put = (off: number, v: bigint) => (w[off / 8] = v);
  put(REC_EXIT.exitReason, r.exitReason);
  put(REC_EXIT.esr, r.esr);
  put(REC_EXIT.far, r.far);
  put(REC_EXIT.hpfar, r.hpfar);
  r.gprs.forEach((v, k) => put(REC_EXIT.gprs + 8 * k, v));
  put(REC_EXIT.gicv3Hcr, r.gicv3Hcr);
  r.gicv3Lrs.forEach((v, k) => put(REC_EXIT.gicv3Lrs + 8 * k, v));
  put(REC_EXIT.gicv3Misr, r.gicv3Misr);
  put(REC_EXIT.gicv3Vmcr, r.gicv3Vmcr);
  put(REC_EXIT.cntpCtl, r.cntpCtl);
  put(REC_EXIT.cntpCval, r.cntpCval);
  put(REC_EXIT.cntvCtl, r.cntvCtl);
  put(REC_EXIT.cntvCval, r.cntvCval);
  put(REC_EXIT.ripasBase, r.ripasBase);
  put(REC_EXIT.ripasTop, r.ripasTop);
  put(REC_EXIT.ripasValue, r.ripasValue);
  put(REC_EXIT.imm, r.imm);
  put(REC_EXIT.pmuOvfStatus, r.pmuOvfStatus);
  return w;
}

/** The RMM re-checks the run granule before writing the exit record: it must still be NS. */
export const runGranuleWritable = (s: RealState, run: number): boolean => {
  const g = granuleAt(s, run);
  return g.pas === 'NS' && g.state === 'UNDELEGATED';
};

/** The exit to the host, by the specification's `exit` hook. */
export const exitToHost = (spec: Spec, s: RealState, cpu: number, info: ExitInfo, rec: Rec, what: string, psciResult?: readonly bigint[]): StepResult =>
  spec.exit(spec, s, cpu, info, rec, what, psciResult);

/**
 * The faithful exit (Spec.exit): saves the register file (X0..X6 of a PSCI exit carry the call's
 * result instead), marks the REC READY, writes the exit record and returns the host to its REC_ENTER.
 */
export function exitFaithful(spec: Spec, s: RealState, cpu: number, info: ExitInfo, rec: Rec, what: string, psciResult?: readonly bigint[]): StepResult {
  const mode = s.cpus[cpu].mode;
  if (mode.kind !== 'realm') return { state: s, obs: { kind: 'skip', cpu, reason: 'CPU is not running a REC' } };
  const regs = s.cpus[cpu].regs.slice();
  if (psciResult) for (let k = 0; k < 7; k++) regs[k] = psciResult[k] ?? 0n;
  const record = spec.exitRecord(info, rec, s.cpus[cpu].regs);
  const saved: Rec = { ...rec, regs, pc: s.cpus[cpu].pc, state: 'READY' };
  let t = setContent(s, mode.rec, saved);
  t = addRefcount(t, mode.rec, -1);
  t = withCpu(t, cpu, hostCpu);
  let status: Status = SUCCESS;
  if (spec.exitRunCheck(t, mode.run)) t = writeWords(t, mode.run, REC_EXIT_BASE, exitWords(record));
  else status = INPUT;
  const rmi: Observation = {
    kind: 'rmi', cpu, name: 'REC_ENTER', fid: BigInt(rmiFid('REC_ENTER')), status, x0: packStatus(status), x: [0n, 0n, 0n, 0n],
  };
  return { state: t, obs: { kind: "realm", cpu, event: { what: `exit ${exitReasonOf(info)}: ${what}` }, exit: rmi, record: { ...record } } };
}

/** The REC currently running on `cpu` (caller checked the mode). */
export const runningRec = (s: RealState, cpu: number): { recPa: number; rec: Rec } => {
  const m = s.cpus[cpu].mode as { rec: number };
  return { recPa: m.rec, rec: recOf(s, m.rec) };
};

export type { LastExit };
