// `real-ideal replay FILE... | FOLDER [--json]`: runs trace files through both machines of their
// system, printing each step's results and the first violation on its step. With several files (or
// a folder, searched recursively) it is a regression corpus: each file's outcome against its
// `expect`, exit 1 if any differs. `replay --seed S --path P` reruns one run of an earlier check
// without a file. `--itf` and `--html` export a single trace.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AnySystem, RuleSet, Violation } from '../model/system';
import { systemNamed } from '../systems';
import { Expectation, StepReport, Trace, decodeTrace, niCheck, runChecks, runTrace } from '../properties/engine';
import { UsageError, intFlag, parseArgs, systemFlag } from './args';
import { Chosen, chooseRules, chooseSpec, chooseSystem } from './setup';
import { describeViolation, printSteps, stepJson, touchedBy } from './format';
import { checkOutPath, writeOut } from './output';
import { itfTrace } from './itf';
import { htmlPage, pageData } from './html';
import type { Io } from './check';

const USAGE = `usage: real-ideal replay FILE [FILE... | FOLDER] [--json] [--variant NAME | --variant-file F] [--rules-off R1,R2 | --rules R1,R2]
                         [--no-ni] [--itf OUT.itf.json] [--html OUT.html]
       real-ideal replay --seed S --path P [--system NAME] [--variant NAME] [--runs N] [--steps N]   (rerun one run of a check)
  FILE(s) or FOLDER  trace files (trace@1/@2); a folder is searched for *.json traces; with several,
                     each file's outcome is compared with its "expect" and exit 1 if any differs
  --json             one JSON object per step (a single file)
  --itf FILE         write the trace as an ITF trace (Apalache/Quint format)
  --html FILE        write a self-contained page to read the trace, step by step, real and ideal side by side
  -h, --help         this help`;

interface Replayed {
  readonly system: AnySystem;
  readonly chosen: Chosen;
  readonly rules: RuleSet;
  readonly reports: StepReport[];
  readonly first: StepReport | null;
}

function readTrace(file: string): Trace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const t = decodeTrace(json, systemNamed);
  if (!t.ok) throw new UsageError(`${file}: ${t.error}`);
  return t.value;
}

async function replayTrace(tr: Trace, flags: Map<string, string | true>): Promise<Replayed> {
  const sys = tr.system;
  const chosen = await chooseSpec(sys, (flags.get('variant') as string | undefined) ?? tr.variant, (flags.get('variant-file') as string | undefined) ?? tr.variantFile);
  const config = chosen.config ? { ...tr.config, ...chosen.config } : tr.config;
  const { rules } = chooseRules(sys, (flags.get('rules-off') as string | undefined) ?? tr.rulesOff?.join(','), flags.get('rules') as string | undefined);
  const res = runTrace(sys, { spec: chosen.spec, config, rules }, tr.steps);
  let first = res.first;
  let reports = res.steps;
  if (!first && !flags.has('no-ni')) {
    const ni = niCheck(sys, { spec: chosen.spec, config }, tr.steps);
    if (ni) {
      first = { ...reports[ni.index], violations: [ni.violation] };
      reports = [...reports.slice(0, ni.index), first];
    }
  }
  return { system: sys, chosen, rules, reports, first };
}

/** Whether an outcome matches an expectation; the reason when it does not. */
function differs(e: Expectation, first: StepReport | null): string | null {
  const got = first ? `${first.violations[0].property} at step ${first.index}` : 'no violation';
  if ('violation' in e) return first ? `expected no violation, got ${got}: ${describeViolation(first.violations[0])}` : null;
  const v: Violation | undefined = first?.violations[0];
  if (!first || !v || v.property !== e.property || first.index !== e.step || (e.component !== undefined && v.component !== e.component))
    return `expected ${e.property} at step ${e.step}${e.component ? ` (${e.component})` : ''}, got ${got}`;
  return null;
}

/** Trace files in a folder, recursively (JSON files whose format is a trace format). */
function traceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...traceFiles(p));
    else if (e.name.endsWith('.json')) {
      try {
        const f = JSON.parse(readFileSync(p, 'utf8')) as { format?: unknown };
        if (typeof f.format === 'string' && f.format.startsWith('real-ideal/trace@')) out.push(p);
      } catch {
        out.push(p); // a broken file is reported, not skipped
      }
    }
  }
  return out;
}

export async function replayCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['system', 'variant', 'variant-file', 'rules-off', 'rules', 'itf', 'html', 'seed', 'path', 'runs', 'steps'], ['json', 'no-ni', 'help']);
  if (p.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  if (p.flags.has('path') || p.flags.has('seed')) return replayPath(argv, p, io);
  if (p.positional.length === 0) throw new UsageError(`${USAGE.split('\n')[0]} (see --help)`);
  const itf = p.flags.has('itf') ? checkOutPath('--itf', p.flags.get('itf') as string) : undefined;
  const html = p.flags.has('html') ? checkOutPath('--html', p.flags.get('html') as string) : undefined;
  const files: string[] = [];
  for (const f of p.positional) {
    let st;
    try {
      st = statSync(f);
    } catch {
      throw new UsageError(`cannot read ${f}`);
    }
    files.push(...(st.isDirectory() ? traceFiles(f) : [f]));
  }
  const corpus = files.length !== 1 || p.positional.some((f) => statSync(f).isDirectory());
  if (corpus && (p.flags.has('json') || itf || html)) throw new UsageError('--json, --itf and --html take a single trace file');
  if (!corpus) return replayOne(files[0], readTrace(files[0]), p.flags, io, itf, html);
  if (files.length === 0) throw new UsageError(`no trace files in ${p.positional.join(', ')}`);
  let bad = 0;
  for (const f of files) {
    let line: string;
    try {
      const tr = readTrace(f);
      const r = await replayTrace(tr, p.flags);
      const got = r.first ? `${r.first.violations[0].property} at step ${r.first.index}` : 'no violation';
      const d = tr.expect ? differs(tr.expect, r.first) : r.first ? `violation without an "expect": ${describeViolation(r.first.violations[0])}` : null;
      if (d) bad++;
      line = d ? `DIFFERS  ${f}: ${d}` : `ok       ${f}: ${got}${tr.expect ? ' (as expected)' : ''}`;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      bad++;
      line = `ERROR    ${e.message}`;
    }
    io.out(line);
  }
  io.out(`${files.length - bad} of ${files.length} trace files as expected`);
  return bad ? 1 : 0;
}

async function replayOne(file: string, tr: Trace, flags: Map<string, string | true>, io: Io, itf?: string, html?: string): Promise<number> {
  const r = await replayTrace(tr, flags);
  const sys = r.system;
  if (itf) writeOut(itf, JSON.stringify(itfTrace(sys, tr.steps, r.reports), null, 1) + '\n');
  if (html) writeOut(html, htmlPage(`${file} (${sys.name})`, pageData(sys, { spec: r.chosen.spec, config: tr.config, rules: r.rules }, tr.steps, r.reports)));
  if (flags.has('json')) for (const s of r.reports) io.out(JSON.stringify(stepJson(sys, s)));
  else {
    io.out(`replay ${file}: ${sys.name}, ${r.chosen.label}, ${tr.steps.length} steps${tr.description ? ` (${tr.description})` : ''}`);
    printSteps(sys, r.reports, io.out);
    if (r.first) {
      io.out(`VIOLATION at step ${r.first.index}: ${describeViolation(r.first.violations[0])}`);
      const touched = touchedBy(sys, r.reports, r.first.violations[0]);
      if (touched.length) io.out(`  steps before it that name ${touched[0].what}: ${touched.map((t) => t.index).join(', ')}`);
    } else io.out('no violation');
    if (itf) io.out(`ITF trace written to ${itf}`);
    if (html) io.out(`page written to ${html}`);
  }
  const d = tr.expect ? differs(tr.expect, r.first) : null;
  if (tr.expect && !flags.has('json')) io.out(d ? `DIFFERS from the file's expect: ${d}` : 'as the file expects');
  return tr.expect ? (d ? 1 : 0) : r.first ? 1 : 0;
}

/** Reruns run `path` of `check --seed S` (its first number is the run's index), printing its counterexample. */
async function replayPath(argv: string[], p: ReturnType<typeof parseArgs>, io: Io): Promise<number> {
  if (!p.flags.has('path') || !p.flags.has('seed')) throw new UsageError('replay: --seed and --path go together (as check printed them)');
  if (p.positional.length) throw new UsageError('replay: give a file, or --seed and --path, not both');
  const sys = chooseSystem(systemFlag(argv));
  const path = p.flags.get('path') as string;
  if (!/^\d+(:\d+)*$/.test(path)) throw new UsageError(`--path: expected numbers separated by ":" as check printed it, got "${path}"`);
  const seed = intFlag(p, 'seed', 0, 0, 2 ** 31 - 1);
  const chosen = await chooseSpec(sys, p.flags.get('variant') as string | undefined, p.flags.get('variant-file') as string | undefined);
  const config = { ...sys.config.defaults, ...chosen.config };
  const { rules } = chooseRules(sys, p.flags.get('rules-off') as string | undefined, p.flags.get('rules') as string | undefined);
  const run = Number(path.split(':')[0]);
  const res = runChecks(sys, { spec: chosen.spec, config, rules, seed, path, runs: Math.max(intFlag(p, 'runs', 200, 1, 10_000_000), run + 1), steps: intFlag(p, 'steps', 100, 1, 100_000), noninterference: !p.flags.has('no-ni') });
  const c = res.counterexample;
  io.out(`replay: ${sys.name}, ${chosen.label}, seed ${seed}, path "${path}"`);
  if (!c) {
    io.out('no violation on that run');
    return 0;
  }
  printSteps(sys, c.reports, io.out);
  io.out(`VIOLATION at step ${c.failing.index}: ${describeViolation(c.failing.violations[0])}`);
  return 1;
}
