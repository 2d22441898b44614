// `real-ideal check`: random traces through real and ideal machines of a system, every property after
// every step; prints a summary, the verdict (the shrunk counterexample, exit 1, with a replay command)
// and then the coverage.

import type { AnySystem } from '../model/system';
import { SYSTEMS } from '../systems';
import { runBlock, runChecksAsync, summarize, summaryJson, encodeTrace, StepReport, GroupSummary, blocksOf, type Shard } from '../properties/engine';
import { UsageError, durationFlag, intFlag, parseArgs, systemFlag } from './args';
import { chooseRules, chooseSpec, chooseSystem } from './setup';
import { describeViolation, printSteps, touchedBy } from './format';
import { COVERAGE_FORMAT, checkOutPath, freshName, writeOut } from './output';
import { itfTrace } from './itf';
import { defaultWorkers, workerPool } from './workers';

export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Progress output; absent = none. `tty`: a status line rewritten in place, else a line every few seconds. */
  progress?(s: string): void;
  readonly tty?: boolean;
  /** Colour for a verdict word (identity when colour is off). */
  readonly red?: (s: string) => string;
  readonly green?: (s: string) => string;
  /** Set by the process on Ctrl-C: checked between traces. */
  interrupted?(): boolean;
}

/**
 * By default the worker lanes start once this thread's blocks left would take longer than this. On 2
 * cores, one lane against a worker from the start: CCA 1,000 runs 5.9 s and 7.1 s, 4,000 runs 25.6 s
 * and 16.4 s (even at about 8 s); sep 4,000 runs 4.6 s and 4.5 s, 10,000 runs 10.7 s and 7.3 s.
 */
const WORKER_START_SECONDS = 5;

const VALUED = ['system', 'runs', 'steps', 'seed', 'variant', 'variant-file', 'rules-off', 'rules', 'out', 'time-limit', 'path', 'itf', 'workers', 'shard', 'coverage-json'];
const BOOLEANS = ['list-systems', 'list-variants', 'no-ni', 'json', 'help', 'quiet'];

export function checkHelp(sys: AnySystem): string {
  const flags = sys.config.flags.map((f) => `  --${(f.name + (f.kind === 'bool' ? '' : ' N')).padEnd(16)}${f.help}`).join('\n');
  return `usage: real-ideal check [--system NAME] [--runs N] [--steps N] [--seed S] [system flags]
                        [--variant NAME | --variant-file FILE.ts] [--rules-off R1,R2 | --rules R1,R2]
                        [--no-ni] [--time-limit D] [--workers N] [--shard I/N] [--coverage-json FILE]
                        [--out FILE] [--itf FILE] [--json] [--quiet]
                        [--list-systems] [--list-variants]
  --system NAME     the system to check (default cca; see --list-systems)
  --runs N          traces to run (default 200)
  --steps N         abstract commands per trace, each one or a few steps (default 100)
  --seed S          fast-check seed (default: random; always printed)
  --path P          with --seed: rerun one run of an earlier check (the path it printed)
  --variant NAME    check a named fault variant (see --list-variants)
  --variant-file F  check a variant module: export default (spec) => spec
  --rules-off R,..  switch declassification rules off in the ideal (${sys.name}: ${sys.rules.join(', ')})
  --rules R,..      keep only these rules on
  --no-ni           skip the noninterference product
  --time-limit D    stop starting new traces after D (90s, 15m, 2h); the summary says so
  --workers N       lanes: this thread and N-1 worker threads (default: the number of cores, the
                    workers started once the rest of the run looks ${WORKER_START_SECONDS} s or more on one lane); the
                    verdict, counterexample and coverage for a seed are the same for every N
  --shard I/N       run only the I-th of N deterministic slices of the runs (I from 1), e.g. one CI job
                    each; join their coverage with \`real-ideal coverage merge\`
  --coverage-json F write the coverage counts (with the run's seed, shard and counts) to F
  --out FILE        where to write a counterexample (default counterexample-SEED.json, never overwritten)
  --itf FILE        also write the counterexample as an ITF trace (Apalache/Quint trace format)
  --json            one JSON object: summary, verdict, violation, trace and file, then coverage
  --quiet           no progress on stderr
  -h, --help        this help
system flags of ${sys.name}:
${flags || '  (none)'}`;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (x: GroupSummary) => (x.of === null ? `${x.hit}` : `${x.hit}/${x.of} (${((100 * x.hit) / Math.max(x.of, 1)).toFixed(1)}%)`);

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const sys = chooseSystem(systemFlag(argv));
  const p = parseArgs(argv, [...VALUED, ...sys.config.flags.filter((f) => f.kind !== 'bool').map((f) => f.name)], [...BOOLEANS, ...sys.config.flags.filter((f) => f.kind === 'bool').map((f) => f.name)]);
  if (p.flags.has('help')) {
    io.out(checkHelp(sys));
    return 0;
  }
  if (p.positional.length) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
  if (p.flags.has('list-systems')) {
    for (const s of SYSTEMS) io.out(`${s.name.padEnd(6)} ${s.title} (reference: ${s.reference})`);
    return 0;
  }
  if (p.flags.has('list-variants')) {
    for (const v of sys.variants) io.out(`${v.name.padEnd(28)} ${v.description}`);
    return 0;
  }
  const runs = intFlag(p, 'runs', 200, 1, 10_000_000);
  const steps = intFlag(p, 'steps', 100, 1, 100_000);
  if (p.flags.has('path') && !p.flags.has('seed')) throw new UsageError('--path needs the --seed it was printed with');
  const seed = intFlag(p, 'seed', Math.floor(Math.random() * 2 ** 31), 0, 2 ** 31 - 1);
  const path = p.flags.get('path') as string | undefined;
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new UsageError(`--path: expected numbers separated by ":" as check printed it, got "${path}"`);
  const timeLimitMs = durationFlag(p, 'time-limit');
  const out = p.flags.has('out') ? checkOutPath('--out', p.flags.get('out') as string) : undefined;
  const itf = p.flags.has('itf') ? checkOutPath('--itf', p.flags.get('itf') as string) : undefined;
  const chosen = await chooseSpec(sys, p.flags.get('variant') as string | undefined, p.flags.get('variant-file') as string | undefined);
  let config = { ...sys.config.defaults, ...chosen.config };
  for (const f of sys.config.flags) {
    if (!p.flags.has(f.name)) continue;
    config = f.kind === 'bool' ? f.apply(config, true) : f.apply(config, intFlag(p, f.name, 0, f.kind.int[0], f.kind.int[1]));
  }
  const problems = sys.config.problems(config);
  if (problems.length) throw new UsageError(problems[0]);
  const { rules, off } = chooseRules(sys, p.flags.get('rules-off') as string | undefined, p.flags.get('rules') as string | undefined);
  const json = p.flags.has('json');
  const progress = p.flags.has('quiet') ? undefined : io.progress;

  const blocks = blocksOf(runs).count;
  const shard = shardFlag(p.flags.get('shard') as string | undefined, blocks);
  // By default a lane per core, the workers started only once the run looks long enough to repay
  // their start (see workerPool); asked for, they start at once.
  const asked = p.flags.has('workers');
  const workers = Math.min(intFlag(p, 'workers', defaultWorkers(), 1, 256), shard ? Math.ceil(blocks / shard.count) : blocks);
  const coverageJson = p.flags.has('coverage-json') ? checkOutPath('--coverage-json', p.flags.get('coverage-json') as string) : undefined;
  const noninterference = !p.flags.has('no-ni');

  const t0 = Date.now();
  let last = t0;
  const deadline = timeLimitMs !== undefined ? Date.now() + timeLimitMs : undefined;
  // N lanes: this thread and N-1 worker threads (each rebuilds the run from the recipe).
  const pool = workers > 1 && path === undefined
    ? workerPool({
      system: sys.name, variant: chosen.variant, variantFile: chosen.variantFile, config, rules, runs, steps, seed, noninterference,
      ...(deadline !== undefined ? { deadline } : {}),
    }, workers, io.interrupted, (b, h) => runBlock(sys, { spec: chosen.spec, config, rules, runs, steps, seed, noninterference }, b, { onTrace: h.onTrace, interrupted: h.stop, deadline }), asked ? undefined : WORKER_START_SECONDS)
    : undefined;
  const result = await runChecksAsync(sys, {
    spec: chosen.spec, config, rules, runs, steps, seed, noninterference, timeLimitMs, path, shard,
    interrupted: io.interrupted,
    onProgress: progress
      ? (t, s) => {
          const now = Date.now();
          if (now - last < (io.tty ? 250 : 5000)) return;
          last = now;
          const secs = (now - t0) / 1000;
          const left = Math.min(((runs - t) * secs) / t, timeLimitMs !== undefined ? Math.max(0, timeLimitMs / 1000 - secs) : Infinity);
          progress(`  ${fmt(t)}/${fmt(runs)} traces, ${fmt(s)} steps, ${fmt(Math.round(s / secs))} steps/s, ETA ${Math.ceil(left)} s`);
        }
      : undefined,
  }, pool);
  if (io.tty) progress?.('');
  const rate = Math.round(result.steps / Math.max(result.seconds, 1e-9));
  const cov = summarize(sys, result.coverage, sys.rules.filter((r) => rules.has(r)));
  const what = `${sys.name}: ${chosen.label}${off.length ? `, rules off: ${off.join(', ')}` : ''}`;
  const stopped = result.stopped === 'interrupted' ? 'interrupted' : result.stopped === 'time-limit' ? 'time limit reached' : '';
  const c = result.counterexample;
  let file: string | undefined;
  let trace: Record<string, unknown> | undefined;
  if (c) {
    file = out ?? freshName(`counterexample-${seed}.json`);
    trace = encodeTrace({ system: sys, config, variant: chosen.variant, variantFile: chosen.variantFile, rulesOff: off, steps: c.actions });
    writeOut(file, JSON.stringify(trace, null, 1) + '\n');
    if (itf) writeOut(itf, JSON.stringify(itfTrace(sys, c.actions, c.reports), null, 1) + '\n');
  }
  if (coverageJson) {
    writeOut(coverageJson, JSON.stringify({
      format: COVERAGE_FORMAT, system: sys.name, model: what, seed, runs, steps, ...(shard ? { shard: `${shard.index + 1}/${shard.count}` } : {}),
      rulesOn: sys.rules.filter((r) => rules.has(r)), traces: result.traces, stepsRun: result.steps, verdict: c ? 'violation' : 'pass', counts: result.coverage.toJSON(),
    }, null, 1) + '\n');
  }
  const code = c ? 1 : result.stopped === 'interrupted' ? 130 : 0;
  if (json) {
    io.out(JSON.stringify({
      system: sys.name, model: what, seed, ...(shard ? { shard: `${shard.index + 1}/${shard.count}` } : {}), workers: pool ? pool.lanes() : 1,
      traces: result.traces, steps: result.steps, stepsPerSecond: rate,
      ...(stopped ? { stopped } : {}),
      verdict: c ? 'violation' : 'pass',
      violation: c ? c.failing.violations[0] : null,
      ...(c ? { step: c.failing.index, path: c.path, file, trace } : {}),
      coverage: summaryJson(cov),
    }));
    return code;
  }
  const where = `${shard ? `, shard ${shard.index + 1}/${shard.count}` : ''}${pool && pool.lanes() > 1 ? `, ${pool.lanes()} workers` : ''}`;
  io.out(`real-ideal check: ${what}; ${fmt(result.traces)} traces, ${fmt(result.steps)} steps, ${fmt(rate)} steps/s; seed ${seed}${where}${stopped ? ` (${stopped})` : ''}`);
  if (c) {
    const v = c.failing.violations[0];
    io.out(`${(io.red ?? String)('VIOLATION')}: ${describeViolation(v)}`);
    io.out(`  at step ${c.failing.index} of the shrunk counterexample (${c.actions.length} steps):`);
    printSteps(sys, c.reports, io.out);
    const touched = touchedBy(sys, c.reports, v);
    if (touched.length) io.out(`  steps before it that name ${touched[0].what}: ${touched.map((t) => t.index).join(', ')}`);
    const withheld = withheldRules(c.reports);
    if (withheld.length) io.out(`  the ideal withheld (rules switched off): ${withheld.map(([r, steps]) => `${r} at step${steps.length > 1 ? 's' : ''} ${steps.join(', ')}`).join('; ')}`);
    io.out(`seed ${seed}, path "${c.path}"`);
    io.out(`counterexample written to ${file}${itf ? ` (ITF: ${itf})` : ''}`);
    io.out(`replay: npx real-ideal replay ${file}`);
  } else io.out(stopped === 'interrupted' ? 'no violation in the traces run before the interrupt' : (io.green ?? String)('no violation'));
  io.out(`coverage: ${cov.map((g) => `${g.label} ${pct(g)}`).join(', ')}`);
  for (const g of cov) if (g.missing.length) io.out(`  not reached: ${g.label}: ${g.missing.join('; ')}`);
  return code;
}

/** `--shard I/N` (I from 1, as vitest counts), or undefined; N may not exceed the run's blocks. */
export function shardFlag(v: string | undefined, blocks: number): Shard | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const i = m ? Number(m[1]) : 0, n = m ? Number(m[2]) : 0;
  if (!m || n < 1 || i < 1 || i > n) throw new UsageError(`--shard must be I/N with 1 <= I <= N, got "${v}"`);
  if (n > blocks) throw new UsageError(`--shard: ${n} shards but the run has ${blocks} block${blocks > 1 ? 's' : ''} (raise --runs: a block is at least 25 runs, at most 64 blocks)`);
  return { index: i - 1, count: n };
}

/** Where in a counterexample the ideal withheld a switched-off rule: the channels the trace used. */
export function withheldRules(reports: readonly StepReport[]): [string, number[]][] {
  const at = new Map<string, number[]>();
  for (const r of reports) for (const w of new Set(r.withheld)) at.set(w, [...(at.get(w) ?? []), r.index]);
  return [...at];
}
