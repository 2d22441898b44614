// The PSCI oracle (properties/cca/oracles/psci.ts): the ideal now runs the specification's own PSCI
// handler, so a fault in that handler changes real and ideal alike; the oracle, written from reference
// §7 and sharing no code with the handler, must still see it. Each fault below is one a spec author
// could write; expected answers are the reference's (PSCI 1.1 return codes).

import { describe, expect, test } from 'vitest';
import { faithful } from '../../../real/cca/faithful';
import { DEFAULT_CONFIG } from '../../../real/cca/config';
import type { Spec } from '../../../real/cca/spec';
import type { CallOutcome } from '../../../real/cca/realm/rsi';
import { setContent } from '../../../real/cca/ops';
import { runTrace } from '../engine';
import { IPA_A, MPIDR, Machine, PSCI, PSCI_RET, REC0, RUN, enter, smc, world } from '../realm/helpers';

type Psci = Spec['psci'];
const withPsci = (f: (orig: Psci) => Psci): Spec => ({ ...faithful, psci: f(faithful.psci) });
/** Rewrites the answer (X0) of an immediate PSCI result. */
const answerIs = (fid: bigint, x0: bigint): Spec => withPsci((orig) => (c) => {
  const o = orig(c);
  return c.regs[0] === fid && o.kind === 'resume' ? { ...o, set: { ...o.set, 0: x0 } } : o;
});

function violations(spec: Spec, scenario: (m: Machine) => void) {
  const m = world({ spec });
  scenario(m);
  const r = runTrace({ spec, config: DEFAULT_CONFIG }, m.log.map((l) => l.action));
  return r.first?.violations ?? [];
}
const psciOracle = (vs: readonly { property: string; component: string; detail: string }[]) => vs.filter((v) => v.property === 'Postcondition' && v.component.startsWith('PSCI'));

const ENTRY = BigInt(IPA_A + 0x100);
const scenarios: Record<string, (m: Machine) => void> = {
  version: (m) => { enter(m, REC0, RUN); smc(m, [PSCI.VERSION]); },
  features: (m) => { enter(m, REC0, RUN); smc(m, [PSCI.FEATURES, 0x8400_0005n]); },
  cpuOnOutsidePar: (m) => { enter(m, REC0, RUN); smc(m, [PSCI.CPU_ON, MPIDR(1), 1n << 47n, 0n]); },
  cpuOn: (m) => { enter(m, REC0, RUN); smc(m, [PSCI.CPU_ON, MPIDR(1), ENTRY, 7n]); },
  affinitySelf: (m) => { enter(m, REC0, RUN); smc(m, [PSCI.AFFINITY_INFO, MPIDR(0), 0n]); },
  systemOff: (m) => { enter(m, REC0, RUN); smc(m, [PSCI.SYSTEM_OFF]); },
  cpuOff: (m) => { enter(m, REC0, RUN); smc(m, [PSCI.CPU_OFF]); },
};

describe('the faithful handlers satisfy the PSCI oracle', () => {
  test.each(Object.keys(scenarios))('%s', (name) => {
    expect(violations(faithful, scenarios[name])).toEqual([]);
  });
});

describe('a fault in the PSCI handler is seen by the oracle, though the ideal runs the same handler', () => {
  test.each<[string, Spec, string, RegExp]>([
    ['VERSION reports PSCI 1.0', answerIs(PSCI.VERSION, 0x10000n), 'version', /X0 = 0x10000, expected 0x10001/],
    ['FEATURES claims MIGRATE (0x84000005, not implemented)', answerIs(PSCI.FEATURES, PSCI_RET.SUCCESS), 'features', /expected 0xffffffffffffffff/],
    ['AFFINITY_INFO about the caller itself answers OFF', answerIs(PSCI.AFFINITY_INFO, PSCI_RET.OFF), 'affinitySelf', /X0 = 0x1, expected 0x0/],
    ['CPU_ON with an entry outside the PAR goes to the host', withPsci((orig) => (c) => (c.regs[0] === PSCI.CPU_ON ? orig({ ...c, regs: [c.regs[0], c.regs[1], ENTRY, c.regs[3], ...c.regs.slice(4)] }) : orig(c))), 'cpuOnOutsidePar', /exits to the host/],
    ['CPU_ON records a context id of zero', withPsci((orig) => (c) => {
      const o = orig(c);
      return o.kind === 'exit' && o.rec.psciPending?.kind === 'CPU_ON' ? { ...o, rec: { ...o.rec, psciPending: { ...o.rec.psciPending, contextId: 0n } } } : o;
    }), 'cpuOn', /psciPending/],
    ['SYSTEM_OFF leaves the realm ACTIVE', withPsci((orig) => (c) => {
      const o: CallOutcome = orig(c);
      return c.regs[0] === PSCI.SYSTEM_OFF ? { ...o, s: setContent(o.s, c.rdPa, c.rd) } : o;
    }), 'systemOff', /not SYSTEM_OFF/],
    ['CPU_OFF leaves the REC runnable', withPsci((orig) => (c) => {
      const o = orig(c);
      return c.regs[0] === PSCI.CPU_OFF && o.kind === 'exit' ? { ...o, rec: { ...o.rec, runnable: true } } : o;
    }), 'cpuOff', /still runnable/],
  ])('%s', (_name, spec, scenario, detail) => {
    const found = psciOracle(violations(spec, scenarios[scenario]));
    expect(found.length).toBe(1);
    expect(found[0].detail).toMatch(detail);
  });
});
