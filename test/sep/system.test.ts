// sep as a system of the engine: the faithful model passes a default check with full coverage; every
// A.8 variant is caught for seeds 1-5 with its expected property and a short counterexample; each ideal
// rule is needed (switched off, the faithful model fails on a trace that uses it); the noninterference
// policy is intransitive along the channel graph; the example traces replay with the expected outcomes.

import { describe, expect, test } from 'vitest';
import { readFileSync } from 'fs';
import { join } from 'path';
import { check, decodeTrace, niCheck, runTrace } from '../../properties/engine';
import { CFG, S, g, hvc, ld, lockstep, mov, real, st } from './helpers';
import { pget, pset } from '../../model/pvec';
import type { Action } from '../../real/sep/actions';

describe('faithful model', () => {
  test('a default check (200 traces) shows no violation and covers every group', () => {
    const r = check(S, { seed: 1 });
    expect(r.counterexample?.failing.violations ?? []).toEqual([]);
    for (const grp of r.coverage) if (grp.of !== null) expect(grp.hit / grp.of, `${grp.name} missing ${grp.missing.join(' ')}`).toBeGreaterThanOrEqual(0.9);
  });
});

describe('A.8 variants', () => {
  test.each(S.variants.map((v) => [v.name, v] as const))('%s is caught for seeds 1-5 with a short counterexample', (_n, v) => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = check(S, { variant: v.name, seed });
      const c = r.counterexample;
      expect(c, `seed ${seed}`).not.toBeNull();
      expect(v.expect.split('/').map((x) => x.trim())).toContain(c!.failing.violations[0].property);
      expect(c!.actions.length).toBeLessThanOrEqual(12);
    }
  });
});

describe('the ideal rules are each needed', () => {
  const cases: [string, Action[]][] = [
    ['internal', [mov(0, 1, 1n)]],
    ['channel-copy', [mov(0, 1, 5n), st(0, 0x4000n), ld(2, 0x4000n)]],
    ['notify-request', [hvc(0, 0)]],
    ['igc-fail', [hvc(2, 0)]],
    ['notify-deliver', [hvc(0, 0), { kind: 'irq', core: 2, intid: 15, src: 0 }]],
    ['ext-in', [{ kind: 'device', dev: 1, op: 'input', reg: 0, value: 3n }]],
  ];
  test('the cases name every rule', () => expect(cases.map(([n]) => n).sort()).toEqual([...S.rules].sort()));
  test.each(cases)('with %s off the faithful model fails; with all rules on it passes', (rule, t) => {
    expect(lockstep(t).first).toBeNull();
    const off = lockstep(t, { rules: new Set(S.rules.filter((r) => r !== rule)) });
    expect(off.first).not.toBeNull();
    expect(off.first!.withheld).toContain(rule);
  });
});

describe('P2 intransitive noninterference', () => {
  test('mayFlow follows the channel graph: 0 → 1 → 2, nothing back', () => {
    const s = S.real.init(CFG, S.spec);
    const f = (a: number, b: number) => S.secrets.mayFlow(`guest ${a}`, `guest ${b}`, s);
    expect([f(0, 1), f(0, 2), f(1, 2), f(1, 0), f(2, 0), f(2, 1)]).toEqual([true, true, true, false, false, false]);
  });
  // Guest 1 (the first actor: its secrets vary) writes a secret into its incoming page of channel 0;
  // guest 0, which guest 1 may not reach, then reads its outgoing page.
  const backward: Action[] = [g(2, { op: 'mov', rd: 1, value: 0x1111n, secret: true }), st(2, 0x4000n), ld(0, 0x4000n)];
  test('the faithful model blocks the backward flow', () => {
    expect(niCheck(S, { spec: S.spec, config: CFG }, backward)).toBeNull();
  });
  test('with the receiver page writable, guest 0 observes guest 1\'s secret', () => {
    const v = S.variants.find((x) => x.name === 'receiver-page-writable')!;
    const r = niCheck(S, { spec: v.apply(S.spec), config: CFG }, backward);
    expect(r?.violation.property).toBe('Noninterference');
    expect(r?.index).toBe(2);
    expect(r?.violation.component).toMatch(/^guest 0 observes/);
  });
  test('a secret sent along a channel may reach the receiver (no violation)', () => {
    const fwd: Action[] = [g(0, { op: 'mov', rd: 1, value: 0x2222n, secret: true }), st(0, 0x4000n), ld(2, 0x4000n)];
    expect(niCheck(S, { spec: S.spec, config: CFG }, fwd)).toBeNull();
  });
  test('what reaches a guest through a channel is its incoming pages and mailboxes, nothing of its own or other pages', () => {
    const before = real([]).s;
    const after = real([g(0, { op: 'mov', rd: 1, value: 7n }), st(0, 0x4000n)]).s; // guest 0 writes channel 0 (PA 12)
    const own = real([g(2, { op: 'mov', rd: 1, value: 7n }), st(2, 0x1000n)]).s; // guest 1 writes its own RAM
    const rec = (p: string, s: typeof before) => S.secrets.received!(p, s);
    expect(rec('guest 1', after)).not.toEqual(rec('guest 1', before));
    expect(rec('guest 2', after)).toEqual(rec('guest 2', before)); // channel 0 does not go to guest 2
    expect(rec('guest 1', own)).toEqual(rec('guest 1', before));
    expect(rec('guest 0', after)).toEqual([]); // no channel into guest 0
  });

  // A fault no channel explains: the notification handler also leaves the sender's x1 in a word of the
  // receiver's own RAM (guest 1's IPA page 1 = PA 5). Guest 1 is reachable from guest 0, so only the
  // intransitive check (its channel inputs were equal in both runs) sees it.
  const leaky = { ...S.spec, notify: { ...S.spec.notify, grant: (x: Parameters<typeof S.spec.notify.grant>[0]) => {
    const s = S.spec.notify.grant(x);
    const page = pget(s.mem, 5).slice();
    page[0] = x.s.cores[x.c].x[1];
    return { ...s, mem: pset(s.mem, 5, page) };
  } } };
  const viaNotify: Action[] = [g(0, { op: 'mov', rd: 1, value: 0x3333n, secret: true }), hvc(0, 0), ld(2, 0x1000n)];
  test('a reachable guest that depends on the sender by a path other than the channels is a violation', () => {
    expect(niCheck(S, { spec: S.spec, config: CFG }, viaNotify)).toBeNull();
    const r = niCheck(S, { spec: leaky, config: CFG }, viaNotify);
    expect(r?.violation.property).toBe('Noninterference');
    expect(r?.index).toBe(2);
    expect(r?.violation.component).toMatch(/^guest 1 observes/);
    expect(r?.violation.detail).toMatch(/other than the channels/);
  });
  test('once the channel carried the secret, the receiver may depend on it from then on', () => {
    const sent: Action[] = [g(0, { op: 'mov', rd: 1, value: 0x3333n, secret: true }), st(0, 0x4000n), hvc(0, 0), ld(2, 0x4000n), ld(2, 0x1000n)];
    expect(niCheck(S, { spec: leaky, config: CFG }, sent)).toBeNull();
  });
  test('the transitive receiver (guest 2, reached through guest 1) is held to its own channel only', () => {
    // The secret reaches guest 1 through channel 0; guest 1's leak into guest 2's RAM (not via channel 1) is seen.
    const leak2 = { ...S.spec, notify: { ...S.spec.notify, grant: (x: Parameters<typeof S.spec.notify.grant>[0]) => {
      const s = S.spec.notify.grant(x);
      const page = pget(s.mem, 8).slice(); // guest 2's IPA page 1
      page[0] = x.s.cores[x.c].x[1];
      return { ...s, mem: pset(s.mem, 8, page) };
    } } };
    const t: Action[] = [g(0, { op: 'mov', rd: 1, value: 0x4444n, secret: true }), st(0, 0x4000n), ld(2, 0x4000n), hvc(2, 1), ld(3, 0x1000n)];
    expect(niCheck(S, { spec: S.spec, config: CFG }, t)).toBeNull();
    const r = niCheck(S, { spec: leak2, config: CFG }, t);
    expect(r?.index).toBe(4);
    expect(r?.violation.component).toMatch(/^guest 2 observes/);
  });
});

describe('example traces', () => {
  const dir = join(__dirname, '../../examples/sep');
  const replay = (f: string) => {
    const t = decodeTrace(JSON.parse(readFileSync(join(dir, f), 'utf8')), (n) => (n === 'sep' ? S : undefined));
    if (!t.ok) throw new Error(t.error);
    return runTrace(S, { spec: S.spec, config: t.value.config }, t.value.steps);
  };
  test('notify round trip: GRANT, DROP_BUSY, reception of virq 48, IAR = 48, the channel page, EOIR, GRANT again', () => {
    const r = replay('notify-round-trip.json');
    expect(r.first).toBeNull();
    expect(r.steps.map((s) => (s.real as { label: string }).label)).toEqual([
      'instr:mov', 'mem:store', 'hvc:GRANT', 'hvc:DROP_BUSY', 'irq:igc', 'virq:taken', 'gicc:read', 'mem:load', 'gicc:write', 'hvc:GRANT',
    ]);
    expect(r.steps.map((s) => s.fired.join('+'))).toEqual([
      'internal', 'internal+channel-copy', 'notify-request', 'notify-request', 'notify-deliver', 'internal', 'internal', 'internal', 'internal', 'notify-request',
    ]);
    expect((r.steps[6].real as { ev: unknown }).ev).toEqual({ k: 'value', v: 48n });
    expect((r.steps[7].real as { ev: unknown }).ev).toEqual({ k: 'value', v: 0x1234n });
  });
  test('blocked cross-guest access: aborts with the fixed syndrome, own RAM only, filtered routing, dropped notify, DMA fault', () => {
    const r = replay('blocked-access.json');
    expect(r.first).toBeNull();
    const o = r.steps.map((s) => s.real as { label: string; ev: { k: string; v?: bigint; esr?: bigint; far?: bigint } });
    expect(o.map((x) => x.label)).toEqual([
      'instr:mov', 'abort:data-permission:el1', 'abort:data-translation:el1', 'mem:load', 'instr:mov', 'gicd:ITARGETSR:write',
      'gicd:ITARGETSR:read', 'hvc:DROP_NOT_SENDER', 'dma:fault-write', 'dma:read',
    ]);
    expect(o[1].ev).toMatchObject({ esr: 0x96000010n, far: 0x4000n });
    expect(o[2].ev).toMatchObject({ esr: 0x96000010n, far: 0xb008n });
    expect(o[3].ev.v).toBe(0x50000n);
    expect(o[6].ev.v).toBe(0x3n);
  });
});

describe('without the P4 invariants, the other properties of A.8 still catch the table faults', () => {
  test.each([
    ['golden-off-by-one', ['Observation', 'R2', 'P3']],
    ['receiver-page-writable', ['Observation']],
    ['stage2-left-off', ['Observation', 'P3']],
  ] as const)('%s', (name, props) => {
    const r = check(S, { variant: name, seed: 1, invariants: false });
    expect(props).toContain(r.counterexample?.failing.violations[0].property);
  });
  test('cache-alias: the sender writes through the cache, the receiver\'s uncacheable mapping reads stale memory', () => {
    const v = S.variants.find((x) => x.name === 'cache-alias')!;
    const cfg = { ...CFG, cache: true };
    const t: Action[] = [mov(0, 1, 5n), st(0, 0x4000n), ld(2, 0x4000n, 2)];
    expect(lockstep(t, { cfg }).first).toBeNull();
    const r = runTrace(S, { spec: v.apply(S.spec), config: cfg, invariants: false }, t);
    expect(r.first?.index).toBe(2);
    expect(r.first?.violations[0]).toMatchObject({ property: 'Observation', detail: 'real guest 1 value 0x0 vs ideal guest 1 value 0x5' });
  });
  test('stage2-left-off: after a distributor access guest 1 reads physical page 0 (guest 0\'s memory)', () => {
    const v = S.variants.find((x) => x.name === 'stage2-left-off')!;
    const t: Action[] = [ld(2, 0x8000n), ld(2, 0x0n, 2)];
    const r = runTrace(S, { spec: v.apply(S.spec), config: CFG, invariants: false }, t);
    expect(r.first?.violations[0]).toMatchObject({ property: 'Observation', detail: 'real guest 1 value 0x10000 vs ideal guest 1 value 0x50000' });
  });
});

describe('trace steps decode strictly', () => {
  const d = (u: unknown) => { const r = S.actions.decode(u, '$.steps[0]', CFG); return r.ok ? 'ok' : r.error; };
  test('errors name the JSON path', () => {
    expect(d({ kind: 'guest', core: 4, instr: { op: 'wfi' } })).toBe('$.steps[0].core: core 4 does not exist (4 cores)');
    expect(d({ kind: 'guest', core: 0, instr: { op: 'load', ipa: '0x10', rt: 32 } })).toMatch(/^\$\.steps\[0\]\.instr\.rt: /);
    expect(d({ kind: 'guest', core: 0, instr: { op: 'jump' } })).toMatch(/^\$\.steps\[0\]\.instr\.op: expected one of/);
    expect(d({ kind: 'guest', core: 0, instr: { op: 'wfi', x: 1 } })).toBe('$.steps[0].instr.x: unknown key "x"');
    expect(d({ kind: 'dma', dev: 9, write: true, ipa: 0, value: 0 })).toBe('$.steps[0].dev: device 9 does not exist (3 devices)');
    expect(d({ kind: 'irq', core: 0, intid: 1020, src: 0 })).toBe('$.steps[0].intid: expected an interrupt id 0..1019, got 1020');
    expect(d({ kind: 'device', dev: 0, op: 'zap' })).toMatch(/^\$\.steps\[0\]\.op: /);
    expect(d({ kind: 'guest', core: 0, instr: { op: 'mov', rd: 1, value: '0x1ffffffffffffffff' } })).toMatch(/^\$\.steps\[0\]\.instr\.value: /);
    expect(d({ kind: 'guest', core: 0, instr: { op: 'hvc', imm: 0, args: ['0x1', 2] } })).toBe('ok');
    expect(d({ kind: 'guest', core: 0, instr: { op: 'mov', rd: -1, value: 0 } })).toMatch(/^\$\.steps\[0\]\.instr\.rd: /);
  });
});

describe('exhaustive small scope', () => {
  test('depth 2: the faithful model shows no violation; sgir-unrestricted is found on a two-step trace', async () => {
    const { explore } = await import('../../properties/engine');
    const config = { ...CFG, ...S.actions.smallScope };
    expect(S.config.problems(config)).toEqual([]);
    const ok = explore(S, { spec: S.spec, config, depth: 2 });
    expect(ok.counterexample).toBeNull();
    expect(ok.states).toBeGreaterThan(100);
    const bad = explore(S, { spec: S.variants.find((v) => v.name === 'sgir-unrestricted')!.apply(S.spec), config, depth: 2 });
    expect(bad.counterexample?.actions.length).toBe(2);
  });
});

describe('regression corpus: one shrunk counterexample per variant (examples/sep/variants)', () => {
  const dir = join(__dirname, '../../examples/sep/variants');
  test.each(S.variants.map((v) => [v.name] as const))('%s replays to its expected violation', (name) => {
    const u = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
    const t = decodeTrace(u, (n) => (n === 'sep' ? S : undefined));
    if (!t.ok) throw new Error(t.error);
    const v = S.variants.find((x) => x.name === t.value.variant)!;
    const r = runTrace(S, { spec: v.apply(S.spec), config: t.value.config }, t.value.steps);
    expect(r.first?.index).toBe(u.expect.step);
    expect(r.first?.violations[0]).toMatchObject({ property: u.expect.property, component: u.expect.component });
    // the faithful model passes the same trace
    expect(runTrace(S, { spec: S.spec, config: t.value.config }, t.value.steps).first).toBeNull();
  });
});
