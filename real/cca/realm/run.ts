// A realm step on a CPU: phase 1 (the guest instruction, realm/guest.ts) on the real machine's own
// storage, then, if it trapped, phase 2 (the RMM, realm/trap.ts) on the world.

import { Instr } from '../actions';
import type { Spec } from '../spec';
import { RealState, rdOf, withCpu } from '../state';
import { setContent } from '../ops';
import { readWord, writeWords } from '../memory';
import type { StepResult } from '../spec';
import { GuestEnv, execGuest } from './guest';
import { runningRec } from './exit';
import { handleTrap } from './trap';

/** The real machine keeps the realm's registers on the CPU and its memory in the DATA granules. */
export const realEnv: GuestEnv<RealState> = {
  world: (s) => s,
  withWorld: (_s, w) => w,
  reg: (s, cpu, i) => s.cpus[cpu].regs[i] ?? 0n,
  setReg: (s, cpu, i, v) => {
    const regs = s.cpus[cpu].regs.slice();
    regs[i] = v;
    return withCpu(s, cpu, { ...s.cpus[cpu], regs });
  },
  load: (s, _rd, _ipa, pa) => ({ st: s, v: readWord(s, pa - (pa % 4096), pa % 4096) }),
  store: (s, _rd, _ipa, pa, _prot, v) => writeWords(s, pa - (pa % 4096), pa % 4096, [v]),
};

export function realmStep(spec: Spec, s: RealState, cpu: number, i: Instr): StepResult {
  if (s.cpus[cpu].mode.kind !== 'realm') return { state: s, obs: { kind: 'skip', cpu, reason: 'CPU is not running a REC' } };
  const { recPa, rec } = runningRec(s, cpu);
  // An SEA the host asked to inject at entry is taken before the next instruction.
  if (rec.seaPending) return { state: setContent(s, recPa, { ...rec, seaPending: false }), obs: { kind: 'realm', cpu, event: { what: 'SEA injected by the host', sea: true } } };
  const r = execGuest(realEnv, s, cpu, rec.owner, rdOf(s, rec.owner), rec, i);
  if ('trap' in r) return handleTrap(spec, r.st, cpu, r.trap);
  const c = r.st.cpus[cpu];
  return { state: withCpu(r.st, cpu, { ...c, pc: c.pc + 4n }), obs: { kind: 'realm', cpu, event: r.event } };
}
