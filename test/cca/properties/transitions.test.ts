// The temporal statements of §8 as a step property: the RIM changes only while NEW (§8.7), and RIPAS
// changes only as §8.8 allows. The faithful model's scenarios pass; faults that break them are named.

import { describe, expect, test } from 'vitest';
import { Spec } from '../../../real/cca/spec';
import { faithful } from '../../../real/cca/faithful';
import { Content, RealState, Rec, Rtt, granuleAt, withGranule } from '../../../real/cca/state';
import type { RmiCommand } from '../../../real/cca/spec';
import { checkTransitions } from '../../../properties/cca/transitions';
import { runTrace } from '../engine';
import { DEFAULT_CONFIG } from '../../../real/cca/config';
import { Machine } from '../../../real/cca/machine';
import { IPA_C, IPA_EMPTY, RD, REC0, RSI, RUN, enter, smc, world } from '../realm/helpers';

const firstTransition = (m: Machine, spec: Spec) => runTrace({ spec, config: DEFAULT_CONFIG }, m.log.map((l) => l.action)).steps.flatMap((s) => s.violations.filter((v) => v.property === 'Transition').map((v) => ({ ...v, step: s.index })))[0];

/** The realm asks for RAM at IPA_C (a page the host destroyed) without CHANGE_DESTROYED; the host applies it. */
function consentless(spec: Spec): Machine {
  const m = world({ spec });
  expect(m.status('DATA_DESTROY', [RD, IPA_C])?.status).toBe('SUCCESS');
  enter(m, REC0, RUN);
  smc(m, [RSI.IPA_STATE_SET, IPA_C, IPA_C + 0x1000, 1n, 0n]); // RAM, flags 0: no consent
  m.rmi('RTT_SET_RIPAS', [RD, REC0, IPA_C, IPA_C + 0x1000]);
  return m;
}

describe('RIPAS transitions (§8.8)', () => {
  test('faithful: a DESTROYED page does not change without consent (the host call fails, nothing to report)', () => {
    const m = consentless(faithful);
    expect(m.log[m.log.length - 1].obs).toMatchObject({ status: { status: 'ERROR_RTT', index: 3 } });
    expect(firstTransition(m, faithful)).toBeUndefined();
  });

  test('an RTT_SET_RIPAS that ignores CHANGE_DESTROYED is caught, naming the entry', () => {
    // The fault: the command reads the REC as if the realm had consented.
    const c = faithful.commands.RTT_SET_RIPAS as RmiCommand;
    const consenting = (s: RealState, rec: bigint): RealState => {
      const g = granuleAt(s, Number(rec));
      return g.state === 'REC' ? withGranule(s, Number(rec), { ...g, content: { ...(g.content as Rec), ripasDestroyed: true } }) : s;
    };
    const spec: Spec = { ...faithful, commands: { ...faithful.commands, RTT_SET_RIPAS: { ...c, context: (s, x, cpu, sp) => c.context(consenting(s, x[1] ?? 0n), x, cpu, sp) } } };
    const m = consentless(spec);
    expect(m.log[m.log.length - 1].obs).toMatchObject({ status: { status: 'SUCCESS' } });
    const v = firstTransition(m, spec);
    expect(v.step).toBe(m.log.length - 1);
    expect(v.component).toMatch(/^rtt 0x[0-9a-f]+ entry 3 \(level 3\)$/);
    expect(v.detail).toBe('RIPAS DESTROYED -> RAM by RTT_SET_RIPAS: the realm did not consent (CHANGE_DESTROYED)');
  });

  test('RTT_INIT_RIPAS after activation (its realm_state row dropped) changes the RIM of an ACTIVE realm', () => {
    const c = faithful.commands.RTT_INIT_RIPAS as RmiCommand;
    const spec: Spec = { ...faithful, commands: { ...faithful.commands, RTT_INIT_RIPAS: { ...c, failures: c.failures.filter((f) => f.name !== 'realm_state') } } };
    const m = world({ spec });
    expect(m.status('RTT_INIT_RIPAS', [RD, IPA_EMPTY, IPA_EMPTY + 0x1000])?.status).toBe('SUCCESS');
    const v = firstTransition(m, spec);
    expect(v.component).toBe(`realm 0x${RD.toString(16)} RIM`);
    expect(v.detail).toBe('RTT_INIT_RIPAS changed the RIM of a realm that is ACTIVE');
  });

  test('direct: a RAM page that becomes EMPTY outside RTT_SET_RIPAS is reported', () => {
    const m = world();
    const pre = m.state;
    // Hand-corrupt the state: the level-3 entry of IPA_C goes RAM -> EMPTY under a GRANULE_DELEGATE.
    const isL3 = (c: Content): c is Rtt => c.kind === 'rtt' && c.level === 3 && c.entries[3].hipas === 'ASSIGNED';
    const l3 = [...Array(pre.granules.size).keys()].find((i) => isL3(granuleAt(pre, i * 4096).content))!;
    const g = granuleAt(pre, l3 * 4096);
    const t = g.content as Rtt;
    const entries = t.entries.slice();
    entries[3] = { ...entries[3], ripas: 'EMPTY' };
    const post = withGranule(pre, l3 * 4096, { ...g, content: { ...t, entries } });
    const vs = checkTransitions(pre, post, { kind: 'rmi', cpu: 0, fid: 0xc4000151n, args: [0n] });
    expect(vs).toHaveLength(1);
    expect(vs[0].detail).toBe('RIPAS RAM -> EMPTY by GRANULE_DELEGATE: only the realm may give up RAM');
  });
});
