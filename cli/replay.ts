// `real-ideal replay FILE [--json]`: runs a trace file through both machines of its system, printing
// each step's results and the first violation on the step where it occurs.

import { readFileSync } from 'node:fs';
import { systemNamed } from '../systems';
import { decodeTrace, niCheck, runTrace } from '../properties/engine';
import { UsageError, parseArgs } from './args';
import { chooseRules, chooseSpec } from './setup';
import { describeViolation, printSteps, stepJson } from './format';
import type { Io } from './check';

const USAGE = 'usage: real-ideal replay FILE [--json] [--variant NAME | --variant-file F] [--rules-off R1,R2 | --rules R1,R2] [--no-ni]';

export async function replayCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['variant', 'variant-file', 'rules-off', 'rules'], ['json', 'no-ni', 'help']);
  if (p.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  if (p.positional.length !== 1) throw new UsageError(USAGE);
  const file = p.positional[0];
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
    throw new UsageError(`${file}: not JSON: ${(e as Error).message}`);
  }
  const t = decodeTrace(json, systemNamed);
  if (!t.ok) throw new UsageError(`${file}: ${t.error}`);
  const tr = t.value;
  const sys = tr.system;
  const chosen = await chooseSpec(sys, (p.flags.get('variant') as string | undefined) ?? tr.variant, (p.flags.get('variant-file') as string | undefined) ?? tr.variantFile);
  const { rules } = chooseRules(sys, (p.flags.get('rules-off') as string | undefined) ?? tr.rulesOff?.join(','), p.flags.get('rules') as string | undefined);
  const res = runTrace(sys, { spec: chosen.spec, config: tr.config, rules }, tr.steps);
  let first = res.first;
  let reports = res.steps;
  if (!first && !p.flags.has('no-ni')) {
    const ni = niCheck(sys, { spec: chosen.spec, config: tr.config }, tr.steps);
    if (ni) {
      first = { ...reports[ni.index], violations: [ni.violation] };
      reports = [...reports.slice(0, ni.index), first];
    }
  }
  if (p.flags.has('json')) for (const r of reports) io.out(JSON.stringify(stepJson(sys, r)));
  else {
    io.out(`replay ${file}: ${sys.name}, ${chosen.label}, ${tr.steps.length} steps${tr.description ? ` (${tr.description})` : ''}`);
    printSteps(sys, reports, io.out);
    io.out(first ? `VIOLATION at step ${first.index}: ${describeViolation(first.violations[0])}` : 'no violation');
  }
  return first ? 1 : 0;
}
