// Reference §7 RSI calls (realm → RMM): VERSION, FEATURES, MEASUREMENT_READ / EXTEND,
// ATTESTATION_TOKEN_INIT / CONTINUE, REALM_CONFIG, HOST_CALL; HVC (UNDEF) and unknown SMCs.

import { describe, expect, test } from 'vitest';
import { Machine as M } from '../../../real/cca/machine';
import {
  IPA_B, IPA_D, IPA_EMPTY, IPA_URAM, MAX64, Machine, PAR_TOP, REASON, REC0, RSI, RSI_ERROR_INPUT, RSI_ERROR_STATE, RSI_INCOMPLETE,
  RSI_OK, RUN, call, enter, expectCheckerAgrees, expectExit, expectExitRecord, expectNoSecrets, hpfar, liveRegs, load, mov, plantSecrets,
  poke, rdAt, smc, step, world,
} from './helpers';

const V1_0 = 1n << 16n; // RSI ABI version 1.0: major << 16 | minor

function running(): Machine {
  const m = world();
  enter(m, REC0, RUN);
  return m;
}
/** A copy of the machine's current state, to compare two futures. */
const fork = (m: Machine): Machine => new M(m.spec, m.state.cfg, m.state);

describe('VERSION / FEATURES', () => {
  test('VERSION(1.0) → SUCCESS, X1 = X2 = 1.0; an unsupported request → ERROR_INPUT with the same X1/X2', () => {
    const m = running();
    expect(call(m, [RSI.VERSION, V1_0]).slice(0, 3)).toEqual([RSI_OK, V1_0, V1_0]);
    expect(call(m, [RSI.VERSION, 2n << 16n]).slice(0, 3)).toEqual([RSI_ERROR_INPUT, V1_0, V1_0]);
  });
  test('FEATURES(index) → SUCCESS, X1 = 0', () => {
    const m = running();
    expect(call(m, [RSI.FEATURES, 0, 0x77]).slice(0, 2)).toEqual([RSI_OK, 0n]);
  });
});

describe('MEASUREMENT_READ / MEASUREMENT_EXTEND', () => {
  const read = (m: Machine, i: number) => {
    const r = call(m, [RSI.MEASUREMENT_READ, i]);
    expect(r[0]).toBe(RSI_OK);
    return r.slice(1, 9);
  };

  test('READ index 0..4 → SUCCESS (0 = RIM as the RMM holds it, REMs start at zero); index 5 → ERROR_INPUT', () => {
    const m = running();
    expect(read(m, 0)[0]).toBe(rdAt(m).measurements[0]);
    expect(read(m, 0)[0]).not.toBe(0n);
    for (let i = 1; i <= 4; i++) expect(read(m, i)).toEqual([0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
    expect(call(m, [RSI.MEASUREMENT_READ, 5])[0]).toBe(RSI_ERROR_INPUT);
    expect(call(m, [RSI.MEASUREMENT_READ, MAX64])[0]).toBe(RSI_ERROR_INPUT);
  });

  test('EXTEND changes exactly the REM named; the RIM never changes; the result depends on value and order', () => {
    const m = running();
    const rim = read(m, 0);
    expect(call(m, [RSI.MEASUREMENT_EXTEND, 2, 8, 0x1234])[0]).toBe(RSI_OK);
    const rem2 = read(m, 2);
    expect(rem2[0]).not.toBe(0n);
    expect(read(m, 0)).toEqual(rim);
    for (const i of [1, 3, 4]) expect(read(m, i)[0]).toBe(0n);

    // Same history → same REM; different value or order → different REM.
    const a = fork(m), b = fork(m), c = fork(m);
    call(a, [RSI.MEASUREMENT_EXTEND, 2, 8, 0x1]);
    call(a, [RSI.MEASUREMENT_EXTEND, 2, 8, 0x2]);
    call(b, [RSI.MEASUREMENT_EXTEND, 2, 8, 0x2]);
    call(b, [RSI.MEASUREMENT_EXTEND, 2, 8, 0x1]);
    call(c, [RSI.MEASUREMENT_EXTEND, 2, 8, 0x1]);
    call(c, [RSI.MEASUREMENT_EXTEND, 2, 8, 0x2]);
    expect(read(a, 2)).toEqual(read(c, 2));
    expect(read(a, 2)).not.toEqual(read(b, 2));
    expect(read(a, 2)).not.toEqual(rem2);
    expect(read(a, 0)).toEqual(rim);
  });

  test('EXTEND measures `size` bytes only: words beyond the size do not matter', () => {
    const m = running();
    const a = fork(m), b = fork(m);
    call(a, [RSI.MEASUREMENT_EXTEND, 1, 8, 0x55, 0xaaaa]);
    call(b, [RSI.MEASUREMENT_EXTEND, 1, 8, 0x55, 0xbbbb]);
    expect(read(a, 1)).toEqual(read(b, 1));
    const c = fork(m), d = fork(m);
    call(c, [RSI.MEASUREMENT_EXTEND, 1, 16, 0x55, 0xaaaa]);
    call(d, [RSI.MEASUREMENT_EXTEND, 1, 16, 0x55, 0xbbbb]);
    expect(read(c, 1)).not.toEqual(read(d, 1));
  });

  test.each([
    ['index 0 (the RIM)', 0, 8],
    ['index 5', 5, 8],
    ['size 65', 1, 65],
  ])('EXTEND %s → ERROR_INPUT, nothing changes', (_l, idx, size) => {
    const m = running();
    const before = rdAt(m).measurements;
    expect(call(m, [RSI.MEASUREMENT_EXTEND, idx, size, 1])[0]).toBe(RSI_ERROR_INPUT);
    expect(rdAt(m).measurements).toEqual(before);
  });

  test('the host cannot change REMs or the RIM: a REALM_ACTIVATE / DATA_CREATE after activation fails', () => {
    const m = running();
    const rim = read(m, 0);
    expect(m.status('REALM_ACTIVATE', [0x1000], 1)?.status).toBe('ERROR_REALM');
    expect(read(m, 0)).toEqual(rim);
  });
});

describe('ATTESTATION_TOKEN_INIT / CONTINUE', () => {
  const MARK = 0x6d61_726bn;
  /** Fills the output page with a marker so the bytes the RMM writes are visible. */
  function markPage(m: Machine) {
    for (let k = 0; k < 16; k++) poke(m, IPA_D + 8 * k, MARK);
  }
  const pageWords = (m: Machine, n = 16) => Array.from({ length: n }, (_, k) => load(m, IPA_D + 8 * k, 20));

  test('CONTINUE without INIT → ERROR_STATE', () => {
    const m = running();
    expect(call(m, [RSI.ATTESTATION_TOKEN_CONTINUE, IPA_D, 0, 64])[0]).toBe(RSI_ERROR_STATE);
  });

  test('INIT → SUCCESS, X1 = max token size; CONTINUE → INCOMPLETE then SUCCESS; the bytes land in realm memory', () => {
    const m = running();
    markPage(m);
    const init = call(m, [RSI.ATTESTATION_TOKEN_INIT, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
    expect(init[0]).toBe(RSI_OK);
    const max = Number(init[1]);
    expect(max).toBeGreaterThanOrEqual(16);
    expect(max % 16).toBe(0);
    const half = max / 2;
    // First half: INCOMPLETE, X1 = bytes written, at [0, half) of the page; the rest untouched.
    const c1 = call(m, [RSI.ATTESTATION_TOKEN_CONTINUE, IPA_D, 0, half]);
    expect(c1.slice(0, 2)).toEqual([RSI_INCOMPLETE, BigInt(half)]);
    const after1 = pageWords(m);
    expect(after1.slice(0, half / 8).every((w) => w !== MARK)).toBe(true);
    expect(after1.slice(half / 8)).toEqual(new Array(16 - half / 8).fill(MARK));
    // Second part at offset `half`, with room for more than what is left: SUCCESS, X1 = what was left.
    const c2 = call(m, [RSI.ATTESTATION_TOKEN_CONTINUE, IPA_D, half, 4096 - half]);
    expect(c2.slice(0, 2)).toEqual([RSI_OK, BigInt(max - half)]);
    const after2 = pageWords(m);
    expect(after2.slice(0, half / 8)).toEqual(after1.slice(0, half / 8));
    expect(after2.slice(half / 8, max / 8).every((w) => w !== MARK)).toBe(true);
    // The token is finished: another CONTINUE needs a new INIT.
    expect(call(m, [RSI.ATTESTATION_TOKEN_CONTINUE, IPA_D, 0, 64])[0]).toBe(RSI_ERROR_STATE);
    expectCheckerAgrees(m);
  });

  test('the token depends on the challenge; INIT restarts an ongoing token', () => {
    const m = running();
    const a = fork(m), b = fork(m);
    // The challenge is X1..X8: all eight are set at every INIT.
    const init = (x: Machine, c: number) => call(x, [RSI.ATTESTATION_TOKEN_INIT, c, 0, 0, 0, 0, 0, 0, 0]);
    init(a, 1);
    init(b, 2);
    call(a, [RSI.ATTESTATION_TOKEN_CONTINUE, IPA_D, 0, 16]);
    call(b, [RSI.ATTESTATION_TOKEN_CONTINUE, IPA_D, 0, 16]);
    const ta = pageWords(a, 2), tb = pageWords(b, 2);
    expect(ta).not.toEqual(tb);
    // a: re-INIT with challenge 1 and read the first chunk again at another offset: the same bytes.
    init(a, 1);
    expect(call(a, [RSI.ATTESTATION_TOKEN_CONTINUE, IPA_D, 0x100, 16]).slice(0, 2)).toEqual([RSI_INCOMPLETE, 16n]);
    expect([load(a, IPA_D + 0x100, 20), load(a, IPA_D + 0x108, 20)]).toEqual(ta);
  });

  test.each([
    ['ipa not granule aligned', IPA_D + 8, 0, 16],
    ['ipa outside the PAR', PAR_TOP + 0x1000, 0, 16],
    ['offset ≥ 4 KB', IPA_D, 4096, 0],
    ['offset + size > 4 KB', IPA_D, 4000, 200],
    ['size overflowing', IPA_D, 8, 2 ** 63],
  ])('CONTINUE: %s → ERROR_INPUT', (_l, ipa, off, size) => {
    const m = running();
    call(m, [RSI.ATTESTATION_TOKEN_INIT, 1]);
    expect(call(m, [RSI.ATTESTATION_TOKEN_CONTINUE, ipa, off, BigInt(size)])[0]).toBe(RSI_ERROR_INPUT);
  });

  test('CONTINUE into RIPAS EMPTY → ERROR_INPUT; into UNASSIGNED RAM → emulated data abort exit, the call is retried', () => {
    const m = running();
    call(m, [RSI.ATTESTATION_TOKEN_INIT, 1]);
    expect(call(m, [RSI.ATTESTATION_TOKEN_CONTINUE, IPA_EMPTY, 0, 16])[0]).toBe(RSI_ERROR_INPUT);
    const secrets = plantSecrets(m, 21);
    const pc = m.state.cpus[0].pc;
    expectExit(smc(m, [RSI.ATTESTATION_TOKEN_CONTINUE, IPA_URAM, 0, 16]));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: (0x24n << 26n) | 7n, far: 0n, hpfar: hpfar(IPA_URAM) });
    expectNoSecrets(m, secrets);
    enter(m, REC0, RUN);
    // Retried: the PC is still at the SMC and the arguments are intact.
    expect(m.state.cpus[0].pc).toBe(pc + 4n * 4n); // four movs before the SMC
    expect(liveRegs(m).slice(0, 4)).toEqual([RSI.ATTESTATION_TOKEN_CONTINUE, BigInt(IPA_URAM), 0n, 16n]);
  });
});

describe('REALM_CONFIG', () => {
  test('writes ipa_width at offset 0 (and hash_algo at 8) of the given page', () => {
    const m = running();
    poke(m, IPA_D, 0xffffn);
    poke(m, IPA_D + 8, 0xffffn);
    expect(call(m, [RSI.REALM_CONFIG, IPA_D])[0]).toBe(RSI_OK);
    expect(load(m, IPA_D, 1)).toBe(32n);
    expect(load(m, IPA_D + 8, 1)).toBe(0n); // SHA-256 (realm params hash_algo 0)
    expectCheckerAgrees(m);
  });
  test.each([
    ['unaligned', IPA_D + 8],
    ['outside the PAR', PAR_TOP],
    ['RIPAS EMPTY', IPA_EMPTY],
  ])('%s → ERROR_INPUT', (_l, ipa) => {
    const m = running();
    expect(call(m, [RSI.REALM_CONFIG, ipa])[0]).toBe(RSI_ERROR_INPUT);
  });
  test('UNASSIGNED RAM → emulated data abort exit', () => {
    const m = running();
    expectExit(smc(m, [RSI.REALM_CONFIG, IPA_URAM]));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: (0x24n << 26n) | 7n, far: 0n, hpfar: hpfar(IPA_URAM) });
  });
});

describe('HOST_CALL', () => {
  test.each([
    ['the structure crosses a granule', IPA_B + 0xf08],
    ['RIPAS EMPTY', IPA_EMPTY],
    ['outside the PAR', PAR_TOP + 0x100],
  ])('%s → ERROR_INPUT, no exit', (_l, ipa) => {
    const m = running();
    expect(call(m, [RSI.HOST_CALL, ipa])[0]).toBe(RSI_ERROR_INPUT);
    expect(m.state.cpus[0].mode.kind).toBe('realm');
  });

  test('the structure may end exactly at the granule end', () => {
    const m = running();
    expectExit(smc(m, [RSI.HOST_CALL, IPA_B + 0xf00]));
  });

  test('the host’s answer (entry.gprs) lands in the structure; imm untouched; X0 = SUCCESS, other registers kept', () => {
    const m = running();
    const s = IPA_B + 0x300;
    poke(m, s, 0x9n);
    for (let k = 0; k < 31; k++) poke(m, s + 8 + 8 * k, 0x300n + BigInt(k));
    const secrets = plantSecrets(m, 22, 0, 2);
    expectExit(smc(m, [RSI.HOST_CALL, s]));
    const gprs: Record<number, bigint> = {};
    for (let k = 0; k < 31; k++) gprs[k] = 0x300n + BigInt(k);
    expectExitRecord(m, RUN, { reason: REASON.HOST_CALL, imm: 9n, gprs });
    expectNoSecrets(m, secrets);

    const answer = Array.from({ length: 31 }, (_, k) => 0xa000n + BigInt(k));
    enter(m, REC0, RUN, { gprs: answer });
    expect(liveRegs(m)[0]).toBe(RSI_OK);
    expect(liveRegs(m).slice(2, 31)).toEqual(secrets);
    expect(load(m, s, 1)).toBe(9n);
    for (let k = 0; k < 31; k++) expect(load(m, s + 8 + 8 * k, 1)).toBe(answer[k]);
    // Words next to the structure are untouched.
    expect(load(m, s + 0x100, 1)).toBe(0n);
    expectCheckerAgrees(m);
  });

  test('structure in UNASSIGNED RAM → emulated data abort exit (the host must back it first)', () => {
    const m = running();
    expectExit(smc(m, [RSI.HOST_CALL, IPA_URAM + 0x100]));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: (0x24n << 26n) | 7n, far: 0n, hpfar: hpfar(IPA_URAM) });
  });
});

describe('HVC and unknown SMCs', () => {
  test('HVC → UNDEF injected into the realm; no exit; registers unchanged', () => {
    const m = running();
    mov(m, 0, 0xc4000199n);
    const regs = liveRegs(m).slice();
    const o = step(m, { op: 'hvc' });
    expect(o.exit).toBeUndefined();
    expect(o.event.undef).toBe(true);
    expect(liveRegs(m)).toEqual(regs);
  });

  test.each([
    ['an unallocated RSI function ID', 0xc40001a0n],
    ['an RMI function ID', 0xc4000150n],
    ['an arbitrary SMC', 0x8200_0000n],
    ['2^64-1', MAX64],
  ])('%s → X0 = SMCCC NOT_SUPPORTED (2^64-1), X1.. unchanged, no exit', (_l, fid) => {
    const m = running();
    const r = call(m, [fid, 0x11, 0x22]);
    expect(r.slice(0, 3)).toEqual([MAX64, 0x11n, 0x22n]);
    expect(m.state.cpus[0].mode.kind).toBe('realm');
  });
});
