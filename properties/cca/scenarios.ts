// CCA's named exhaustive scenario for `explore rec-destroy`: the paper's Figure-4 race. Two CPUs,
// REC_DESTROY (cpu 0) against REALM_DESTROY (cpu 1) on a realm with one REC, every interleaving and
// every Armv8 reordering of their micro-programs, as herd lists the outcomes of a litmus test.

import type { Scenario } from '../../model/system';
import type { Spec } from '../../real/cca/spec';
import { enumerateOutcomes } from '../../real/shared/weakmem/executor';
import { REC_REGS } from '../../real/cca/weakmem/recBookkeeping';
import { locsOf } from '../../real/cca/weakmem/handlers';

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

const hex = (v: bigint) => '0x' + v.toString(16);

export const recDestroyScenario: Scenario<Spec> = {
  description: 'every outcome of the Figure-4 race (REC_DESTROY || REALM_DESTROY), with the permutation condition',
  run(spec) {
    const { outcomes, states } = recDestroyRace(spec);
    const bad = outcomes.filter((o) => o.violates);
    const lines = [
      'REC_DESTROY (cpu 0) || REALM_DESTROY (cpu 1), one REC (rec_list[0] = 0x6000, count = 1)',
      `${states} states explored; ${outcomes.length} reachable outcomes (what REALM_DESTROY read):`,
      ...outcomes.map((o) => `  count=${o.count}${o.count === 0n ? ` rec_list[0]=${hex(o.slot)}` : ' (realm still live: ERROR_REALM)'}${o.violates ? '   <- permutation condition violated' : ''}`),
      bad.length ? `the permutation condition fails in ${bad.length} outcome(s)` : 'the permutation condition holds in every outcome',
    ];
    return { lines, ok: bad.length === 0, json: { scenario: 'rec-destroy', states, outcomes: outcomes.map((o) => ({ count: hex(o.count), slot: hex(o.slot), violates: o.violates })) } };
  },
};
