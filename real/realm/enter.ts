// REC entry (part 1: the REC starts running on the CPU). Entry completion and execution: realm/.
import { Effect } from '../command';
import { RealState, Rec, recOf, withCpu } from '../state';
import { addRefcount, setContent } from '../ops';
import type { RecEntry } from '../rmi/rec-enter';

export function enterRec(s: RealState, cpu: number, recPa: number, run: number, _e: RecEntry): Effect {
  const rec: Rec = { ...recOf(s, recPa), state: 'RUNNING' };
  let t = setContent(s, recPa, rec);
  t = addRefcount(t, recPa, 1);
  t = withCpu(t, cpu, { mode: { kind: 'realm', rec: recPa, run }, gprs: rec.gprs, pc: rec.pc });
  return { state: t, pending: true };
}
