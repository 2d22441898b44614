// The figures a user sees rather than the checked step alone: a whole check in this thread (trace
// generation, resolution, coverage, the noninterference product), the CLI's worker threads, its
// start-up, and exhaustive small-scope exploration. Printed, never asserted.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AnySystem } from '../model/system';
import { explore, runChecks } from '../properties/engine';
import { fmt, row } from './baseline';

const BIN = fileURLToPath(new URL('../bin/real-ideal.js', import.meta.url));

/**
 * CPU seconds used by this process's finished children (Linux: /proc/self/stat's cutime + cstime, in
 * clock ticks of 1/100 s), or null elsewhere.
 */
function childCpu(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, cutime and cstime 16 and 17.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[13]) + Number(f[14]);
    return Number.isFinite(ticks) ? ticks / 100 : null;
  } catch {
    return null;
  }
}

/**
 * `check` through the CLI (the bundled one when dist/ is fresh): its own steps/s figure, and the cores
 * the process kept busy (CPU time over wall time, all threads: V8 compiles and collects on threads of
 * its own, so one lane keeps more than one core busy, and N cores give N lanes less than N times that).
 */
function cli(sys: AnySystem, runs: number, workers: number): { stepsPerSecond: number; steps: number; cores: number | null } | null {
  const cpu0 = childCpu();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'check', '--system', sys.name, '--runs', String(runs), '--seed', '42', '--workers', String(workers), '--json', '--quiet'], { encoding: 'utf8' });
  try {
    const j = JSON.parse(r.stdout.split('\n')[0]);
    const wall = (performance.now() - t0) / 1000;
    const cpu1 = childCpu();
    return { stepsPerSecond: j.stepsPerSecond, steps: j.steps, cores: cpu0 === null || cpu1 === null ? null : (cpu1 - cpu0) / wall };
  } catch {
    return null;
  }
}

/** Runs, for about `steps` steps at the default configuration, given the mean trace length. */
const runsFor = (steps: number, meanSteps: number) => Math.max(20, Math.ceil(steps / Math.max(1, meanSteps)));

/**
 * `check` in this thread for about as long as (b) and (c) are measured (at least 12,000 steps), after a
 * warm-up check as long: a fast system's 12,000 steps take a tenth of a second, and V8 keeps optimising
 * for seconds (sep's checks ran at 40k, 52k, 57k, 64k steps/s in four consecutive 2-second checks of
 * one process). `rate` is the checked-step figure of the same round, to size the run. What a cold
 * process does is in (e).
 */
export function endToEndRate(sys: AnySystem, meanSteps: number, rate: number, ni: boolean, seconds = 2): { rate: number; steps: number } {
  const cfg = sys.config.defaults;
  const runs = Math.max(runsFor(12_000, meanSteps), runsFor(seconds * rate, meanSteps));
  runChecks(sys, { spec: sys.spec, config: cfg, runs, steps: 100, seed: 41, noninterference: ni });
  const t0 = performance.now();
  const r = runChecks(sys, { spec: sys.spec, config: cfg, runs, steps: 100, seed: 42, noninterference: ni });
  return { rate: r.steps / ((performance.now() - t0) / 1000), steps: r.steps };
}

/** (d) from the better of its rounds (see run.ts), then (e) and (f). */
export function endToEnd(sys: AnySystem, meanSteps: number, b: number, c: number, d: { readonly ni: { rate: number; steps: number }; readonly plain: { rate: number; steps: number } }, depth: number): void {
  const cfg = sys.config.defaults;
  const runs = runsFor(12_000, meanSteps);
  for (const ni of [true, false]) {
    const r = ni ? d.ni : d.plain;
    const of = ni ? c : b;
    row(`(d) check end to end${ni ? '' : ' --no-ni'}, ${r.steps.toLocaleString('en-US')} steps`, `${sys.name} e2e${ni ? '' : ' no-ni'}`, r.rate, `${Math.round((100 * r.rate) / of)}% of ${ni ? '(c)' : '(b)'}`);
  }
  const one = cli(sys, runs * 2, 1);
  const two = cli(sys, runs * 2, 2);
  if (one && two) {
    // The most 2 lanes can give: a lane's CPU per step does not shrink, and 2 lanes have at most
    // min(2, cores) cores between them.
    const ceiling = one.cores === null ? '' : `; 1 worker kept ${one.cores.toFixed(2)} cores busy: at most ${(Math.min(2, availableParallelism()) / Math.max(1, one.cores)).toFixed(2)}x here`;
    row(`(e) CLI check --workers 2 vs 1, ${two.steps.toLocaleString('en-US')} steps`, `${sys.name} workers`, two.stepsPerSecond / one.stepsPerSecond, `x  (${fmt(one.stepsPerSecond).trim()} -> ${fmt(two.stepsPerSecond).trim()} steps/s${ceiling})`, 2);
  }
  if (sys.actions.alphabet) {
    const config = { ...cfg, ...(sys.actions.smallScope ?? {}) };
    const r = explore(sys, { spec: sys.spec, config, depth, maxStates: 200_000 });
    row(`(f) explore --depth ${depth}: ${r.states.toLocaleString('en-US')} states`, `${sys.name} explore states/s`, r.states / Math.max(1e-9, r.seconds), 'states/s');
  }
}

/** Wall time of `real-ideal check --list-systems` (module loading and start-up only), median of 5. */
export function startup(): void {
  const ts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [BIN, 'check', '--list-systems'], { encoding: 'utf8' });
    ts.push((performance.now() - t0) / 1000);
  }
  ts.sort((a, b) => a - b);
  row('CLI start-up (check --list-systems), median of 5', 'startup s', ts[2], 's', 2);
}
