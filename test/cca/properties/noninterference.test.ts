// Noninterference as a two-run product: the same trace again with a realm's secrets changed. The
// faithful RMM passes; an RMM that leaks to the host, or from one realm to another, is caught.

import { describe, expect, test } from 'vitest';
import { Action } from '../../../real/cca/actions';
import { RealState, granuleAt, withGranule } from '../../../real/cca/state';
import type { RmiCommand } from '../../../real/cca/spec';
import { Spec } from '../../../real/cca/spec';
import { faithful } from '../../../real/cca/faithful';
import { DEFAULT_CONFIG } from '../../../real/cca/config';
import { niCheck } from '../engine';
import { variantNamed } from '../../../variants/cca';
import { AUX_B, DATA_C, IPA_C, RD, RD_B, REC0, REC_B, ROOT_B, RUN, RUN1, SPARE, world } from '../realm/helpers';
import { createL3, createRealm, createRec, expectStatus } from '../fixtures';

const secret = (reg: number, value: bigint): Action => ({ kind: 'realm', cpu: 0, instr: { op: 'mov', reg, value, secret: true } });
const enter = (rec: number, run: number, cpu = 0): Action => ({ kind: 'rmi', cpu, fid: 0xc400015cn, args: [BigInt(rec), BigInt(run)] });
const realm = (instr: Extract<Action, { kind: 'realm' }>['instr'], cpu = 0): Action => ({ kind: 'realm', cpu, instr });

/** The actions that built a world (its history), then `more`. */
function trace(spec: Spec, more: Action[]): { actions: Action[] } {
  const m = world({ spec });
  return { actions: [...m.log.map((l) => l.action), ...more] };
}

describe('realm secrets and the host', () => {
  // A secret in X3 (not a declassification register for an IRQ exit), then an exit to the host.
  const leak = [enter(REC0, RUN), secret(3, 0x5ec2e7n), realm({ op: 'irq' })];

  test('faithful RMM: the host observes the same with any secret', () => {
    const { actions } = trace(faithful, leak);
    expect(niCheck({ spec: faithful, config: DEFAULT_CONFIG }, actions)).toBeNull();
  });

  test('an RMM that leaves GPRs in the exit record is caught at the exit, naming the field', () => {
    const spec = variantNamed('exit-leaks-gprs')!.apply(faithful);
    const { actions } = trace(spec, leak);
    const v = niCheck({ spec, config: DEFAULT_CONFIG }, actions)!;
    expect(v).not.toBeNull();
    expect(v.index).toBe(actions.length - 1);
    expect(v.violation.property).toBe('Noninterference');
    expect(v.violation.component).toBe('host observes REC exit record.gprs[3]');
  });

  test('declassified values are public: a host call with public arguments does not count as a leak', () => {
    // The realm keeps a secret in X20 and makes a host call whose structure holds public values only.
    const call = [
      enter(REC0, RUN), secret(20, 0x5ec2e7n),
      realm({ op: 'mov', reg: 1, value: 0x77n }), realm({ op: 'store', ipa: 0x2008n, reg: 1 }),
      realm({ op: 'mov', reg: 0, value: 0xc4000199n }), realm({ op: 'mov', reg: 1, value: 0x2000n }), realm({ op: 'smc' }),
    ];
    const { actions } = trace(faithful, call);
    expect(niCheck({ spec: faithful, config: DEFAULT_CONFIG }, actions)).toBeNull();
  });
});

describe('realm A secrets and realm B', () => {
  function scenario(spec: Spec): Action[] {
    const m = world({ spec });
    const [l2, l3] = SPARE;
    // Realm B: RAM at IPA 0 but nothing behind it yet, one REC, not activated yet.
    createRealm(m, { rd: RD_B, root: ROOT_B, vmid: 2n });
    createL3(m, RD_B, 0, l2, l3);
    expectStatus(m.status('RTT_INIT_RIPAS', [RD_B, 0, 0x1000]), 'SUCCESS');
    expectStatus(createRec(m, RD_B, REC_B, AUX_B, { flags: 1n, mpidr: 0n }).status, 'SUCCESS');
    // Realm A (REC0) writes a secret into IPA_C (DATA_C) and exits.
    m.rmi('REC_ENTER', [REC0, RUN]);
    m.do(secret(20, 0x5ec2e7n));
    m.realm({ op: 'store', ipa: BigInt(IPA_C), reg: 20 });
    m.realm({ op: 'irq' });
    // The host takes the page from A and backs B's IPA 0 with the same granule.
    expectStatus(m.status('DATA_DESTROY', [RD, IPA_C]), 'SUCCESS');
    expectStatus(m.status('DATA_CREATE_UNKNOWN', [RD_B, DATA_C, 0]), 'SUCCESS');
    expectStatus(m.status('REALM_ACTIVATE', [RD_B]), 'SUCCESS');
    // Realm B runs and reads its page.
    m.rmi('REC_ENTER', [REC_B, RUN1], 1);
    m.realm({ op: 'load', ipa: 0x0n, reg: 21 }, 1);
    return m.log.map((l) => l.action);
  }

  test('faithful RMM: realm B observes the same whatever realm A keeps secret', () => {
    expect(niCheck({ spec: faithful, config: DEFAULT_CONFIG }, scenario(faithful))).toBeNull();
  });

  test("an RMM that hands realm A's unscrubbed granule to realm B is caught at B's load", () => {
    // DATA_CREATE_UNKNOWN zeroes content in the specification; this fault keeps the old content.
    const c = faithful.commands.DATA_CREATE_UNKNOWN;
    const spec: Spec = {
      ...variantNamed('undelegate-no-scrub')!.apply(faithful),
      commands: { ...faithful.commands, DATA_CREATE_UNKNOWN: { ...c, effect: (ctx, sp) => keepContent(c.effect, ctx, sp) } },
    };
    const actions = scenario(spec);
    const v = niCheck({ spec, config: DEFAULT_CONFIG }, actions)!;
    expect(v).not.toBeNull();
    expect(v.index).toBe(actions.length - 1);
    expect(v.violation.component).toBe(`realm 0x${RD_B.toString(16)} observes realm event.value`);
  });
});

/** Runs an effect, then puts back the DATA granule's previous content (a DATA_CREATE_UNKNOWN that does not zero). */
function keepContent(effect: RmiCommand['effect'], ctx: unknown, spec: Spec) {
  const c = ctx as { s: RealState; data: bigint };
  const old = granuleAt(c.s, Number(c.data));
  const r = effect(ctx, spec);
  return { ...r, state: withGranule(r.state, Number(c.data), { ...granuleAt(r.state, Number(c.data)), content: old.content }) };
}
