// Running litmus tests on the weak-memory executor: exhaustive enumeration of final outcomes.
import type { LitmusTest, Verdict } from '../../../model/litmus';
import { enumerateOutcomes, formatOutcome, outcomeOf, sortOutcomeKeys, type Outcome, type WmState } from './executor';

export interface LitmusResult {
  readonly name: string;
  readonly family?: string;
  /** Is the test's outcome condition satisfied by some reachable final state? */
  readonly allowed: boolean;
  readonly result: Verdict;
  readonly verdict?: Verdict;
  /** result === verdict (only when the test has a verdict). */
  readonly match?: boolean;
  /** Distinct reachable outcomes, projected on the condition's keys (all registers and locations if none). */
  readonly outcomes: Outcome[];
  readonly keys: string[];
  /** Distinct states explored. */
  readonly states: number;
  /** The state limit was hit: outcomes may be incomplete. */
  readonly truncated: boolean;
}

/** Does outcome o satisfy every key = value of cond? */
export function satisfies(o: Outcome, cond: Readonly<Record<string, bigint>>): boolean {
  return Object.entries(cond).every(([k, v]) => o[k] === v);
}

/** Every register written by some thread ("T:reg") and every location of the test. */
function allKeys(test: LitmusTest): string[] {
  const keys = new Set<string>();
  test.threads.forEach((ops, c) =>
    ops.forEach((o) => {
      if ((o.op === 'load' || o.op === 'faa') && o.reg) keys.add(`${c}:${o.reg}`);
      if ('loc' in o) keys.add(o.loc);
    }),
  );
  for (const l of Object.keys(test.init)) keys.add(l);
  return sortOutcomeKeys([...keys]);
}

/** Run one litmus test. Never throws. */
export function runLitmus(test: LitmusTest, opts: { maxStates?: number; onProgress?: (states: number) => void } = {}): LitmusResult {
  const keys = Object.keys(test.outcome).length > 0 ? sortOutcomeKeys(Object.keys(test.outcome)) : allKeys(test);
  const r = enumerateOutcomes(test.threads, test.init, {
    initRegs: test.initRegs,
    project: (s: WmState) => outcomeOf(s, keys),
    ...(opts.maxStates !== undefined ? { maxStates: opts.maxStates } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const allowed = r.outcomes.some((o) => satisfies(o, test.outcome));
  const result: Verdict = allowed ? 'allowed' : 'forbidden';
  return {
    name: test.name,
    ...(test.family !== undefined ? { family: test.family } : {}),
    allowed,
    result,
    ...(test.verdict ? { verdict: test.verdict, match: test.verdict === result } : {}),
    outcomes: r.outcomes,
    keys,
    states: r.states,
    truncated: r.truncated,
  };
}

export { formatOutcome };
