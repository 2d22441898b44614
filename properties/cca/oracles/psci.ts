// Declarative outcomes of the realm's PSCI calls (reference §7 "PSCI", DEN0137 1.0 B5.3; TF-RMM
// runtime/rsi/psci.c decides the argument checks): per function ID, either the answer the RMM gives
// without the host (X0, X1-X3 zero, PC past the SMC) or a PSCI exit whose effect on the REC and the
// realm is fixed here. Evaluated on the pre-state; shares no code with real/cca/realm/psci.ts, so a
// fault in that handler is seen even when the ideal runs the same handler.

import type { Violation } from '../../../model/system';
import type { Action, Observation } from '../../../real/cca/actions';
import type { RealState, Rec } from '../../../real/cca/state';
import { gran, mpidrIndex, par, rdAt, recAt } from './world';
import { deepEqual } from '../../diff';

const M64 = (1n << 64n) - 1n;
const NOT_SUPPORTED = M64, INVALID_PARAMETERS = M64 - 1n, ALREADY_ON = M64 - 3n, INVALID_ADDRESS = M64 - 8n;
const PSCI_EXIT = 3n; // RMI_EXIT_PSCI

/** The PSCI 1.1 functions the RMM implements (32- and 64-bit IDs). */
const FN = {
  VERSION: [0x84000000n], FEATURES: [0x8400000an], CPU_SUSPEND: [0x84000001n, 0xc4000001n], CPU_OFF: [0x84000002n],
  CPU_ON: [0x84000003n, 0xc4000003n], AFFINITY_INFO: [0x84000004n, 0xc4000004n], SYSTEM_OFF: [0x84000008n], SYSTEM_RESET: [0x84000009n],
} as const;
/** PSCI_FEATURES: implemented (TF-RMM psci_features; the queried ID read as 32 bits): all but VERSION, plus SMCCC_VERSION. */
const IMPLEMENTED = new Set<bigint>([...Object.entries(FN).filter(([n]) => n !== 'VERSION').flatMap(([, ids]) => ids), 0x80000000n]);
const NAME = new Map<bigint, keyof typeof FN>(Object.entries(FN).flatMap(([n, ids]) => ids.map((id): [bigint, keyof typeof FN] => [id, n as keyof typeof FN])));
/** SMCCC: bit 30 is the calling convention; PSCI owns function numbers 0x00-0x1f of the standard service range. */
const isPsci = (fid: bigint): boolean => { const f = fid & ~0x40000000n; return f >= 0x84000000n && f <= 0x8400001fn; };

/** What the call must do: an immediate answer in X0, or an exit with the REC/realm as `after` requires. */
type Expect = { readonly answer: bigint } | { readonly exit: (r0: Rec, r1: Rec, off: Off) => string | null };
/** Whether the realm is SYSTEM_OFF before and after the step (another REC may have turned it off already). */
interface Off { readonly before: boolean; readonly after: boolean }

const same = (k: keyof Rec) => (r0: Rec, r1: Rec) => (r0[k] !== r1[k] ? `${String(k)} changed` : null);
const pending = (want: Rec['psciPending']) => (_r0: Rec, r1: Rec) =>
  deepEqual(r1.psciPending, want) ? null : `psciPending is ${r1.psciPending?.kind ?? 'none'}, expected ${want?.kind ?? 'none'}`;
const both = (...fs: ((r0: Rec, r1: Rec, off: Off) => string | null)[]) => (r0: Rec, r1: Rec, off: Off) => { for (const f of fs) { const e = f(r0, r1, off); if (e) return e; } return null; };

const realmSame = (_a: Rec, _b: Rec, off: Off) => (off.after === off.before ? null : off.after ? 'the realm went off' : 'the realm came back from SYSTEM_OFF');

function expected(s: RealState, rec: Rec, x: readonly bigint[]): Expect {
  const rd = rdAt(s, BigInt(rec.owner));
  const target = (m: bigint) => { const i = mpidrIndex(m); return i >= 0 && i < rd.recIndex; };
  switch (NAME.get(x[0])) {
    case 'VERSION': return { answer: 0x10001n }; // PSCI 1.1
    case 'FEATURES': return { answer: IMPLEMENTED.has(x[1] & 0xffffffffn) ? 0n : NOT_SUPPORTED };
    case 'CPU_SUSPEND': return { exit: both(same('runnable'), pending(null), realmSame) };
    case 'CPU_OFF': return { exit: both((_r0, r1) => (r1.runnable ? 'the REC is still runnable after CPU_OFF' : null), pending(null), realmSame) };
    case 'SYSTEM_OFF': case 'SYSTEM_RESET': return { exit: both(same('runnable'), (_a, _b, off) => (off.after ? null : 'the realm is not SYSTEM_OFF')) };
    case 'CPU_ON': {
      if (x[2] >= 1n << 52n || x[2] >= BigInt(par(rd))) return { answer: INVALID_ADDRESS };
      if (!target(x[1])) return { answer: INVALID_PARAMETERS };
      if (x[1] === rec.mpidr) return { answer: ALREADY_ON };
      return { exit: both(same('runnable'), pending({ kind: 'CPU_ON', target: x[1], entry: x[2], contextId: x[3] }), realmSame) };
    }
    case 'AFFINITY_INFO': {
      if (x[2] !== 0n || !target(x[1])) return { answer: INVALID_PARAMETERS };
      if (x[1] === rec.mpidr) return { answer: 0n }; // ON: the caller runs
      return { exit: both(same('runnable'), pending({ kind: 'AFFINITY_INFO', target: x[1] }), realmSame) };
    }
    default: return { answer: NOT_SUPPORTED };
  }
}

/** The violation of a realm SMC whose X0 names a PSCI function, or null. */
export function checkPsci(pre: RealState, a: Action, o: Observation, post: RealState): Violation | null {
  if (a.kind !== 'realm' || a.instr.op !== 'smc') return null;
  const c = pre.cpus[a.cpu];
  if (c?.mode.kind !== 'realm') return null;
  const recPa = c.mode.rec;
  const rec = recAt(pre, BigInt(recPa));
  if (rec.seaPending || !isPsci(c.regs[0])) return null;
  const want = expected(pre, rec, c.regs);
  const fail = (detail: string): Violation => ({ property: 'Postcondition', component: `PSCI 0x${c.regs[0].toString(16)} from REC 0x${recPa.toString(16)}`, detail });
  const c1 = post.cpus[a.cpu];
  if ('answer' in want) {
    if (c1.mode.kind !== 'realm') return fail('the call exits to the host; the RMM answers it itself (reference §7)');
    if (c1.regs[0] !== want.answer) return fail(`X0 = 0x${c1.regs[0].toString(16)}, expected 0x${want.answer.toString(16)}`);
    if (c1.pc !== c.pc + 4n) return fail('the REC does not resume after the SMC');
    return null;
  }
  if (o.kind !== 'realm' || !o.record) return fail('no PSCI exit: the call needs the host (reference §7)');
  if (o.record.exitReason !== PSCI_EXIT) return fail(`exit reason ${String(o.record.exitReason)}, expected PSCI (3)`);
  const g = gran(post, recPa);
  if (g?.content.kind !== 'rec') return fail('the REC is gone after its own exit');
  const isOff = (st: RealState) => { const rd = gran(st, rec.owner); return rd?.content.kind === 'rd' && rd.content.state === 'SYSTEM_OFF'; };
  const e = want.exit(rec, g.content as Rec, { before: isOff(pre), after: isOff(post) });
  return e ? fail(e) : null;
}
