// Exhaustive small-scope checking: every sequence of actions from the system's finite alphabet, up to
// a depth, breadth first, each distinct real/ideal pair visited once (by a canonical key). Every
// property is checked on every transition to a new state, so the first violation found is on a
// shortest trace.

import type { AnySystem, RuleSet, Violation } from '../../model/system';
import { Lockstep, StepReport } from './lockstep';
import { canonical } from './canonical';

export interface ExploreOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly config: any;
  readonly rules?: RuleSet;
  readonly depth: number;
  /** Stop after this many distinct states (a bound on memory). */
  readonly maxStates?: number;
}

export interface ExploreResult {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
  /** The search stopped at maxStates before reaching the depth. */
  readonly truncated: boolean;
  /** The shortest trace to a violation, if any. */
  readonly counterexample: { readonly actions: unknown[]; readonly failing: StepReport; readonly violation: Violation } | null;
}

interface Node {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly real: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly ideal: any;
  readonly path: unknown[];
}

export function explore(system: AnySystem, opts: ExploreOptions): ExploreResult {
  const alphabet = system.actions.alphabet;
  if (!alphabet) throw new Error(`system ${system.name} has no finite action alphabet`);
  const key = system.actions.key ?? ((r: unknown, i: unknown) => canonical([r, i]));
  const t0 = performance.now();
  const maxStates = opts.maxStates ?? 1_000_000;
  const setup = { spec: opts.spec, config: opts.config, rules: opts.rules };
  const root = new Lockstep(system, setup);
  const seen = new Set<string>([key(root.real, root.ideal)]);
  let frontier: Node[] = [{ real: root.real, ideal: root.ideal, path: [] }];
  let transitions = 0;
  let depth = 0;
  const done = (counterexample: ExploreResult['counterexample'], truncated = false): ExploreResult => ({
    states: seen.size, transitions, depth, seconds: (performance.now() - t0) / 1000, truncated, counterexample,
  });
  if (root.initial.length) return done({ actions: [], failing: { index: -1, action: null, real: null, ideal: null, fired: [], withheld: [], violations: root.initial }, violation: root.initial[0] });
  while (frontier.length && depth < opts.depth) {
    const next: Node[] = [];
    depth++;
    for (const node of frontier) {
      for (const a of alphabet(opts.config, node.real)) {
        // A fresh lockstep positioned at the node: the monitor compares the successor with it.
        const l = Lockstep.at(system, setup, node.real, node.ideal);
        const r = l.step(a);
        transitions++;
        if (r.violations.length) {
          const actions = [...node.path, a];
          return done({ actions, failing: { ...r, index: actions.length - 1 }, violation: r.violations[0] });
        }
        const k = key(l.real, l.ideal);
        if (seen.has(k)) continue;
        seen.add(k);
        next.push({ real: l.real, ideal: l.ideal, path: [...node.path, a] });
        if (seen.size >= maxStates) return done(null, true);
      }
    }
    frontier = next;
  }
  return done(null);
}
