// What a run exercised: (command, status) pairs, failure rows, exit reasons, realm access-outcome
// rows and declassification rules. Printed by `check` so a user can see the checker is not vacuous.

import { Action, Observation } from '../model/actions';
import { RealState, rdOf } from '../real/state';
import { accessOutcome } from '../real/realm/translate';
import { runningRec, EXIT_REASON } from '../real/realm/exit';
import { RuleName } from '../ideal/rules';

export class Coverage {
  readonly rmi = new Map<string, number>();
  readonly rows = new Map<string, number>();
  readonly exits = new Map<string, number>();
  readonly access = new Map<string, number>();
  readonly rules = new Map<string, number>();

  private static bump(m: Map<string, number>, k: string): void {
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  record(pre: RealState, a: Action, o: Observation, fired: readonly RuleName[]): void {
    if (o.kind === 'rmi' && o.name) {
      Coverage.bump(this.rmi, `${o.name} ${o.status?.status}`);
      if (o.failed) Coverage.bump(this.rows, `${o.name} ${o.failed}`);
    }
    if (o.kind === 'realm' && o.record) {
      const reason = Number(o.record.exitReason as bigint);
      Coverage.bump(this.exits, Object.entries(EXIT_REASON).find(([, v]) => v === reason)?.[0] ?? String(reason));
    }
    if (a.kind === 'realm' && pre.cpus[a.cpu]?.mode.kind === 'realm') {
      const i = a.instr;
      if ((i.op === 'load' || i.op === 'store' || i.op === 'fetch') && i.ipa < 1n << 52n) {
        const rec = runningRec(pre, a.cpu).rec;
        const kind = i.op === 'load' ? 'read' : i.op === 'store' ? 'write' : 'fetch';
        const out = accessOutcome(pre, rdOf(pre, rec.owner), { ipa: Number(i.ipa), kind, isv: true });
        Coverage.bump(this.access, `${kind} ${out.row}${'why' in out ? `: ${out.why}` : ''}`);
      }
    }
    for (const r of fired) Coverage.bump(this.rules, r);
  }

  merge(o: Coverage): void {
    for (const k of ['rmi', 'rows', 'exits', 'access', 'rules'] as const) for (const [x, n] of o[k]) this[k].set(x, (this[k].get(x) ?? 0) + n);
  }
}
