// Realm execution on a CPU (reference §5, §7). Placeholder until part 2: a realm step on a CPU that
// runs no REC is skipped.
import { Instr } from '../../model/actions';
import { Spec } from '../spec';
import { RealState } from '../state';
import type { StepResult } from '../step';

export function realmStep(_spec: Spec, s: RealState, cpu: number, _i: Instr): StepResult {
  return { state: s, obs: { kind: 'skip', cpu, reason: 'CPU is not running a REC' } };
}
