// The checker's driver, written once for every system: fast-check generates abstract traces, each
// resolves step by step against the current real state and runs in lockstep with every property
// checked after every step (and the noninterference product at the end); a failure is shrunk by
// fast-check to a minimal trace of concrete steps.

import fc from 'fast-check';
import type { AnySystem, RuleSet } from '../../model/system';
import { Lockstep, StepReport } from './lockstep';
import { Coverage } from './coverage';
import { minimizeSteps, niFailing } from './minimize';

export interface RunOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly config: any;
  readonly rules?: RuleSet;
  readonly runs: number;
  /** Abstract commands per trace (each resolves to zero, one or a few steps). */
  readonly steps: number;
  readonly seed: number;
  /** Also run the noninterference product (a second real run with other secrets). */
  readonly noninterference?: boolean;
  readonly invariants?: boolean;
  readonly onProgress?: (traces: number, steps: number) => void;
  /** Stop starting new traces after this long (what ran is reported; no violation is invented). */
  readonly timeLimitMs?: number;
  /** Replay one run of a previous check: fast-check's path printed with its seed. */
  readonly path?: string;
}

export interface AsyncRunOptions extends RunOptions {
  /** Polled between traces (Ctrl-C): the run stops and reports what it did. */
  readonly interrupted?: () => boolean;
}

export interface Counterexample {
  readonly actions: unknown[];
  readonly reports: StepReport[];
  readonly failing: StepReport;
  readonly seed: number;
  /** fast-check's replay path of the shrunk counterexample. */
  readonly path: string;
  /** Steps of the first failing trace before shrinking; the shrinks fast-check made on its commands
   *  and then the steps dropped from the concrete trace (see minimize.ts). */
  readonly unshrunkSteps: number;
  readonly shrinks: number;
  /** Abstract commands of the first failing trace and of the shrunk one (what fast-check shrinks). */
  readonly unshrunkCommands: number;
  readonly commands: number;
}

export interface RunResult {
  /** The run was cut short by the time limit or an interrupt. */
  readonly stopped?: 'time-limit' | 'interrupted';
  readonly traces: number;
  readonly steps: number;
  readonly seconds: number;
  readonly coverage: Coverage;
  readonly counterexample: Counterexample | null;
}

export interface Executed {
  readonly actions: unknown[];
  readonly reports: StepReport[];
  readonly failing: StepReport | null;
  readonly coverage: Coverage;
}

/** Runs one abstract trace: resolves each command against the current state, checks every step. */
export function execute(system: AnySystem, opts: Pick<RunOptions, 'spec' | 'config' | 'rules' | 'invariants' | 'noninterference'>, cmds: readonly unknown[]): Executed {
  const l = new Lockstep(system, opts);
  const actions: unknown[] = [];
  const reports: StepReport[] = [];
  const states: unknown[] = [l.real];
  if (l.initial.length) {
    const failing: StepReport = { index: -1, action: null, real: null, ideal: null, fired: [], withheld: [], violations: l.initial };
    return { actions, reports: [failing], failing, coverage: l.coverage };
  }
  for (const c of cmds) {
    let as: readonly unknown[];
    try {
      as = system.actions.resolve(l.real, c, opts.config);
    } catch {
      // A generator bug must not hide the model's behaviour: the command resolves to nothing.
      as = [];
    }
    for (const a of as) {
      actions.push(a);
      const r = l.step(a);
      reports.push(r);
      states.push(l.real);
      if (r.violations.length) return { actions, reports, failing: r, coverage: l.coverage };
    }
  }
  if (opts.noninterference) {
    const ni = niFailing(system, opts, actions, reports, { states, obs: reports.map((r) => r.real) });
    if (ni) return { ...ni, coverage: l.coverage };
  }
  return { actions, reports, failing: null, coverage: l.coverage };
}

class Interrupted extends Error {}

/** The property every run checks, and what it gathers (traces, steps, coverage) before shrinking starts. */
function makeBody(system: AnySystem, opts: RunOptions) {
  const st = { coverage: new Coverage(system), traces: 0, steps: 0, shrinking: false, property: '', unshrunkSteps: 0, unshrunkCommands: 0, lockstepOnly: false };
  // Shrinking a failure the lockstep found needs only the lockstep: a candidate is kept when it still
  // fails there, and the noninterference product (1.3-1.6x the cost of a trace) is skipped for it.
  const shrinkOpts = { ...opts, noninterference: false };
  const body = (cmds: readonly unknown[]): boolean => {
    const r = execute(system, st.lockstepOnly ? shrinkOpts : opts, cmds);
    if (!st.shrinking) {
      st.traces++;
      st.steps += r.actions.length;
      st.coverage.merge(r.coverage);
      opts.onProgress?.(st.traces, st.steps);
    }
    if (r.failing && !st.shrinking) {
      st.shrinking = true;
      st.property = r.failing.violations[0].property;
      st.unshrunkSteps = r.actions.length;
      st.unshrunkCommands = cmds.length;
      st.lockstepOnly = st.property !== 'Noninterference';
      return false;
    }
    // A shrunk candidate counts only if it still shows the property first seen: shrinking explains
    // one fault, and does not wander off to another the smaller trace happens to hit.
    return r.failing === null || !r.failing.violations.some((v) => v.property === st.property);
  };
  return { st, body };
}

function finish(system: AnySystem, opts: RunOptions, st: ReturnType<typeof makeBody>['st'], out: fc.RunDetails<[readonly unknown[]]>, t0: number, stopped?: RunResult['stopped']): RunResult {
  const seconds = (performance.now() - t0) / 1000;
  const base = { traces: st.traces, steps: st.steps, seconds, coverage: st.coverage, ...(stopped ? { stopped } : out.interrupted ? { stopped: 'time-limit' as const } : {}) };
  if (!out.failed || !out.counterexample) return { ...base, counterexample: null };
  const [cmds] = out.counterexample;
  const c = shrunk(system, opts, cmds, { path: out.counterexamplePath ?? '', shrinks: out.numShrinks, unshrunkSteps: st.unshrunkSteps, unshrunkCommands: st.unshrunkCommands });
  return { ...base, counterexample: c };
}

/** The counterexample of fast-check's shrunk commands: executed, then minimized as concrete steps. */
function shrunk(system: AnySystem, opts: RunOptions, cmds: readonly unknown[], f: NonNullable<BlockResult['failure']>): Counterexample | null {
  const r = execute(system, opts, cmds);
  if (!r.failing) return null;
  const m = minimizeSteps(system, opts, { actions: r.actions, reports: r.reports, failing: r.failing });
  return { actions: m.actions, reports: m.reports, failing: m.failing, seed: opts.seed, path: f.path, unshrunkSteps: f.unshrunkSteps, shrinks: f.shrinks + m.drops, unshrunkCommands: f.unshrunkCommands, commands: cmds.length };
}

const fcOptions = (opts: RunOptions) => ({
  numRuns: opts.runs, seed: opts.seed, endOnFailure: false, markInterruptAsFailure: false,
  ...(opts.timeLimitMs !== undefined ? { interruptAfterTimeLimit: opts.timeLimitMs } : {}),
  ...(opts.path !== undefined ? { path: opts.path } : {}),
});

// ---- Blocks: the unit of sharding and of worker parallelism ----
//
// A run of `runs` traces is the single fast-check stream of its seed, cut into blocks of consecutive
// run indices. fast-check's `path` starts a check at any run index and generates exactly the values the
// whole stream would (every run draws from its own clone of the jumped generator), so a block can run
// anywhere (another worker, another machine) and the union of the blocks is the whole run. The run's
// counterexample is the one of the lowest failing block, shrunk there, and counts and coverage are
// those of every block below it plus the failing block up to its failure: the same whatever the
// number of workers, and the same as a run in one piece.

/** At most this many blocks: starting a block at run index k costs k generator jumps (about 0.3 us each). */
const MAX_BLOCKS = 64;
const MIN_BLOCK = 25;

/** The blocks of a run: their count and size (the last may be shorter). Depends on `runs` only. */
export function blocksOf(runs: number): { readonly count: number; readonly size: number } {
  const size = Math.max(MIN_BLOCK, Math.ceil(runs / MAX_BLOCKS));
  return { count: Math.max(1, Math.ceil(runs / size)), size };
}

/** A deterministic slice of the blocks: `index` of `count` shards takes every count-th block. */
export interface Shard { readonly index: number; readonly count: number }
export const shardBlocks = (runs: number, shard?: Shard): number[] =>
  Array.from({ length: blocksOf(runs).count }, (_, b) => b).filter((b) => !shard || b % shard.count === shard.index);

/** What one block did: plain data, so a worker thread can send it. */
export interface BlockResult {
  readonly block: number;
  readonly traces: number;
  readonly steps: number;
  readonly coverage: Record<string, Record<string, number>>;
  /** The block's shrunk counterexample as a fast-check path (absolute: replayable with the run's seed). */
  readonly failure: { readonly path: string; readonly shrinks: number; readonly unshrunkSteps: number; readonly unshrunkCommands: number } | null;
  readonly stopped?: 'time-limit' | 'interrupted';
}

interface BlockHooks {
  /** A trace finished, with its number of steps (progress). */
  readonly onTrace?: (steps: number) => void;
  readonly interrupted?: () => boolean;
  readonly deadline?: number;
}

function blockOptions(opts: RunOptions, b: number, deadline: number | undefined) {
  const { size } = blocksOf(opts.runs);
  return {
    numRuns: Math.min(size, opts.runs - b * size), seed: opts.seed, path: String(b * size), endOnFailure: false, markInterruptAsFailure: false,
    ...(deadline !== undefined ? { interruptAfterTimeLimit: Math.max(1, deadline - Date.now()) } : {}),
  };
}

/**
 * The property as an async one that yields to the event loop every few milliseconds (so a Ctrl-C or a
 * worker message is seen) and, before shrinking starts, stops the run when `interrupted` says so.
 */
function yielding(system: AnySystem, opts: RunOptions, st: { readonly shrinking: boolean }, body: (cmds: readonly unknown[]) => boolean, interrupted: (() => boolean) | undefined, onStop: () => void) {
  let lastYield = performance.now();
  return fc.asyncProperty(system.actions.generate(opts.config, opts.steps), async (cmds) => {
    if (performance.now() - lastYield > 20) {
      await new Promise((r) => setImmediate(r));
      lastYield = performance.now();
    }
    if (!st.shrinking && interrupted?.()) {
      onStop();
      throw new Interrupted('interrupted');
    }
    return body(cmds);
  });
}

/** Runs one block, yielding to the event loop every few milliseconds (Ctrl-C, worker messages). */
export async function runBlock(system: AnySystem, opts: RunOptions, b: number, hooks: BlockHooks = {}): Promise<BlockResult> {
  const { st, body } = makeBody(system, { ...opts, onProgress: undefined });
  let stopped: BlockResult['stopped'];
  let seen = 0, seenSteps = 0;
  const prop = yielding(system, opts, st, (cmds) => {
    const ok = body(cmds);
    if (st.traces > seen) { seen = st.traces; hooks.onTrace?.(st.steps - seenSteps); seenSteps = st.steps; }
    return ok;
  }, hooks.interrupted, () => (stopped = 'interrupted'));
  if (hooks.deadline !== undefined && Date.now() >= hooks.deadline) return { block: b, traces: 0, steps: 0, coverage: {}, failure: null, stopped: 'time-limit' };
  const out = await fc.check(prop, blockOptions(opts, b, hooks.deadline));
  const base = { block: b, traces: st.traces, steps: st.steps, coverage: st.coverage.toJSON() };
  if (stopped) return { ...base, failure: null, stopped };
  const failure = out.failed && out.counterexample && out.counterexamplePath
    ? { path: out.counterexamplePath, shrinks: out.numShrinks, unshrunkSteps: st.unshrunkSteps, unshrunkCommands: st.unshrunkCommands }
    : null;
  return { ...base, failure, ...(out.interrupted && !failure ? { stopped: 'time-limit' as const } : {}) };
}

/** Rebuilds a counterexample from its path (the block that found it may have run in another thread). */
export function counterexampleAt(system: AnySystem, opts: RunOptions, f: NonNullable<BlockResult['failure']>): Counterexample | null {
  // Replaying a path runs the rest of the stream it lands in: the first value is the one named, and
  // failing on it (without shrinking) stops there.
  const out = fc.check(fc.property(system.actions.generate(opts.config, opts.steps), () => false), { seed: opts.seed, path: f.path, numRuns: 1, endOnFailure: true });
  return out.counterexample ? shrunk(system, opts, out.counterexample[0] as readonly unknown[], f) : null;
}

/**
 * Joins block results into a run's result: blocks in order up to the lowest failing one (later ones
 * are ignored, whichever finished first), so the verdict, counterexample, counts and coverage do not
 * depend on how the blocks were scheduled.
 */
export function joinBlocks(system: AnySystem, opts: RunOptions, results: readonly BlockResult[], seconds: number): RunResult {
  const sorted = [...results].sort((a, b) => a.block - b.block);
  const failing = sorted.find((r) => r.failure);
  const used = failing ? sorted.filter((r) => r.block <= failing.block) : sorted;
  const coverage = new Coverage(system);
  for (const r of used) coverage.mergeJSON(r.coverage);
  const stopped = used.find((r) => r.stopped === 'interrupted') ? 'interrupted' as const : used.find((r) => r.stopped) ? 'time-limit' as const : undefined;
  return {
    traces: used.reduce((a, r) => a + r.traces, 0), steps: used.reduce((a, r) => a + r.steps, 0), seconds, coverage,
    counterexample: failing?.failure ? counterexampleAt(system, opts, failing.failure) : null,
    ...(stopped ? { stopped } : {}),
  };
}

/** Where a run's blocks execute: in this thread, or (the CLI's --workers) in a pool of worker threads. */
export type BlockExecutor = (blocks: readonly number[], hooks: { onBlock: (r: BlockResult) => boolean; onTrace: (steps: number) => void }) => Promise<void>;

/** In this thread, in order, stopping at the first failure. */
export function inThread(system: AnySystem, opts: AsyncRunOptions & { readonly deadline?: number }): BlockExecutor {
  return async (blocks, hooks) => {
    for (const b of blocks) {
      const r = await runBlock(system, opts, b, { onTrace: hooks.onTrace, interrupted: opts.interrupted, deadline: opts.deadline });
      if (!hooks.onBlock(r) || r.stopped) return;
    }
  };
}

/** A run (or a shard of it) through an executor. */
export async function runBlocks(system: AnySystem, opts: AsyncRunOptions & { readonly shard?: Shard }, exec?: BlockExecutor): Promise<RunResult> {
  const t0 = performance.now();
  if (opts.path !== undefined) return runChecksAsyncDirect(system, opts);
  const deadline = opts.timeLimitMs !== undefined ? Date.now() + opts.timeLimitMs : undefined;
  const results: BlockResult[] = [];
  let traces = 0, steps = 0;
  await (exec ?? inThread(system, { ...opts, deadline }))(shardBlocks(opts.runs, opts.shard), {
    onBlock: (r) => { results.push(r); return !r.failure; },
    onTrace: (n) => { traces++; steps += n; opts.onProgress?.(traces, steps); },
  });
  const r = joinBlocks(system, opts, results, (performance.now() - t0) / 1000);
  // Blocks never started after a Ctrl-C do not say so themselves.
  return opts.interrupted?.() && !r.counterexample && r.stopped !== 'interrupted' ? { ...r, stopped: 'interrupted' } : r;
}

/** `runs` random traces; the first failure is shrunk and re-run to give its reports. */
export function runChecks(system: AnySystem, opts: RunOptions): RunResult {
  const t0 = performance.now();
  const { st, body } = makeBody(system, opts);
  const out = fc.check(fc.property(system.actions.generate(opts.config, opts.steps), body), fcOptions(opts));
  return finish(system, opts, st, out, t0);
}

/**
 * The same run, yielding to the event loop so a Ctrl-C (polled through `interrupted`) can stop it
 * between traces: the result then says so and has no counterexample unless one was found before.
 * Runs block by block (the result is the same as one piece: see blocksOf).
 */
export function runChecksAsync(system: AnySystem, opts: AsyncRunOptions & { readonly shard?: Shard }, exec?: BlockExecutor): Promise<RunResult> {
  return runBlocks(system, opts, exec);
}

/** One piece, as fast-check runs it: for `--path`, which names one run of the whole stream. */
async function runChecksAsyncDirect(system: AnySystem, opts: AsyncRunOptions): Promise<RunResult> {
  const t0 = performance.now();
  const { st, body } = makeBody(system, opts);
  let stopped = false;
  const prop = yielding(system, opts, st, body, opts.interrupted, () => (stopped = true));
  const out = await fc.check(prop, fcOptions(opts));
  if (stopped) return { ...finish(system, opts, st, { ...out, failed: false, counterexample: null } as typeof out, t0, 'interrupted') };
  return finish(system, opts, st, out as unknown as fc.RunDetails<[readonly unknown[]]>, t0);
}
