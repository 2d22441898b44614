// `real-ideal check`: random traces through real and ideal machines of a system, every property after
// every step; prints coverage and a summary, or the shrunk counterexample (exit 1) with a replay command.

import { writeFileSync } from 'node:fs';
import type { AnySystem } from '../model/system';
import { SYSTEMS } from '../systems';
import { runChecks, summarize, summaryJson, encodeTrace, StepReport, GroupSummary } from '../properties/engine';
import { UsageError, intFlag, parseArgs, systemFlag } from './args';
import { chooseRules, chooseSpec, chooseSystem } from './setup';
import { describeViolation, printSteps } from './format';

export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Progress output (a terminal's status line); absent = no progress. */
  progress?(s: string): void;
}

const VALUED = ['system', 'runs', 'steps', 'seed', 'variant', 'variant-file', 'rules-off', 'rules', 'out'];
const BOOLEANS = ['list-systems', 'list-variants', 'no-ni', 'json', 'help'];

export function checkHelp(sys: AnySystem): string {
  const flags = sys.config.flags.map((f) => `  --${(f.name + (f.kind === 'bool' ? '' : ' N')).padEnd(14)}${f.help}`).join('\n');
  return `usage: real-ideal check [--system NAME] [--runs N] [--steps N] [--seed S] [system flags]
                        [--variant NAME | --variant-file FILE.ts] [--rules-off R1,R2 | --rules R1,R2]
                        [--no-ni] [--out FILE] [--json] [--list-systems] [--list-variants]
  --system NAME   the system to check (default cca; see --list-systems)
  --runs N        traces to run (default 200)
  --steps N       abstract commands per trace, each one or a few steps (default 100)
  --seed S        fast-check seed (default: random; always printed)
  --variant NAME  check a named fault variant (see --list-variants)
  --variant-file  check a variant module: export default (spec) => spec
  --rules-off     switch declassification rules off in the ideal (${sys.name}: ${sys.rules.join(', ')})
  --no-ni         skip the noninterference product
  --out FILE      where to write a counterexample (default counterexample-SEED.json)
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
  const seed = intFlag(p, 'seed', Math.floor(Math.random() * 2 ** 31), 0, 2 ** 31 - 1);
  const chosen = await chooseSpec(sys, p.flags.get('variant') as string | undefined, p.flags.get('variant-file') as string | undefined);
  let config = { ...sys.config.defaults, ...chosen.config };
  for (const f of sys.config.flags) {
    if (!p.flags.has(f.name)) continue;
    config = f.kind === 'bool' ? f.apply(config, true) : f.apply(config, intFlag(p, f.name, 0, f.kind.int[0], f.kind.int[1]));
  }
  const problems = sys.config.problems(config);
  if (problems.length) throw new UsageError(problems[0]);
  const { rules, off } = chooseRules(sys, p.flags.get('rules-off') as string | undefined, p.flags.get('rules') as string | undefined);
  const ni = !p.flags.has('no-ni');

  let last = 0;
  const result = runChecks(sys, {
    spec: chosen.spec, config, rules, runs, steps, seed, noninterference: ni,
    onProgress: io.progress
      ? (t, s) => {
          const now = Date.now();
          if (now - last > 250) {
            last = now;
            io.progress!(`  ${fmt(t)}/${fmt(runs)} traces, ${fmt(s)} steps`);
          }
        }
      : undefined,
  });
  io.progress?.('');
  const rate = Math.round(result.steps / Math.max(result.seconds, 1e-9));
  const cov = summarize(sys, result.coverage, sys.rules.filter((r) => rules.has(r)));
  const what = `${sys.name}: ${chosen.label}${off.length ? `, rules off: ${off.join(', ')}` : ''}`;
  const json = p.flags.has('json');
  if (json) {
    io.out(JSON.stringify({ system: sys.name, model: what, seed, traces: result.traces, steps: result.steps, stepsPerSecond: rate, coverage: summaryJson(cov), violation: result.counterexample ? result.counterexample.failing.violations[0] : null }));
  } else {
    io.out(`real-ideal check: ${what}; ${fmt(result.traces)} traces, ${fmt(result.steps)} steps, ${fmt(rate)} steps/s; seed ${seed}`);
    io.out(`coverage: ${cov.map((g) => `${g.label} ${pct(g)}`).join(', ')}`);
    for (const g of cov) if (g.missing.length) io.out(`  not reached: ${g.label}: ${g.missing.join('; ')}`);
  }
  const c = result.counterexample;
  if (!c) {
    if (!json) io.out('no violation');
    return 0;
  }
  const file = (p.flags.get('out') as string | undefined) ?? `counterexample-${seed}.json`;
  const trace = encodeTrace({ system: sys, config, variant: chosen.variant, variantFile: chosen.variantFile, rulesOff: off, steps: c.actions });
  writeFileSync(file, JSON.stringify(trace, null, 1) + '\n');
  if (json) return 1;
  const v = c.failing.violations[0];
  io.out(`VIOLATION: ${describeViolation(v)}`);
  io.out(`  at step ${c.failing.index} of the shrunk counterexample (${c.actions.length} steps):`);
  printSteps(sys, c.reports, io.out);
  const withheld = withheldRules(c.reports);
  if (withheld.length) io.out(`  the ideal withheld (rules switched off): ${withheld.map(([r, steps]) => `${r} at step${steps.length > 1 ? 's' : ''} ${steps.join(', ')}`).join('; ')}`);
  io.out(`seed ${seed}, path "${c.path}"`);
  io.out(`counterexample written to ${file}`);
  io.out(`replay: npx real-ideal replay ${file}`);
  return 1;
}

/** Where in a counterexample the ideal withheld a switched-off rule: the channels the trace used. */
export function withheldRules(reports: readonly StepReport[]): [string, number[]][] {
  const at = new Map<string, number[]>();
  for (const r of reports) for (const w of new Set(r.withheld)) at.set(w, [...(at.get(w) ?? []), r.index]);
  return [...at];
}
