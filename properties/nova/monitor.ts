// The monitor of one run: relation (RS1 + world), invariants (RS3 placement, RS4), step oracles.
import type { Monitor, Violation } from '../../model/system';
import type { Action, Obs, State } from '../../real/nova/types';
import { Relation } from './relation';
import { Invariants, invariants } from './invariants';
import { oracles, revokeOracle } from './oracles';

export class NovaMonitor implements Monitor<State, State, Action, Obs> {
  private readonly rel = new Relation();
  private readonly inc = new Invariants();
  constructor(private readonly inv: boolean, private readonly ora = true) {}
  start(real: State, ideal: State): Violation[] { return [...this.rel.check(real, ideal), ...(this.inv ? this.inc.check(real) : [])]; }
  step(pre: State, a: Action, o: Obs, post: State): Violation[] { return this.ora ? [...oracles(pre, a, o, post), ...revokeOracle(pre, a, o, post)] : []; }
  relation(real: State, ideal: State): Violation[] { return this.rel.check(real, ideal); }
  invariants(real: State): Violation[] { return this.inv ? this.inc.check(real) : []; }
  /** The full (non-incremental) check, for tests. */
  static full(real: State): Violation[] { return invariants(real); }
}
