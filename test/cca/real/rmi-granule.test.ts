// GRANULE_DELEGATE / GRANULE_UNDELEGATE (reference §1 G(x,S), §2 GPT, §3 GST, §6).
import { describe, expect, test } from 'vitest';
import {
  G, MAX64, OUT_OF_BOUNDS, Z, delegate, expectFail, expectOk, expectOtherGranulesUntouched, gr, hostReadAll, isZeroGranule,
  machine, misaligned, wrongStates, zoo,
} from './fixtures-extra';

describe('GRANULE_DELEGATE failure rows (gran_align, gran_bound, gran_state, gran_gpt)', () => {
  test.each(misaligned(G(20)))('gran_align: addr %s', (addr) => {
    expectFail(zoo(), 'GRANULE_DELEGATE', [addr], 'ERROR_INPUT', 0, 'gran_align');
  });

  test.each(OUT_OF_BOUNDS)('gran_bound: addr %s (MMIO / beyond the PA range)', (addr) => {
    expectFail(zoo(), 'GRANULE_DELEGATE', [addr], 'ERROR_INPUT', 0, 'gran_bound');
  });

  // Secure and Root granules are UNDELEGATED in the GST: they pass gran_state and fail gran_gpt.
  test.each(wrongStates('UNDELEGATED'))('gran_state: granule in state %s', (_label, pa) => {
    expectFail(zoo(), 'GRANULE_DELEGATE', [pa], 'ERROR_INPUT', 0, 'gran_state');
  });

  test.each([
    ['Secure', Z.SECURE],
    ['Root', Z.ROOTPAS],
  ])('gran_gpt: %s PAS memory is never delegable', (_label, pa) => {
    const m = zoo();
    expect(gr(m, pa).state).toBe('UNDELEGATED');
    expectFail(m, 'GRANULE_DELEGATE', [pa], 'ERROR_INPUT', 0, 'gran_gpt');
    expect(gr(m, pa).pas).not.toBe('REALM');
  });

  test('order: a misaligned address inside a Secure granule fails gran_align, not gran_gpt', () => {
    expectFail(zoo(), 'GRANULE_DELEGATE', [Z.SECURE + 8], 'ERROR_INPUT', 0, 'gran_align');
  });

  test('a second delegate of the same granule fails gran_state', () => {
    const m = machine();
    expectOk(m, 'GRANULE_DELEGATE', [G(5)]);
    expectFail(m, 'GRANULE_DELEGATE', [G(5)], 'ERROR_INPUT', 0, 'gran_state');
  });
});

describe('GRANULE_DELEGATE success', () => {
  test('UNDELEGATED (GPT NS) -> DELEGATED (GPT Realm), zeroed; host loses access; nothing else changes', () => {
    const m = machine();
    const pa = G(20);
    expect(m.writeWords(pa, [0xdeadbeefn, 1n, MAX64]).kind).toBe('host-write');
    m.writeWords(pa + 0xff8, [0x1234n]);
    expect(hostReadAll(m, pa)[0]).toBe(0xdeadbeefn);
    const before = m.state;
    const obs = expectOk(m, 'GRANULE_DELEGATE', [pa]);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
    const g = gr(m, pa);
    expect({ state: g.state, pas: g.pas, refcount: g.refcount }).toEqual({ state: 'DELEGATED', pas: 'REALM', refcount: 0 });
    expect(isZeroGranule(g)).toBe(true); // content of DELEGATED is always zero (§3, invariant 1)
    // Host (NS) access to a Realm-PAS granule is a granule protection fault (§2).
    const r = m.read(pa);
    expect(r.kind === 'host-read' && r.fault).toBe('GPF');
    expectOtherGranulesUntouched(before, m.state, [pa]);
    expect(m.state.vmids).toBe(before.vmids);
  });

  test('round trip: delegate then undelegate: the host reads zeros where it wrote data', () => {
    const m = machine();
    const pa = G(33);
    m.writeWords(pa, Array.from({ length: 16 }, (_, i) => BigInt(i + 1) * 0x0101010101010101n));
    delegate(m, pa);
    expectOk(m, 'GRANULE_UNDELEGATE', [pa]);
    expect(hostReadAll(m, pa).every((v) => v === 0n)).toBe(true);
  });
});

describe('GRANULE_UNDELEGATE failure rows (gran_align, gran_bound, gran_state)', () => {
  test.each(misaligned(Z.DELEGATED))('gran_align: addr %s', (addr) => {
    expectFail(zoo(), 'GRANULE_UNDELEGATE', [addr], 'ERROR_INPUT', 0, 'gran_align');
  });

  test.each(OUT_OF_BOUNDS)('gran_bound: addr %s', (addr) => {
    expectFail(zoo(), 'GRANULE_UNDELEGATE', [addr], 'ERROR_INPUT', 0, 'gran_bound');
  });

  test.each(wrongStates('DELEGATED'))('gran_state: granule in state %s', (_label, pa) => {
    expectFail(zoo(), 'GRANULE_UNDELEGATE', [pa], 'ERROR_INPUT', 0, 'gran_state');
  });
});

describe('GRANULE_UNDELEGATE success', () => {
  test('DELEGATED -> UNDELEGATED (GPT NS); host can access it again; nothing else changes', () => {
    const m = zoo();
    const pa = Z.DELEGATED;
    const before = m.state;
    const obs = expectOk(m, 'GRANULE_UNDELEGATE', [pa]);
    expect(obs.x).toEqual([0n, 0n, 0n, 0n]);
    const g = gr(m, pa);
    expect({ state: g.state, pas: g.pas, refcount: g.refcount }).toEqual({ state: 'UNDELEGATED', pas: 'NS', refcount: 0 });
    expect(hostReadAll(m, pa).every((v) => v === 0n)).toBe(true);
    expectOtherGranulesUntouched(before, m.state, [pa]);
    // ...and it can be delegated again.
    expectOk(m, 'GRANULE_DELEGATE', [pa]);
    expect(gr(m, pa).state).toBe('DELEGATED');
  });

  test('undelegate twice: the second fails gran_state', () => {
    const m = machine();
    delegate(m, G(7));
    expectOk(m, 'GRANULE_UNDELEGATE', [G(7)]);
    expectFail(m, 'GRANULE_UNDELEGATE', [G(7)], 'ERROR_INPUT', 0, 'gran_state');
  });
});
