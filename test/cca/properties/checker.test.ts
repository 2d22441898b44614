// The checker is trusted only because it finds seeded faults: every named variant and every
// declassification rule switched off is caught with a pinned seed, shrunk, and replays to the same
// violation; the faithful model passes long runs with high coverage.

import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../real/cca/config';
import { faithful } from '../../../real/cca/faithful';
import { ALL_RULES, RULE_NAMES, RuleName } from '../../../ideal/cca/rules';
import { runChecks, runTrace, summarize, hits } from '../engine';
import { VARIANTS, variantNamed } from '../../../variants/cca';

/**
 * [variant, pinned seed, expected property, shrunk length bound]. A dropped failure row is reported by
 * the Status oracle (the reference's failure table says the call fails), a missing scrub by the
 * Postcondition oracle (the granule returns to DELEGATED zeroed), before the invariants they break.
 */
const CAUGHT: [string, number, string, number][] = [
  ['data-double-map', 1, 'Status', 15],
  ['exit-leaks-gprs', 3, 'Observation', 15],
  ['exit-unchecked-run-granule', 2, 'Invariant', 15],
  ['undelegate-no-scrub', 5, 'Postcondition', 15],
  ['rec-destroy-running', 4, 'Status', 15],
  // 23 steps is minimal here: a realm (4 steps), a REC (5 steps + the 5 micro-ops of REC_CREATE's
  // handler), REC_DESTROY with its lock and the reordered decrement (3), REALM_DESTROY's handler (6).
  ['rec-count-no-release', 1, 'Permutation', 23],
  ['failure-order-swap', 4, 'Precedence', 15],
  // 17 steps: a realm (4), a level-2 and a level-3 table (4), a REC with two aux granules (5),
  // RTT_INIT_RIPAS, REALM_ACTIVATE, REC_ENTER, and the store to the RAM IPA whose abort exits (4).
  ['esr-unsanitised', 4, 'Observation', 17],
  ['rtt-destroy-live', 1, 'Status', 15],
  ['realm-destroy-live', 1, 'Status', 15],
];

const run = (name: string, seed: number) => {
  const v = variantNamed(name)!;
  const config = { ...DEFAULT_CONFIG, ...v.config };
  return { config, spec: v.apply(faithful), r: runChecks({ spec: v.apply(faithful), config, runs: 600, steps: 100, seed, noninterference: true }) };
};

describe('every named variant is caught, shrunk, and replays', () => {
  test('the table covers the whole catalogue', () => {
    expect(CAUGHT.map(([n]) => n).sort()).toEqual(VARIANTS.map((v) => v.name).sort());
  });

  test.each(CAUGHT)('%s (seed %i): %s', (name, seed, property, bound) => {
    const { r, spec, config } = run(name, seed);
    const c = r.counterexample!;
    expect(c).not.toBeNull();
    expect(c.failing.violations[0].property).toBe(property);
    expect(c.actions.length).toBeLessThanOrEqual(bound);
    // The counterexample ends at its failing step, and replaying it reproduces the same violation there.
    expect(c.failing.index).toBe(c.actions.length - 1);
    const again = runTrace({ spec, config }, c.actions);
    if (property !== 'Noninterference') {
      expect(again.first?.index).toBe(c.failing.index);
      expect(again.first?.violations[0]).toEqual(c.failing.violations[0]);
    }
    // And the same trace is fine for the faithful model: the fault, not the trace, is to blame.
    expect(runTrace({ spec: faithful, config }, c.actions).first).toBeNull();
  }, 120_000);
});

/** [rule, pinned seed, expected property]. */
const RULES: [RuleName, number, string][] = [
  ['initial-content', 3, 'Rel2'],
  ['unprotected', 3, 'Observation'],
  ['exit-syndrome', 1, 'Observation'],
  ['sysreg-trap', 4, 'Rel3'],
  ['mmio', 3, 'Rel3'],
  ['rsi', 1, 'Observation'],
  // With rule 7 off the ideal never sees the RMM's answer to a PSCI call: the result registers the
  // RMM writes back (X1 cleared after PSCI_VERSION) differ from the ideal's (Rel3).
  ['psci', 2, 'Rel3'],
  ['ripas-consent', 2, 'Rel2'],
];

describe('switching a declassification rule off makes the faithful model fail on that channel', () => {
  test('the table covers every rule', () => {
    expect(RULES.map(([r]) => r).sort()).toEqual([...RULE_NAMES].sort());
  });

  test.each(RULES)('%s (seed %i): %s', (rule, seed, property) => {
    const rules = new Set([...ALL_RULES].filter((r) => r !== rule));
    const r = runChecks({ spec: faithful, config: DEFAULT_CONFIG, rules, runs: 600, steps: 100, seed, noninterference: false });
    const c = r.counterexample!;
    expect(c).not.toBeNull();
    expect(c.failing.violations[0].property).toBe(property);
    // The counterexample uses the channel: the ideal withheld that rule on the way.
    expect(c.reports.some((s) => s.withheld.includes(rule))).toBe(true);
    expect(c.reports.every((s) => s.withheld.every((w) => w === rule))).toBe(true);
  }, 120_000);
});

describe('the faithful model', () => {
  test('2 CPUs, 400 traces with noninterference: no violation, and high coverage', () => {
    const r = runChecks({ spec: faithful, config: DEFAULT_CONFIG, runs: 400, steps: 100, seed: 7, noninterference: true });
    expect(r.counterexample).toBeNull();
    const cov = summarize(r.coverage, RULE_NAMES);
    expect(cov.pairs.hit / cov.pairs.of!).toBeGreaterThanOrEqual(0.95);
    expect(cov.exits.missing).toEqual([]);
    expect(cov.rules.missing).toEqual([]);
    expect(cov.access.hit / cov.access.of!).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  test('weak-memory handlers on 3 CPUs, 300 traces: no violation', () => {
    const r = runChecks({ spec: faithful, config: { ...DEFAULT_CONFIG, weakMemory: true, cpus: 3 }, runs: 300, steps: 100, seed: 11, noninterference: true });
    expect(r.counterexample).toBeNull();
    expect(hits(r.coverage, 'pairs', 'REALM_DESTROY SUCCESS')).toBeGreaterThan(0);
    expect(hits(r.coverage, 'pairs', 'REC_DESTROY SUCCESS')).toBeGreaterThan(0);
  }, 120_000);
});
