// Reference §5 "Realm access outcome": one test per row of the table (data access and instruction
// fetch), each reaching its stage-2 state through the public RMI interface.

import { describe, expect, test } from 'vitest';
import { granuleAt } from '../../../real/cca/state';
import {
  ATTR_RW, DATA_C, DATA_E, EC, ESR, G, IPA_A, IPA_AEMPTY, IPA_BEYOND, IPA_C, IPA_EMPTY, IPA_MMIO, IPA_NS_L1, IPA_NS_RO, IPA_NS_RW,
  IPA_URAM, Machine, NS_RO, NS_RW, RD, REASON, REC0, RUN, SPARE, SRC_WORDS, enter, expectExit, expectExitRecord, expectSea, hostRead,
  hpfar, liveRegs, load, mov, step, store, world,
} from './helpers';

function running(m: Machine = world()): Machine {
  enter(m, REC0, RUN);
  return m;
}

const DA = ESR.ec(EC.DABT);
const IA = ESR.ec(EC.IABT);

/** The step exited with a non-emulatable abort (ESR esr, FAR 0, HPFAR of ipa, gprs 0). */
function expectAbortExit(m: Machine, o: ReturnType<typeof step>, esr: bigint, ipa: number): void {
  expectExit(o);
  expectExitRecord(m, RUN, { reason: REASON.SYNC, esr, far: 0n, hpfar: hpfar(ipa) });
  expect(m.state.cpus[0].mode.kind).toBe('host');
}

/** The step was an SEA injected into the realm: no exit, the realm keeps running, registers unchanged. */
function expectSeaNoExit(m: Machine, o: ReturnType<typeof step>, regsBefore: readonly bigint[]): void {
  expectSea(o);
  expect(m.state.cpus[0].mode.kind).toBe('realm');
  expect(liveRegs(m)).toEqual(regsBefore);
}

describe('protected, ASSIGNED + RAM: OK', () => {
  test('load returns the DATA granule content (DATA_CREATE copy); store then load returns the stored value', () => {
    const m = running();
    expect(load(m, IPA_A, 3)).toBe(SRC_WORDS[0]);
    expect(load(m, IPA_A + 8, 4)).toBe(SRC_WORDS[1]);
    mov(m, 5, 0x0123_4567_89ab_cdefn);
    store(m, IPA_A + 0x10, 5);
    expect(load(m, IPA_A + 0x10, 6)).toBe(0x0123_4567_89ab_cdefn);
    expect(liveRegs(m)[6]).toBe(0x0123_4567_89ab_cdefn);
    // Sub-word accesses are little-endian within the word.
    expect(load(m, IPA_A + 0x12, 7, 0, 2)).toBe(0x89abn);
    mov(m, 5, 0xffn);
    store(m, IPA_A + 0x10, 5, 0, 1);
    expect(load(m, IPA_A + 0x10, 6)).toBe(0x0123_4567_89ab_cdffn);
    expect(load(m, IPA_A + 0x17, 6, 0, 1, true)).toBe(0x01n);
    expect(load(m, IPA_A + 0x11, 6, 0, 1, true)).toBe((1n << 64n) - 0x33n); // 0xcd sign-extended
  });

  test('instruction fetch: OK (no exit, no SEA)', () => {
    const m = running();
    const o = step(m, { op: 'fetch', ipa: BigInt(IPA_A) });
    expect(o.exit).toBeUndefined();
    expect(o.event.sea ?? false).toBe(false);
  });

  test('the store really lands in the DATA granule (and the host cannot read it: GPF)', () => {
    const m = running();
    mov(m, 5, 0x77n);
    store(m, IPA_A + 0x20, 5);
    const g = granuleAt(m.state, G(5));
    expect(g.content.kind === 'words' && g.content.words.get(4)).toBe(0x77n);
    expect(m.read(G(5), 1, 1)).toMatchObject({ kind: 'host-read', fault: 'GPF' });
  });
});

describe('protected, RIPAS EMPTY (any HIPAS): SEA injected, no host exit', () => {
  test.each([
    ['UNASSIGNED EMPTY (level 3)', IPA_EMPTY],
    ['ASSIGNED EMPTY (DATA_CREATE_UNKNOWN on an EMPTY entry)', IPA_AEMPTY],
    ['UNASSIGNED EMPTY at level 2 (no level-3 table)', 0x20_0000],
    ['UNASSIGNED EMPTY at level 1 (root entry)', 0x4000_0000],
  ])('%s: load, store and fetch', (_l, ipa) => {
    const m = running();
    mov(m, 3, 0xabcn);
    const before = liveRegs(m).slice();
    expectSeaNoExit(m, step(m, { op: 'load', ipa: BigInt(ipa), reg: 3 }), before);
    expectSeaNoExit(m, step(m, { op: 'store', ipa: BigInt(ipa), reg: 3 }), before);
    expectSeaNoExit(m, step(m, { op: 'fetch', ipa: BigInt(ipa) }), before);
    // Nothing was reported to the host: the run granule's exit half is untouched (all zero).
    expect(hostRead(m, RUN + 0x800, 256).every((v) => v === 0n)).toBe(true);
  });

  test('a store to ASSIGNED EMPTY does not reach the DATA granule', () => {
    const m = running();
    mov(m, 3, 0xabcn);
    expectSea(step(m, { op: 'store', ipa: BigInt(IPA_AEMPTY), reg: 3 }));
    const g = granuleAt(m.state, DATA_E);
    expect(g.content.kind === 'words' && [...g.content.words.values()].every((v) => v === 0n)).toBe(true);
  });
});

describe('protected, UNASSIGNED + RAM: REC exit', () => {
  test('data access: SYNC exit, non-emulatable data abort', () => {
    const m = running();
    expectAbortExit(m, step(m, { op: 'load', ipa: BigInt(IPA_URAM + 8), reg: 2 }), DA | ESR.transl(3), IPA_URAM);
  });
  test('instruction fetch: SYNC exit, instruction abort', () => {
    const m = running();
    expectAbortExit(m, step(m, { op: 'fetch', ipa: BigInt(IPA_URAM) }), IA | ESR.transl(3), IPA_URAM);
  });
});

describe('protected, RIPAS DESTROYED (any HIPAS): REC exit', () => {
  test('UNASSIGNED DESTROYED (DATA_DESTROY of a RAM page): data access → non-emulatable DA; fetch → IA', () => {
    const m = world();
    expect(m.status('DATA_DESTROY', [RD, IPA_C])).toEqual({ status: 'SUCCESS', index: 0 });
    expect(m.rmi('RTT_READ_ENTRY', [RD, IPA_C, 3]).x).toEqual([3n, 0n, 0n, 2n]); // UNASSIGNED, RIPAS DESTROYED
    running(m);
    expectAbortExit(m, step(m, { op: 'store', ipa: BigInt(IPA_C), reg: 2 }), DA | ESR.transl(3), IPA_C);
    enter(m, REC0, RUN);
    expectAbortExit(m, step(m, { op: 'fetch', ipa: BigInt(IPA_C + 4) }), IA | ESR.transl(3), IPA_C);
  });

  test('ASSIGNED DESTROYED (host re-backs the page with DATA_CREATE_UNKNOWN): still an exit, never the new page', () => {
    const m = world();
    expect(m.status('DATA_DESTROY', [RD, IPA_C])?.status).toBe('SUCCESS');
    expect(m.status('DATA_CREATE_UNKNOWN', [RD, DATA_C, IPA_C])?.status).toBe('SUCCESS');
    expect(m.rmi('RTT_READ_ENTRY', [RD, IPA_C, 3]).x[1]).toBe(1n); // ASSIGNED
    running(m);
    expectAbortExit(m, step(m, { op: 'load', ipa: BigInt(IPA_C), reg: 2 }), DA | ESR.transl(3), IPA_C);
    enter(m, REC0, RUN);
    expectAbortExit(m, step(m, { op: 'fetch', ipa: BigInt(IPA_C) }), IA | ESR.transl(3), IPA_C);
  });
});

describe('unprotected, ASSIGNED_NS', () => {
  test('OK: a load returns the NS page’s value, the host sees the realm’s store', () => {
    const m = world();
    m.writeWords(NS_RW + 0x40, [0x1111n, 0x2222n]);
    running(m);
    expect(load(m, IPA_NS_RW + 0x40, 3)).toBe(0x1111n);
    expect(load(m, IPA_NS_RW + 0x48, 3, 0, 4)).toBe(0x2222n);
    mov(m, 4, 0xbeefn);
    store(m, IPA_NS_RW + 0x50, 4);
    expect(hostRead(m, NS_RW + 0x50, 1)).toEqual([0xbeefn]);
    // The host's later write is what the realm reads next (shared memory).
    m.writeWords(NS_RW + 0x40, [0x3333n], 1);
    expect(load(m, IPA_NS_RW + 0x40, 3)).toBe(0x3333n);
    // A read-only mapping can be read.
    m.writeWords(NS_RO, [0x4444n], 1);
    expect(load(m, IPA_NS_RO, 3)).toBe(0x4444n);
  });

  test('S2AP violation (store to a read-only mapping) → non-emulatable DA exit (permission fault)', () => {
    const m = running();
    mov(m, 4, 0xbeefn);
    const o = step(m, { op: 'store', ipa: BigInt(IPA_NS_RO + 8), reg: 4 });
    expectExit(o);
    const esr = hostRead(m, RUN + 0x900, 1)[0];
    expect(esr & ~ESR.IL).toBe(DA | ESR.perm(3)); // reference §7: IL optional here
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr, far: 0n, hpfar: hpfar(IPA_NS_RO) });
    expect(hostRead(m, NS_RO + 8, 1)).toEqual([0n]);
  });

  test('S2AP violation (load from a write-only mapping) → non-emulatable DA exit; the store is allowed', () => {
    const m = world();
    const WO = 0x8000_4000;
    const page = SPARE[0];
    expect(m.status('RTT_MAP_UNPROTECTED', [RD, WO, 3, BigInt(page) | (5n << 2n) | (1n << 7n)])?.status).toBe('SUCCESS');
    running(m);
    mov(m, 4, 0x55n);
    store(m, WO, 4);
    expect(hostRead(m, page, 1)).toEqual([0x55n]);
    expectExit(step(m, { op: 'load', ipa: BigInt(WO), reg: 4 }));
    const esr = hostRead(m, RUN + 0x900, 1)[0];
    expect(esr & ~ESR.IL).toBe(DA | ESR.perm(3));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr, far: 0n, hpfar: hpfar(WO) });
  });

  test('instruction fetch → SEA (no exit), whatever the S2AP', () => {
    const m = running();
    const before = liveRegs(m).slice();
    expectSeaNoExit(m, step(m, { op: 'fetch', ipa: BigInt(IPA_NS_RW) }), before);
    expectSeaNoExit(m, step(m, { op: 'fetch', ipa: BigInt(IPA_NS_RO) }), before);
  });

  test('an ASSIGNED_NS block mapping (level 2) works the same', () => {
    const m = world();
    const ipa = 0x8040_0000; // 2 MB aligned, level-2 entry of the NS level-2 table
    // Output address must be 2 MB aligned; NS memory at PA 0 (the params granule).
    expect(m.status('RTT_MAP_UNPROTECTED', [RD, ipa, 2, 0n | ATTR_RW])?.status).toBe('SUCCESS');
    m.writeWords(G(0) + 0x18, [0x6666n]);
    running(m);
    expect(load(m, ipa + 0x18, 3)).toBe(0x6666n);
  });
});

describe('unprotected, UNASSIGNED_NS: emulatable data abort (MMIO)', () => {
  test('load and store exit with ISV = 1', () => {
    const m = running();
    expectExit(step(m, { op: 'load', ipa: BigInt(IPA_MMIO + 8), reg: 2 }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: DA | ESR.ISV | ESR.sas(8) | ESR.SF | ESR.transl(3), far: 8n, hpfar: hpfar(IPA_MMIO) });
    enter(m, REC0, RUN);
    mov(m, 2, 0x1234n);
    expectExit(step(m, { op: 'store', ipa: BigInt(IPA_NS_L1 + 0x100), reg: 2, size: 4 }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: DA | ESR.ISV | ESR.sas(4) | ESR.WNR | ESR.transl(1), far: 0x100n, hpfar: hpfar(IPA_NS_L1), gprs: { 0: 0x1234n } });
  });

  test('instruction fetch → SEA, no exit', () => {
    const m = running();
    const before = liveRegs(m).slice();
    expectSeaNoExit(m, step(m, { op: 'fetch', ipa: BigInt(IPA_MMIO) }), before);
  });
});

describe('IPA ≥ 2^w: SEA, no exit', () => {
  test.each([IPA_BEYOND, IPA_BEYOND + 0x1000, 2 ** 40, 2 ** 52 - 8])('ipa %s: load, store, fetch', (ipa) => {
    const m = running();
    mov(m, 3, 7n);
    const before = liveRegs(m).slice();
    expectSeaNoExit(m, step(m, { op: 'load', ipa: BigInt(ipa), reg: 3 }), before);
    expectSeaNoExit(m, step(m, { op: 'store', ipa: BigInt(ipa), reg: 3 }), before);
    expectSeaNoExit(m, step(m, { op: 'fetch', ipa: BigInt(ipa) }), before);
  });
});
