// `real-ideal coverage merge FILE...`: joins the coverage of several shards (`check --shard I/N
// --coverage-json F`, one CI job each) into the summary one whole run prints. Files must come from the
// same system, seed, run size and rules; each shard may appear once.

import { readFileSync } from 'node:fs';
import { Coverage, summarize, summaryJson } from '../properties/engine';
import { UsageError, parseArgs } from './args';
import { chooseSystem } from './setup';
import type { Io } from './check';
import { COVERAGE_FORMAT } from './output';


interface CoverageFile {
  readonly system: string; readonly seed: number; readonly runs: number; readonly steps: number; readonly shard?: string;
  readonly rulesOn: readonly string[]; readonly traces: number; readonly stepsRun: number; readonly verdict: string;
  readonly counts: Record<string, Record<string, number>>;
}

function readCoverage(file: string): CoverageFile {
  let u: unknown;
  try {
    u = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const o = u as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new UsageError(`${file}: $: expected a coverage object`);
  if (o.format !== COVERAGE_FORMAT) throw new UsageError(`${file}: $.format: expected "${COVERAGE_FORMAT}"`);
  const num = (k: string) => { if (typeof o[k] !== 'number' || !Number.isInteger(o[k])) throw new UsageError(`${file}: $.${k}: expected an integer`); };
  ['seed', 'runs', 'steps', 'traces', 'stepsRun'].forEach(num);
  if (typeof o.system !== 'string') throw new UsageError(`${file}: $.system: expected a string`);
  if (o.shard !== undefined && (typeof o.shard !== 'string' || !/^\d+\/\d+$/.test(o.shard))) throw new UsageError(`${file}: $.shard: expected "I/N"`);
  if (!Array.isArray(o.rulesOn) || !o.rulesOn.every((r) => typeof r === 'string')) throw new UsageError(`${file}: $.rulesOn: expected an array of rule names`);
  const counts = o.counts as Record<string, unknown>;
  if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) throw new UsageError(`${file}: $.counts: expected an object`);
  for (const [g, m] of Object.entries(counts)) {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new UsageError(`${file}: $.counts.${g}: expected an object`);
    for (const [k, n] of Object.entries(m)) if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new UsageError(`${file}: $.counts.${g}["${k}"]: expected a count`);
  }
  return o as unknown as CoverageFile;
}

export async function coverageCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, [], ['json', 'help']);
  const [sub, ...files] = p.positional;
  if (p.flags.has('help') || sub === undefined) {
    io.out('usage: real-ideal coverage merge FILE... [--json]   join the coverage of shards (check --shard I/N --coverage-json FILE)');
    return sub === undefined && !p.flags.has('help') ? 2 : 0;
  }
  if (sub !== 'merge') throw new UsageError(`coverage: unknown subcommand "${sub}" (merge)`);
  if (!files.length) throw new UsageError('coverage merge: name at least one coverage file');
  const all = files.map((f) => ({ f, c: readCoverage(f) }));
  const first = all[0].c;
  const sys = chooseSystem(first.system);
  const shards = new Set<string>();
  for (const { f, c } of all) {
    for (const k of ['system', 'seed', 'runs', 'steps'] as const) if (c[k] !== first[k]) throw new UsageError(`${f}: $.${k}: ${String(c[k])}, but ${all[0].f} has ${String(first[k])} (shards of one run only)`);
    if (c.rulesOn.join() !== first.rulesOn.join()) throw new UsageError(`${f}: $.rulesOn differs from ${all[0].f}`);
    const key = c.shard ?? 'whole';
    if (shards.has(key)) throw new UsageError(`${f}: $.shard: ${key} appears twice`);
    shards.add(key);
  }
  const n = first.shard ? Number(first.shard.split('/')[1]) : 1;
  const missing = first.shard ? Array.from({ length: n }, (_, i) => `${i + 1}/${n}`).filter((s) => !shards.has(s)) : [];
  const cov = new Coverage(sys);
  for (const { c } of all) cov.mergeJSON(c.counts);
  const sum = summarize(sys, cov, first.rulesOn);
  const traces = all.reduce((a, x) => a + x.c.traces, 0), steps = all.reduce((a, x) => a + x.c.stepsRun, 0);
  const violations = all.filter((x) => x.c.verdict !== 'pass').map((x) => x.f);
  if (p.flags.has('json')) {
    io.out(JSON.stringify({ system: sys.name, seed: first.seed, runs: first.runs, shards: [...shards], missingShards: missing, traces, steps, violations, coverage: summaryJson(sum) }));
    return violations.length ? 1 : 0;
  }
  io.out(`real-ideal coverage: ${sys.name}, seed ${first.seed}, ${files.length} file${files.length > 1 ? 's' : ''}: ${traces.toLocaleString('en-US')} traces, ${steps.toLocaleString('en-US')} steps`);
  if (missing.length) io.out(`  shards not given: ${missing.join(', ')}`);
  if (violations.length) io.out(`  a violation was found in: ${violations.join(', ')}`);
  io.out(`coverage: ${sum.map((g) => `${g.label} ${g.of === null ? g.hit : `${g.hit}/${g.of} (${((100 * g.hit) / Math.max(g.of, 1)).toFixed(1)}%)`}`).join(', ')}`);
  for (const g of sum) if (g.missing.length) io.out(`  not reached: ${g.label}: ${g.missing.join('; ')}`);
  return violations.length ? 1 : 0;
}
