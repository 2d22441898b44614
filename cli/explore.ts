// `real-ideal explore`: exhaustive small-scope checking. `explore --system NAME --depth D` enumerates
// every action sequence of the system's finite alphabet breadth first (so the first counterexample is
// a shortest one); `explore SCENARIO` runs one of the system's named scenarios (CCA: rec-destroy).

import { writeFileSync } from 'node:fs';
import { encodeTrace, explore, runTrace } from '../properties/engine';
import { UsageError, intFlag, parseArgs } from './args';
import { chooseRules, chooseSpec, chooseSystem } from './setup';
import { describeViolation, printSteps } from './format';
import type { Io } from './check';

export async function exploreCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['system', 'variant', 'variant-file', 'depth', 'max-states', 'rules-off', 'rules', 'out'], ['json', 'help']);
  const sys = chooseSystem(p.flags.get('system') as string | undefined);
  const scenarios = Object.keys(sys.scenarios ?? {});
  const usage = `usage: real-ideal explore [--system NAME] --depth D [--max-states N] [--variant NAME | --variant-file F] [--json]
       real-ideal explore [--system NAME] SCENARIO [--variant NAME] [--json]   (scenarios of ${sys.name}: ${scenarios.join(', ') || 'none'})`;
  if (p.flags.has('help')) {
    io.out(usage);
    return 0;
  }
  const chosen = await chooseSpec(sys, p.flags.get('variant') as string | undefined, p.flags.get('variant-file') as string | undefined);
  const json = p.flags.has('json');
  if (p.positional.length) {
    const name = p.positional[0];
    const sc = sys.scenarios?.[name];
    if (!sc || p.positional.length !== 1) throw new UsageError(`unknown scenario "${p.positional.join(' ')}" of system ${sys.name} (scenarios: ${scenarios.join(', ') || 'none'})`);
    const r = sc.run(chosen.spec);
    if (json) io.out(JSON.stringify({ ...(r.json as object), model: chosen.label }));
    else {
      io.out(`${r.lines[0]}; ${chosen.label}`);
      for (const l of r.lines.slice(1)) io.out(l);
    }
    return r.ok ? 0 : 1;
  }
  if (!p.flags.has('depth')) throw new UsageError(usage.split('\n')[0]);
  if (!sys.actions.alphabet) throw new UsageError(`system ${sys.name} has no finite action alphabet for exhaustive runs`);
  const depth = intFlag(p, 'depth', 4, 1, 64);
  const maxStates = intFlag(p, 'max-states', 1_000_000, 1, 100_000_000);
  const config = { ...sys.config.defaults, ...(sys.actions.smallScope ?? {}), ...chosen.config };
  const { rules, off } = chooseRules(sys, p.flags.get('rules-off') as string | undefined, p.flags.get('rules') as string | undefined);
  const r = explore(sys, { spec: chosen.spec, config, rules, depth, maxStates });
  const rate = Math.round(r.states / Math.max(r.seconds, 1e-9));
  if (json) io.out(JSON.stringify({ system: sys.name, model: chosen.label, states: r.states, transitions: r.transitions, depth: r.depth, statesPerSecond: rate, truncated: r.truncated, violation: r.counterexample?.violation ?? null }));
  else io.out(`real-ideal explore: ${sys.name}: ${chosen.label}; ${r.states} distinct states, ${r.transitions} transitions, depth ${r.depth}${r.truncated ? ' (stopped at --max-states)' : ''}, ${rate} states/s`);
  const c = r.counterexample;
  if (!c) {
    if (!json) io.out(`no violation up to depth ${r.depth}`);
    return 0;
  }
  const file = (p.flags.get('out') as string | undefined) ?? `counterexample-explore-${sys.name}.json`;
  writeFileSync(file, JSON.stringify(encodeTrace({ system: sys, config, variant: chosen.variant, variantFile: chosen.variantFile, rulesOff: off, steps: c.actions }), null, 1) + '\n');
  if (json) return 1;
  io.out(`VIOLATION (shortest, ${c.actions.length} steps): ${describeViolation(c.violation)}`);
  const replayed = runTrace(sys, { spec: chosen.spec, config, rules }, c.actions);
  printSteps(sys, replayed.steps, io.out);
  io.out(`counterexample written to ${file}`);
  return 1;
}
