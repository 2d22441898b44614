// Contract tests over every command (DESIGN.md "Testing"): random host traces from test/arbitraries.ts,
// resolved against the state at each step, with properties checked after every step.

import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { Action, Observation } from '../../../real/cca/actions';
import { DEFAULT_CONFIG } from '../../../real/cca/config';
import { pdiff } from '../../../model/pvec';
import { RmiName } from '../../../real/cca/rmi';
import { checkInvariants, formatViolations } from '../../../properties/cca/invariants';
import { faithful } from '../../../real/cca/faithful';
import { RealState, initialState } from '../../../real/cca/state';
import { step } from '../../../real/cca/step';
import type { StepResult } from '../../../real/cca/spec';
import { Cmd, describeAction, toAction, traceArb } from '../arbitraries';

const cfg = DEFAULT_CONFIG;
const TRACE = traceArb({ cfg, minSteps: 20, maxSteps: 80 });
/** Runs per property; the whole file stays well under 20 s. */
const RUNS = 150;

interface StepInfo {
  readonly i: number;
  readonly cmd: Cmd;
  readonly action: Action;
  readonly before: RealState;
  readonly after: StepResult;
  /** The resolved actions so far (a replayable prefix for failure messages). */
  readonly history: readonly Action[];
}

/** Runs a trace from the initial state, calling `check` after every step. A throw names the step. */
function run(trace: readonly Cmd[], check: (x: StepInfo) => void = () => {}): RealState {
  let s = initialState(cfg);
  const history: Action[] = [];
  trace.forEach((cmd, i) => {
    const action = toAction(s, cmd);
    history.push(action);
    let after: StepResult;
    try {
      after = step(faithful, s, action);
    } catch (e) {
      throw new Error(`step ${i} threw: ${describeAction(action)}\n${(e as Error).stack}\ntrace:\n${history.map(describeAction).join('\n')}`);
    }
    check({ i, cmd, action, before: s, after, history });
    s = after.state;
  });
  return s;
}

const where = (x: StepInfo) => `step ${x.i}: ${describeAction(x.action)}\ntrace:\n${x.history.map(describeAction).join('\n')}`;
const rmiObs = (o: Observation) => (o.kind === 'rmi' ? o : undefined);

const READ_ONLY: readonly RmiName[] = ['VERSION', 'FEATURES', 'REC_AUX_COUNT', 'RTT_READ_ENTRY'];

describe('contract: every command, any arguments, any reachable state', () => {
  test.prop([TRACE], { numRuns: RUNS })('no step throws (robust safety)', (trace) => {
    run(trace);
  });

  test.prop([TRACE], { numRuns: RUNS })('a failing RMI command (or an unknown FID, or a skipped step) returns the identical state', (trace) => {
    run(trace, (x) => {
      const o = x.after.obs;
      const failed = (o.kind === 'rmi' && (o.status === null || o.status.status !== 'SUCCESS')) || o.kind === 'skip';
      if (failed) expect(x.after.state, where(x)).toBe(x.before);
    });
  });

  test.prop([TRACE], { numRuns: RUNS })('read-only commands and reads never change the state', (trace) => {
    run(trace, (x) => {
      const o = rmiObs(x.after.obs);
      const readOnly = (o && o.name !== null && READ_ONLY.includes(o.name)) || x.action.kind === 'host-read' || x.action.kind === 'dma-read';
      if (readOnly) expect(x.after.state, where(x)).toBe(x.before);
    });
  });

  test.prop([TRACE], { numRuns: RUNS })('the RIM of a realm changes only while it is NEW (§8.7)', (trace) => {
    run(trace, (x) => {
      // Only the granules that changed (by identity) in this step.
      pdiff(x.before.granules, x.after.state.granules, (i, a, b) => {
        if (a.content.kind !== 'rd' || b.content.kind !== 'rd' || a.content.state === 'NEW') return;
        expect(b.content.measurements[0], `RIM of realm 0x${(i * 4096).toString(16)} (${a.content.state}) at ${where(x)}`).toBe(a.content.measurements[0]);
      });
    });
  });

  test.prop([TRACE], { numRuns: RUNS })('the invariants of reference §8 hold after every step', (trace) => {
    run(trace, (x) => {
      const v = checkInvariants(x.after.state);
      if (v.length) expect.fail(`${formatViolations(v)}\nafter ${where(x)}`);
    });
  });
});

describe('the generator reaches deep states', () => {
  // Deterministic: a pinned seed, so the statistics (and this test) are reproducible.
  const SEED = 20240601;
  const N = 300;

  test('DATA_CREATE, level-3 RTT_CREATE, REC_CREATE and REALM_DESTROY succeed in some traces', () => {
    const traces = fc.sample(TRACE, { numRuns: N, seed: SEED });
    const outcomes = new Map<string, number>(); // "NAME STATUS" -> steps
    const tracesWith = new Map<string, number>(); // "NAME STATUS" -> traces
    const lengths: number[] = [];
    for (const t of traces) {
      lengths.push(t.length);
      const seen = new Set<string>();
      run(t, (x) => {
        const o = rmiObs(x.after.obs);
        if (!o) return;
        let key = `${o.name ?? 'unknown-fid'} ${o.status?.status ?? 'NOT_SUPPORTED'}`;
        if (o.name === 'RTT_CREATE' && o.status?.status === 'SUCCESS' && x.action.kind === 'rmi') key += ` L${x.action.args[3]}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        seen.add(key);
        // A teardown after real content: REALM_DESTROY succeeding in a trace that destroyed DATA.
        if (key === 'REALM_DESTROY SUCCESS' && seen.has('DATA_DESTROY SUCCESS')) seen.add('REALM_DESTROY SUCCESS after DATA_DESTROY');
      });
      for (const k of seen) tracesWith.set(k, (tracesWith.get(k) ?? 0) + 1);
    }
    const pct = (k: string) => (100 * (tracesWith.get(k) ?? 0)) / N;
    const report = [...outcomes.keys()]
      .filter((k) => k.includes('SUCCESS'))
      .sort()
      .map((k) => `${k.padEnd(34)} ${String(outcomes.get(k)).padStart(5)} steps  ${pct(k).toFixed(0).padStart(3)}% of traces`);
    lengths.sort((a, b) => a - b);
    console.info(
      `generator coverage over ${N} traces (seed ${SEED}), lengths ${lengths[0]}..${lengths[N - 1]} (median ${lengths[N >> 1]}):\n` +
        report.join('\n') +
        `\nREALM_DESTROY after DATA_DESTROY in ${pct('REALM_DESTROY SUCCESS after DATA_DESTROY').toFixed(0)}% of traces`,
    );
    expect(lengths[N - 1]).toBeLessThanOrEqual(80);
    expect(lengths[N >> 1]).toBeGreaterThanOrEqual(20);
    expect(pct('DATA_CREATE SUCCESS')).toBeGreaterThanOrEqual(5);
    expect(pct('RTT_CREATE SUCCESS L3')).toBeGreaterThanOrEqual(20);
    expect(pct('REC_CREATE SUCCESS')).toBeGreaterThanOrEqual(5);
    expect(pct('REALM_DESTROY SUCCESS')).toBeGreaterThanOrEqual(10);
    expect(pct('DATA_DESTROY SUCCESS')).toBeGreaterThan(0);
    expect(pct('RTT_DESTROY SUCCESS')).toBeGreaterThan(0);
    expect(pct('REALM_DESTROY SUCCESS after DATA_DESTROY')).toBeGreaterThan(0);
  });
});
