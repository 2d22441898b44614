// Issue 14 §3: every hook of the specification object reaches the behaviour it names. For each hook,
// one fault of variants/cca/hooks.ts: the faithful model behaves as the reference says, the variant
// through that hook behaves differently, and the checker (real vs ideal in lockstep with every
// property, test/cca/engine.ts) reports the scenario's history under the variant.

import { describe, expect, test } from 'vitest';
import { faithful } from '../../../real/cca/faithful';
import { DEFAULT_CONFIG } from '../../../real/cca/config';
import type { Spec, Variant } from '../../../real/cca/spec';
import { granuleAt, rttOf } from '../../../real/cca/state';
import { walk } from '../../../real/cca/rtt';
import { runChecks, runTrace } from '../engine';
import * as V from '../../../variants/cca/hooks';
import {
  AUX0, AUX2, FLAGS, IPA_C, Machine, PARAMS, PSCI, RD, REC0, REC2, RSI, RSI_ERROR_INPUT, RSI_ERROR_STATE, RSI_OK, RUN, SPARE, call, createRec,
  delegate, enter, expectExit, liveRegs, mov, rdAt, recAt, run, smc, step, world,
} from '../realm/helpers';
import { createRealm } from '../fixtures';

const MB2 = 0x20_0000;

/** The first violation the checker reports when `spec` replays `m`'s history. */
function caught(m: Machine, spec: Spec) {
  const r = runTrace({ spec, config: DEFAULT_CONFIG }, m.log.map((l) => l.action));
  return r.first ? r.first.violations.map((v) => v.property) : null;
}
/** Runs `scenario` under the faithful spec and under `variant`; returns both machines. */
function both(variant: Variant, scenario: (m: Machine) => void): { f: Machine; v: Machine; vspec: Spec } {
  const vspec = variant(faithful);
  const f = world();
  scenario(f);
  const v = world({ spec: vspec });
  scenario(v);
  return { f, v, vspec };
}
const entry = (m: Machine, ipa: number, level = 3) => {
  const w = walk(m.state, rdAt(m), ipa, level);
  return { ...w.entry, level: w.level };
};

describe('hooks: each fault changes behaviour and the checker reports it', () => {
  test('rsi.MEASUREMENT_EXTEND: extending REM 1 must not touch the RIM', () => {
    const { f, v, vspec } = both(V.rsiExtendsRim, (m) => {
      enter(m, REC0, RUN);
      call(m, [RSI.MEASUREMENT_EXTEND, 1, 8, 0x1234]);
    });
    expect(rdAt(f).measurements[0]).toBe(rdAt(world()).measurements[0]); // reference §8.7: RIM fixed after ACTIVATE
    expect(rdAt(f).measurements[1]).not.toBe(0n);
    expect(rdAt(v).measurements[0]).not.toBe(rdAt(f).measurements[0]);
    expect(caught(f, faithful)).toBeNull();
    expect(caught(v, vspec)).not.toBeNull();
  });

  test('psci: CPU_OFF makes the REC not runnable (reference §4)', () => {
    const { f, v, vspec } = both(V.psciCpuOffRunnable, (m) => {
      enter(m, REC0, RUN);
      expectExit(smc(m, [PSCI.CPU_OFF]));
    });
    expect(recAt(f, REC0).runnable).toBe(false);
    expect(recAt(v, REC0).runnable).toBe(true);
    expect(caught(f, faithful)).toBeNull();
    expect(caught(v, vspec)).not.toBeNull();
  });

  test('ripas.set: a DESTROYED page changes only with CHANGE_DESTROYED (reference §6 RTT_SET_RIPAS)', () => {
    const { f, v, vspec } = both(V.ripasSetIgnoresConsent, (m) => {
      m.rmi('DATA_DESTROY', [RD, IPA_C]);
      enter(m, REC0, RUN);
      expectExit(smc(m, [RSI.IPA_STATE_SET, IPA_C, IPA_C + 0x1000, 1, 0]));
      m.rmi('RTT_SET_RIPAS', [RD, REC0, IPA_C, IPA_C + 0x1000]);
    });
    expect(f.log.at(-1)!.obs).toMatchObject({ status: { status: 'ERROR_RTT', index: 3 }, failed: 'no_progress' });
    expect(entry(f, IPA_C).ripas).toBe('DESTROYED');
    expect(entry(v, IPA_C).ripas).toBe('RAM');
    expect(caught(f, faithful)).toBeNull();
    expect(caught(v, vspec)?.some((p) => /Transition/.test(p))).toBe(true);
  });

  test('ripas.init: RTT_INIT_RIPAS stops at a DESTROYED entry', () => {
    const scenario = (m: Machine) => {
      m.rmi('DATA_DESTROY', [RD, IPA_C]);
      m.rmi('RTT_INIT_RIPAS', [RD, IPA_C, IPA_C + 0x1000]);
    };
    const vspec = V.ripasInitDestroyed(faithful);
    const f = world({ activate: false });
    scenario(f);
    const v = world({ activate: false, spec: vspec });
    scenario(v);
    expect(f.log.at(-1)!.obs).toMatchObject({ status: { status: 'ERROR_RTT', index: 3 } });
    expect(entry(f, IPA_C).ripas).toBe('DESTROYED');
    expect(entry(v, IPA_C).ripas).toBe('RAM');
    expect(caught(f, faithful)).toBeNull();
    expect(caught(v, vspec)?.some((p) => /Transition/.test(p))).toBe(true);
  });

  test('ripas.afterDataDestroy: a destroyed RAM page becomes DESTROYED, so new memory behind it cannot pass as the old', () => {
    const { f, v, vspec } = both(V.dataDestroyKeepsRam, (m) => {
      enter(m, REC0, RUN);
      mov(m, 7, 0x5ec7e7n);
      run(m, { op: 'store', ipa: BigInt(IPA_C), reg: 7 });
      expectExit(step(m, { op: 'irq' }));
      m.rmi('DATA_DESTROY', [RD, IPA_C]);
      delegate(m, SPARE[0]);
      m.rmi('DATA_CREATE_UNKNOWN', [RD, SPARE[0], IPA_C]);
      enter(m, REC0, RUN);
      step(m, { op: 'load', ipa: BigInt(IPA_C), reg: 3 });
    });
    expect(entry(f, IPA_C).ripas).toBe('DESTROYED');
    expect(f.log.at(-1)!.obs).toMatchObject({ kind: 'realm', exit: { name: 'REC_ENTER' } }); // DESTROYED: an abort exit
    expect(entry(v, IPA_C).ripas).toBe('RAM');
    expect(v.log.at(-1)!.obs).toMatchObject({ kind: 'realm', event: { what: 'load', value: 0n } }); // the realm reads the host's substitute
    expect(caught(f, faithful)).toBeNull();
    expect(caught(v, vspec)).not.toBeNull();
  });

  test('ripas.afterRttDestroy: destroying a table of RAM leaves DESTROYED, not EMPTY', () => {
    const scenario = (m: Machine) => {
      delegate(m, SPARE[0]);
      m.rmi('RTT_CREATE', [RD, SPARE[0], MB2, 3]);
      m.rmi('RTT_INIT_RIPAS', [RD, MB2, MB2 + 0x1000]);
      m.rmi('RTT_DESTROY', [RD, MB2, 3]);
    };
    const vspec = V.rttDestroyEmpty(faithful);
    const f = world({ activate: false });
    scenario(f);
    const v = world({ activate: false, spec: vspec });
    scenario(v);
    expect(entry(f, MB2)).toMatchObject({ hipas: 'UNASSIGNED', ripas: 'DESTROYED', level: 2 });
    expect(entry(v, MB2)).toMatchObject({ hipas: 'UNASSIGNED', ripas: 'EMPTY', level: 2 });
    expect(caught(f, faithful)).toBeNull();
    expect(caught(v, vspec)?.some((p) => /Transition/.test(p))).toBe(true);
  });

  test('fold: a table of UNASSIGNED entries with different RIPAS does not fold (ERROR_RTT at its level)', () => {
    const scenario = (m: Machine) => {
      delegate(m, SPARE[0]);
      m.rmi('RTT_CREATE', [RD, SPARE[0], MB2, 3]);
      m.rmi('RTT_INIT_RIPAS', [RD, MB2, MB2 + 0x1000]);
      m.rmi('RTT_FOLD', [RD, MB2, 3]);
    };
    const vspec = V.foldIgnoresRipas(faithful);
    const f = world({ activate: false });
    scenario(f);
    const v = world({ activate: false, spec: vspec });
    scenario(v);
    expect(f.log.at(-1)!.obs).toMatchObject({ status: { status: 'ERROR_RTT', index: 3 } });
    expect(entry(v, MB2 + 0x1000)).toMatchObject({ hipas: 'UNASSIGNED', ripas: 'RAM', level: 2 }); // EMPTY pages became RAM
    expect(caught(f, faithful)).toBeNull();
    expect(caught(v, vspec)).not.toBeNull();
  });

  test('unfold: RTT_CREATE under an UNASSIGNED RAM entry gives 512 RAM children', () => {
    const scenario = (m: Machine) => {
      delegate(m, SPARE[0]);
      m.rmi('RTT_CREATE', [RD, SPARE[0], MB2, 3]);
      m.rmi('RTT_INIT_RIPAS', [RD, MB2, 2 * MB2]);
      m.rmi('RTT_FOLD', [RD, MB2, 3]);
      m.rmi('RTT_CREATE', [RD, SPARE[0], MB2, 3]);
    };
    const vspec = V.unfoldDropsRipas(faithful);
    const f = world({ activate: false });
    scenario(f);
    const v = world({ activate: false, spec: vspec });
    scenario(v);
    expect(rttOf(f.state, SPARE[0]).entries.every((e) => e.hipas === 'UNASSIGNED' && e.ripas === 'RAM')).toBe(true);
    expect(entry(v, MB2 + 0x5000)).toMatchObject({ ripas: 'EMPTY', level: 3 });
    expect(caught(f, faithful)).toBeNull();
    expect(caught(v, vspec)?.some((p) => /Transition/.test(p))).toBe(true);
  });

  test('trap: a trapped WFI exposes only EC and TI (reference §7), not the realm\'s X8', () => {
    const SECRET = 0x5ec0_0000_0000_0808n;
    const { f, v, vspec } = both(V.trapLeaksX8, (m) => {
      enter(m, REC0, RUN, { flags: FLAGS.TRAP_WFI });
      mov(m, 8, SECRET);
      expectExit(step(m, { op: 'wfi' }));
    });
    const gprs = (m: Machine) => (m.log.at(-1)!.obs as unknown as { record: { gprs: bigint[] } }).record.gprs;
    expect(gprs(f)[1]).toBe(0n);
    expect(gprs(v)[1]).toBe(SECRET);
    expect(caught(f, faithful)).toBeNull();
    expect(caught(v, vspec)).toContain('Observation');
  });

  test('exit: the REC resumes with the registers it had at its exit', () => {
    const { f, v, vspec } = both(V.exitForgetsRegs, (m) => {
      enter(m, REC0, RUN);
      mov(m, 20, 0x42n);
      expectExit(step(m, { op: 'irq' }));
      enter(m, REC0, RUN);
      mov(m, 1, 0n);
      run(m, { op: 'movr', reg: 1, src: 20 });
    });
    expect(liveRegs(f)[1]).toBe(0x42n);
    expect(liveRegs(v)[1]).toBe(0n);
    expect(caught(f, faithful)).toBeNull();
    expect(caught(v, vspec)).not.toBeNull();
  });

  test('failure: a failing REC_CREATE changes nothing (reference §1)', () => {
    const { f, v, vspec } = both(V.recCreateFailureClaimsAux, (m) => {
      createRec(m, RD, REC2, AUX2, { flags: 1n, mpidr: 2n }); // the realm is ACTIVE: realm_state
    });
    expect(f.log.at(-1)!.obs).toMatchObject({ status: { status: 'ERROR_REALM' }, failed: 'realm_state' });
    expect(AUX2.map((a) => granuleAt(f.state, a).state)).toEqual(['DELEGATED', 'DELEGATED']);
    expect(AUX2.map((a) => granuleAt(v.state, a).state)).toEqual(['REC_AUX', 'REC_AUX']);
    expect(caught(f, faithful)).toBeNull();
    expect(caught(v, vspec)).toContain('Invariant');
  });
});

describe('the REC attestation state lives in its aux granules (TF-RMM rec_aux_data)', () => {
  const CHALLENGE = [0x11n, 0x22n];
  /** REC0 starts a token, then exits. */
  function tokenStarted(spec: Spec = faithful): Machine {
    const m = world({ spec });
    enter(m, REC0, RUN);
    expect(call(m, [RSI.ATTESTATION_TOKEN_INIT, ...CHALLENGE])[0]).toBe(RSI_OK);
    expectExit(step(m, { op: 'irq' }));
    return m;
  }

  /** A second realm reuses REC0's (destroyed) granules for its REC and asks to continue a token. */
  function reuse(m: Machine) {
    createRealm(m, { rd: SPARE[1], root: SPARE[2], vmid: 9n });
    delegate(m, SPARE[3]); // AUX0 are DELEGATED already (REC_DESTROY)
    m.writeRecParams(PARAMS, { flags: 1n, mpidr: 0n, numAux: 2n, aux: AUX0.map(BigInt) });
    expect(m.rmi('REC_CREATE', [SPARE[1], SPARE[3], PARAMS]).status).toEqual({ status: 'SUCCESS', index: 0 });
    expect(m.rmi('REALM_ACTIVATE', [SPARE[1]]).status!.status).toBe('SUCCESS');
    enter(m, SPARE[3], RUN);
    return smc(m, [RSI.ATTESTATION_TOKEN_CONTINUE, 0x1000, 0, 64]);
  }

  test('TOKEN_INIT writes the state into the last aux granule; the REC granule holds no copy', () => {
    const m = tokenStarted();
    const w = [...(granuleAt(m.state, AUX0[1]).content as unknown as { words: Map<number, bigint> }).words.entries()];
    expect(w.length).toBeGreaterThan(0);
    expect(granuleAt(m.state, AUX0[0]).content).toEqual({ kind: 'words', words: new Map() });
    expect(Object.keys(recAt(m, REC0)).some((k) => /attest/i.test(k))).toBe(false);
  });

  test('REC_DESTROY scrubs the aux granules, so a REC built on them has no token (ERROR_STATE)', () => {
    const m = tokenStarted();
    expect(m.rmi('REC_DESTROY', [REC0]).status).toEqual({ status: 'SUCCESS', index: 0 });
    for (const a of AUX0) expect(granuleAt(m.state, a).content).toEqual({ kind: 'words', words: new Map() });
    expect(reuse(m).event.value).toBe(RSI_ERROR_STATE);
  });

  test('undelegation: faithfully the host reads zeros from a former aux granule; without the scrub it reads the token state', () => {
    const read = (spec: Spec) => {
      const m = tokenStarted(spec);
      m.rmi('REC_DESTROY', [REC0]);
      expect(m.rmi('GRANULE_UNDELEGATE', [AUX0[1]]).status).toEqual({ status: 'SUCCESS', index: 0 });
      return (m.read(AUX0[1], 3) as { values?: bigint[] }).values;
    };
    expect(read(faithful)).toEqual([0n, 0n, 0n]);
    expect(read(V.recAuxNoScrub(faithful))?.[0]).toBe(1n); // "a token is in progress", then the challenge
  });

  test('rec-aux-no-scrub: the token survives in a DELEGATED granule; the checker reports it', () => {
    const vspec = V.recAuxNoScrub(faithful);
    const m = tokenStarted(vspec);
    expect(m.rmi('REC_DESTROY', [REC0]).status).toEqual({ status: 'SUCCESS', index: 0 });
    expect(granuleAt(m.state, AUX0[1]).state).toBe('DELEGATED');
    expect((granuleAt(m.state, AUX0[1]).content as unknown as { words: Map<number, bigint> }).words.size).toBeGreaterThan(0);
    expect(caught(m, vspec)).toContain('Invariant');
    // Reuse: the next REC on those granules finds the old token: past the token check, CONTINUE fails
    // on its (RIPAS EMPTY) target page with ERROR_INPUT instead of ERROR_STATE (no token).
    expect(reuse(m).event.value).toBe(RSI_ERROR_INPUT);
    const f = tokenStarted();
    f.rmi('REC_DESTROY', [REC0]);
    expect(caught(f, faithful)).toBeNull();
  });
});

// The random checker finds these faults by itself (pinned seed 1, 60 traces of 100 commands; the
// other hook faults need scenarios the default generator reaches rarely, shown above by replay).
describe('the checker finds hook faults from random traces (seed 1)', () => {
  test.each<[string, Variant, string]>([
    ['psci-cpu-off-runnable', V.psciCpuOffRunnable, 'Postcondition'],
    ['rtt-destroy-empty', V.rttDestroyEmpty, 'Postcondition'],
    ['fold-ignores-ripas', V.foldIgnoresRipas, 'Postcondition'],
    ['exit-forgets-regs', V.exitForgetsRegs, 'Rel3'],
  ])('%s', (_n, variant, property) => {
    const r = runChecks({ spec: variant(faithful), config: DEFAULT_CONFIG, runs: 60, steps: 100, seed: 1 });
    expect(r.counterexample?.failing.violations.map((v) => v.property)).toContain(property);
  }, 120_000);
});
