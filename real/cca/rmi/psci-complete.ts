// RMI_PSCI_COMPLETE(calling_rec, target_rec, status): the host answers a REC's PSCI CPU_ON or
// AFFINITY_INFO about another REC of the same realm. All failures are ERROR_INPUT [A].
import { INPUT } from '../status';
import { u64 } from '../../../model/bits';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { setContent } from '../ops';
import { RealState, Rec, recOf } from '../state';
import { zeroRegs } from '../realm/regs';

/** PSCI return codes (64-bit two's complement) and AFFINITY_INFO answers. */
export const PSCI = {
  SUCCESS: 0n,
  NOT_SUPPORTED: u64(-1n),
  INVALID_PARAMETERS: u64(-2n),
  DENIED: u64(-3n),
  ALREADY_ON: u64(-4n),
  INVALID_ADDRESS: u64(-9n),
  AFF_ON: 0n,
  AFF_OFF: 1n,
} as const;

interface C { s: RealState; calling: bigint; target: bigint; status: bigint }

const caller = (c: C): Rec => recOf(c.s, Number(c.calling));
const target = (c: C): Rec => recOf(c.s, Number(c.target));

function statusPermitted(c: C): boolean {
  const p = caller(c).psciPending!;
  if (p.kind === 'AFFINITY_INFO') return c.status === PSCI.SUCCESS;
  if (c.status === PSCI.SUCCESS) return true;
  // DENIED is only a valid answer while the target is off.
  return c.status === PSCI.DENIED && !target(c).runnable;
}

/** A CPU_ON reset: PC = entry, X0 = context_id, everything else architecturally reset. */
export function resetRec(r: Rec, entry: bigint, contextId: bigint): Rec {
  const regs = zeroRegs();
  regs[0] = contextId;
  return { ...r, pc: entry, regs, runnable: true, lastExit: { kind: 'none' } };
}

/** The PSCI result lands in the caller's X0..X3 (X1..X3 zero), delivered at its next entry. */
function answer(r: Rec, x0: bigint): Rec {
  const regs = r.regs.slice();
  regs[0] = x0;
  regs[1] = regs[2] = regs[3] = 0n;
  return { ...r, regs, psciPending: null };
}

export const PSCI_COMPLETE: RmiCommand<C> = {
  name: 'PSCI_COMPLETE',
  context: (s, x) => ({ s, calling: arg(x, 0), target: arg(x, 1), status: arg(x, 2) }),
  failures: [
    row('alias', (c) => c.calling === c.target, INPUT),
    ...granuleRows<C>('calling', (c) => c.calling, 'REC'),
    ...granuleRows<C>('target', (c) => c.target, 'REC'),
    // Named apart from G(calling)'s `calling_state`: row names must be unique (coverage, dropRows).
    row('calling_running', (c) => caller(c).state === 'RUNNING', INPUT),
    row('psci_pending', (c) => caller(c).psciPending === null, INPUT),
    row('target_realm', (c) => target(c).owner !== caller(c).owner, INPUT),
    row('target_mpidr', (c) => target(c).mpidr !== caller(c).psciPending!.target, INPUT),
    row('status', (c) => !statusPermitted(c), INPUT),
  ],
  effect: (c) => {
    const p = caller(c).psciPending!;
    const t = target(c);
    let s = c.s;
    let x0: bigint;
    if (p.kind === 'AFFINITY_INFO') x0 = t.runnable ? PSCI.AFF_ON : PSCI.AFF_OFF;
    else if (c.status === PSCI.DENIED) x0 = PSCI.DENIED;
    else if (t.runnable) x0 = PSCI.ALREADY_ON;
    else {
      s = setContent(s, Number(c.target), resetRec(t, p.entry, p.contextId));
      x0 = PSCI.SUCCESS;
    }
    return { state: setContent(s, Number(c.calling), answer(caller({ ...c, s }), x0)) };
  },
};
