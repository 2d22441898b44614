// `real-ideal explore rec-destroy`: the exhaustive mode for the CCA paper's Figure-4 race. Two CPUs,
// REC_DESTROY (cpu 0) against REALM_DESTROY (cpu 1) on a realm with one REC, every interleaving and
// every Armv8 reordering of their micro-programs, as herd lists the outcomes of a litmus test.

import { enumerateOutcomes } from '../real/shared/weakmem/executor';
import { REC_REGS } from '../real/cca/weakmem/recBookkeeping';
import { locsOf } from '../real/cca/weakmem/handlers';
import { Spec } from '../real/cca/spec';
import { UsageError, parseArgs } from './args';
import { chooseSpec } from './setup';
import type { Io } from './check';

export interface RaceOutcome {
  /** The REC count REALM_DESTROY read, and the REC-list slot it read (0 when it did not look). */
  readonly count: bigint;
  readonly slot: bigint;
  /** REALM_DESTROY saw a zero count but a non-empty list: the permutation condition fails. */
  readonly violates: boolean;
}

export function recDestroyRace(spec: Spec): { outcomes: RaceOutcome[]; states: number } {
  const RD = 0x4000;
  const REC = 0x6000n;
  const L = locsOf(RD);
  const threads = [spec.programs.recDestroy(RD, 0), spec.programs.realmDestroy(RD, 1)];
  const r = enumerateOutcomes(threads, { [L.count]: 1n, [L.slot(0)]: REC }, { keys: [`1:${REC_REGS.destroyCount}`, `1:${REC_REGS.destroySlot(0)}`] });
  const outcomes = r.outcomes.map((o) => {
    const count = o[`1:${REC_REGS.destroyCount}`] ?? 0n;
    const slot = count === 0n ? (o[`1:${REC_REGS.destroySlot(0)}`] ?? 0n) : 0n;
    return { count, slot, violates: count === 0n && slot !== 0n };
  });
  const seen = new Map(outcomes.map((o) => [`${o.count}:${o.slot}`, o]));
  return { outcomes: [...seen.values()], states: r.states };
}

export async function exploreCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['variant', 'variant-file'], ['json', 'help']);
  if (p.flags.has('help') || p.positional[0] !== 'rec-destroy' || p.positional.length !== 1) {
    if (p.flags.has('help')) {
      io.out('usage: real-ideal explore rec-destroy [--variant NAME | --variant-file F] [--json]');
      return 0;
    }
    throw new UsageError('usage: real-ideal explore rec-destroy [--variant NAME] [--json]');
  }
  const chosen = await chooseSpec(p.flags.get('variant') as string | undefined, p.flags.get('variant-file') as string | undefined);
  const { outcomes, states } = recDestroyRace(chosen.spec);
  const bad = outcomes.filter((o) => o.violates);
  const hex = (v: bigint) => '0x' + v.toString(16);
  if (p.flags.has('json')) {
    io.out(JSON.stringify({ scenario: 'rec-destroy', model: chosen.label, states, outcomes: outcomes.map((o) => ({ count: hex(o.count), slot: hex(o.slot), violates: o.violates })) }));
  } else {
    io.out(`REC_DESTROY (cpu 0) || REALM_DESTROY (cpu 1), one REC (rec_list[0] = 0x6000, count = 1); ${chosen.label}`);
    io.out(`${states} states explored; ${outcomes.length} reachable outcomes (what REALM_DESTROY read):`);
    for (const o of outcomes)
      io.out(`  count=${o.count}${o.count === 0n ? ` rec_list[0]=${hex(o.slot)}` : ' (realm still live: ERROR_REALM)'}${o.violates ? '   <- permutation condition violated' : ''}`);
    io.out(bad.length ? `the permutation condition fails in ${bad.length} outcome(s)` : 'the permutation condition holds in every outcome');
  }
  return bad.length ? 1 : 0;
}
