// `real-ideal check`: random traces through real and ideal machines, every property after every
// step; prints coverage and a summary, or the shrunk counterexample (exit 1) with a replay command.

import { writeFileSync } from 'node:fs';
import { Config, DEFAULT_CONFIG, configProblems } from '../real/cca/config';
import { TRACE_FORMAT, encodeStep } from '../real/cca/codec';
import { RULE_NAMES } from '../ideal/cca/rules';
import { runChecks } from '../properties/cca/runner';
import { summarize } from '../properties/cca/coverage';
import { VARIANTS } from '../variants/cca';
import { UsageError, intFlag, parseArgs } from './args';
import { chooseRules, chooseSpec } from './setup';
import { describeViolation, printSteps } from './format';
import type { StepReport } from '../properties/cca/check';

export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** Progress output (a terminal's status line); absent = no progress. */
  progress?(s: string): void;
}

const VALUED = ['runs', 'steps', 'seed', 'cpus', 'granules', 'variant', 'variant-file', 'rules-off', 'rules', 'out'];
const BOOLEANS = ['list-variants', 'no-ni', 'json', 'help', 'weak-memory'];

export const CHECK_HELP = `usage: real-ideal check [--runs N] [--steps N] [--seed S] [--cpus N] [--granules N]
                        [--variant NAME | --variant-file FILE.ts] [--rules-off R1,R2 | --rules R1,R2]
                        [--weak-memory] [--no-ni] [--out FILE] [--json] [--list-variants]
  --runs N        traces to run (default 200)
  --steps N       abstract commands per trace, each one or a few steps (default 100)
  --seed S        fast-check seed (default: random; always printed)
  --variant NAME  check a named fault variant (see --list-variants)
  --variant-file  check a variant module: export default (spec) => spec
  --rules-off     switch declassification rules off in the ideal (${RULE_NAMES.join(', ')})
  --weak-memory   run REC_CREATE/REC_DESTROY/REALM_DESTROY's REC bookkeeping as weak-memory
                  micro-programs (multi-step handlers interleaved by \`micro\` steps)
  --no-ni         skip the noninterference product
  --out FILE      where to write a counterexample (default counterexample-SEED.json)`;

const fmt = (n: number) => n.toLocaleString('en-US');

export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, VALUED, BOOLEANS);
  if (p.flags.has('help')) {
    io.out(CHECK_HELP);
    return 0;
  }
  if (p.positional.length) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
  if (p.flags.has('list-variants')) {
    for (const v of VARIANTS) io.out(`${v.name.padEnd(28)} ${v.description}`);
    return 0;
  }
  const runs = intFlag(p, 'runs', 200, 1, 10_000_000);
  const steps = intFlag(p, 'steps', 100, 1, 100_000);
  const seed = intFlag(p, 'seed', Math.floor(Math.random() * 2 ** 31), 0, 2 ** 31 - 1);
  const chosen = await chooseSpec(p.flags.get('variant') as string | undefined, p.flags.get('variant-file') as string | undefined);
  const config: Config = {
    ...DEFAULT_CONFIG,
    ...chosen.config,
    ...(p.flags.has('cpus') ? { cpus: intFlag(p, 'cpus', DEFAULT_CONFIG.cpus, 1, 64) } : {}),
    ...(p.flags.has('granules') ? granuleLayout(intFlag(p, 'granules', 64, 16, 1 << 20)) : {}),
    ...(p.flags.has('weak-memory') ? { weakMemory: true } : {}),
  };
  const problems = configProblems(config);
  if (problems.length) throw new UsageError(problems[0]);
  const { rules, off } = chooseRules(p.flags.get('rules-off') as string | undefined, p.flags.get('rules') as string | undefined);
  const ni = !p.flags.has('no-ni');

  let last = 0;
  const result = runChecks({
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
  const cov = summarize(result.coverage, RULE_NAMES.filter((r) => rules.has(r)));
  const what = `${chosen.label}${off.length ? `, rules off: ${off.join(', ')}` : ''}`;
  if (p.flags.has('json')) {
    io.out(JSON.stringify({ model: what, seed, traces: result.traces, steps: result.steps, stepsPerSecond: rate, coverage: cov, violation: result.counterexample ? result.counterexample.failing.violations[0] : null }));
  } else {
    io.out(`real-ideal check: ${what}; ${fmt(result.traces)} traces, ${fmt(result.steps)} steps, ${fmt(rate)} steps/s; seed ${seed}`);
    const pct = (x: { hit: number; of: number }) => `${x.hit}/${x.of} (${((100 * x.hit) / x.of).toFixed(1)}%)`;
    io.out(`coverage: RMI (command, status) ${pct(cov.pairs)}, failure rows ${cov.rows}, exit reasons ${pct(cov.exits)}, access-outcome rows ${pct(cov.access)}, declassification rules ${pct(cov.rules)}`);
    for (const [name, part] of [['(command, status)', cov.pairs], ['exit reasons', cov.exits], ['access rows', cov.access], ['rules', cov.rules]] as const)
      if (part.missing.length) io.out(`  not reached: ${name}: ${part.missing.join('; ')}`);
  }
  const c = result.counterexample;
  if (!c) {
    if (!p.flags.has('json')) io.out('no violation');
    return 0;
  }
  const file = (p.flags.get('out') as string | undefined) ?? `counterexample-${seed}.json`;
  const trace = {
    format: TRACE_FORMAT,
    config: configOverrides(config),
    ...(chosen.variant ? { variant: chosen.variant } : {}),
    ...(chosen.variantFile ? { variantFile: chosen.variantFile } : {}),
    ...(off.length ? { rulesOff: off } : {}),
    steps: c.actions.map(encodeStep),
  };
  writeFileSync(file, JSON.stringify(trace, null, 1) + '\n');
  if (p.flags.has('json')) return 1;
  const v = c.failing.violations[0];
  io.out(`VIOLATION: ${describeViolation(v)}`);
  io.out(`  at step ${c.failing.index} of the shrunk counterexample (${c.actions.length} steps):`);
  printSteps(c.reports, io.out);
  const withheld = withheldRules(c.reports);
  if (withheld.length) io.out(`  the ideal withheld (rules switched off): ${withheld.map(([r, steps]) => `${r} at step${steps.length > 1 ? 's' : ''} ${steps.join(', ')}`).join('; ')}`);
  io.out(`seed ${seed}, path "${c.path}"`);
  io.out(`counterexample written to ${file}`);
  io.out(`replay: npx real-ideal replay ${file}`);
  return 1;
}

/** A granule count with the default's holes moved to the top: SECURE, ROOT, then 2 MMIO granules. */
export function granuleLayout(n: number): Partial<Config> {
  return { granules: n, secureGranules: [n - 4], rootGranules: [n - 3], mmioRanges: [[n - 2, n]] };
}

function configOverrides(c: Config): Partial<Config> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (JSON.stringify(v) !== JSON.stringify((DEFAULT_CONFIG as unknown as Record<string, unknown>)[k])) o[k] = v;
  return o as Partial<Config>;
}

/** Where in a counterexample the ideal withheld a switched-off rule: the channels the trace used. */
export function withheldRules(reports: readonly StepReport[]): [string, number[]][] {
  const at = new Map<string, number[]>();
  for (const r of reports) for (const w of new Set(r.withheld)) at.set(w, [...(at.get(w) ?? []), r.index]);
  return [...at];
}
