// npm run bench: throughput of the model and the checker (steps per second, single core).
// Traces are generated and resolved to concrete steps first, so only stepping and checking is timed.
// Figures are printed, never asserted.

import fc from 'fast-check';
import { Action } from '../real/cca/actions';
import { Config, DEFAULT_CONFIG } from '../real/cca/config';
import { faithful } from '../real/cca/faithful';
import { initialState } from '../real/cca/state';
import { step } from '../real/cca/step';
import { Lockstep } from '../properties/cca/check';
import { execute } from '../properties/cca/runner';
import { traceArb } from '../properties/cca/generators';
import { niCheck } from '../properties/cca/noninterference';
import { granuleLayout } from '../cli/check';
import { variantBench } from './variants';

const TRACES = Number(process.env.BENCH_TRACES ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

function traces(cfg: Config, n: number, seed: number): Action[][] {
  return fc.sample(traceArb(100), { numRuns: n, seed }).map((t) => execute({ spec: faithful, config: cfg, invariants: false }, t).actions);
}

/** Repeats `body` over the traces until SECONDS have passed (after one warm-up pass). */
function measure(ts: Action[][], body: (t: Action[]) => void): number {
  const total = ts.reduce((a, t) => a + t.length, 0);
  for (const t of ts) body(t);
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    for (const t of ts) body(t);
    steps += total;
  }
  return steps / ((performance.now() - t0) / 1000);
}

const realOnly = (cfg: Config) => (t: Action[]) => {
  let s = initialState(cfg);
  for (const a of t) s = step(faithful, s, a).state;
};
const checked = (cfg: Config) => (t: Action[]) => {
  const l = new Lockstep({ spec: faithful, config: cfg });
  for (const a of t) l.step(a);
};
const withNi = (cfg: Config) => (t: Action[]) => {
  checked(cfg)(t);
  niCheck({ spec: faithful, config: cfg }, t);
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10);

const base = traces(DEFAULT_CONFIG, TRACES, 42);
const n = base.reduce((a, t) => a + t.length, 0);
console.log(`real-ideal bench: ${TRACES} traces, ${n} steps (default config: ${DEFAULT_CONFIG.granules} granules, ${DEFAULT_CONFIG.cpus} CPUs)`);
console.log('');
console.log('configuration                                        steps/s');
console.log(`(a) real machine alone                          ${fmt(measure(base, realOnly(DEFAULT_CONFIG)))}`);
const b = measure(base, checked(DEFAULT_CONFIG));
console.log(`(b) real + ideal + relation + invariants        ${fmt(b)}`);
const c = measure(base, withNi(DEFAULT_CONFIG));
console.log(`(c) (b) + noninterference product              ${fmt(c)}   (cost ${(b / c).toFixed(2)}x of (b))`);
for (const g of [16, 1024, 65536]) {
  const cfg = { ...DEFAULT_CONFIG, ...granuleLayout(g) };
  const ts = traces(cfg, Math.max(20, Math.floor(TRACES / 4)), 42);
  console.log(`(b) with ${String(g).padEnd(6)} granules                        ${fmt(measure(ts, checked(cfg)))}`);
}
if (!process.env.BENCH_SKIP_VARIANTS) {
  console.log('');
  variantBench();
}
