// Reference §6 RTT_SET_RIPAS and §7 RSI_IPA_STATE_SET / IPA_STATE_GET: a realm-requested RIPAS
// change goes out as a RIPAS_CHANGE exit, the host applies it with RTT_SET_RIPAS (one or more
// calls, one RTT at a time, no splitting), and the realm learns the outcome at its next entry
// (X0 = SUCCESS, X1 = first address not changed, X2 = ACCEPT / REJECT). Also the RTT_SET_RIPAS
// failure rows that need a pending request.

import { describe, expect, test } from 'vitest';
import {
  ACCEPT, DATA_A, FLAGS, IPA_A, IPA_AEMPTY, IPA_B, IPA_C, IPA_D, IPA_EMPTY, IPA_URAM, Machine, PAR_TOP, RD, REASON, REC0, REC_B, REJECT, RIPAS, RSI,
  RSI_ERROR_INPUT, RSI_OK, RUN, SPARE, delegate, enter, expectCheckerAgrees, expectExit, expectExitRecord, expectSea, liveRegs, load, rdAt,
  recAt, smc, step, world, call,
} from './helpers';

/** RTT_READ_ENTRY(ipa, level) → [walk level, state, desc, ripas]. */
const entry = (m: Machine, ipa: number, level = 3) => m.rmi('RTT_READ_ENTRY', [RD, ipa, level]).x;

/** REC0 (running) asks for [base, top) → ripas; the RIPAS_CHANGE exit is asserted. */
function request(m: Machine, base: number, top: number, ripas: bigint, flags = 0n): void {
  expectExit(smc(m, [RSI.IPA_STATE_SET, base, top, ripas, flags]));
  expectExitRecord(m, RUN, { reason: REASON.RIPAS_CHANGE, ripasBase: BigInt(base), ripasTop: BigInt(top), ripasValue: ripas });
}
function running(m: Machine = world()): Machine {
  enter(m, REC0, RUN);
  return m;
}
/** RTT_SET_RIPAS succeeds with X1 = newTop. */
function setRipas(m: Machine, base: number, top: number, newTop: number, rec = REC0): void {
  const o = m.rmi('RTT_SET_RIPAS', [RD, rec, base, top]);
  expect({ status: o.status, failed: o.failed }).toEqual({ status: { status: 'SUCCESS', index: 0 }, failed: undefined });
  expect(o.x).toEqual([BigInt(newTop), 0n, 0n, 0n]);
}
/** RTT_SET_RIPAS fails with status/index at `row`, changing nothing. */
function setRipasFails(m: Machine, args: (number | bigint)[], status: string, index: number, row: string, cpu = 0): void {
  const before = m.state;
  const o = m.rmi('RTT_SET_RIPAS', args, cpu);
  expect({ status: o.status, failed: o.failed }).toEqual({ status: { status, index }, failed: row });
  expect(m.state).toBe(before);
}
/** Re-enters REC0 and returns X0..X2 (the IPA_STATE_SET result). */
function result(m: Machine, flags = 0n): bigint[] {
  enter(m, REC0, RUN, { flags });
  return liveRegs(m).slice(0, 3);
}
const stateGet = (m: Machine, base: number, end: number) => call(m, [RSI.IPA_STATE_GET, base, end]).slice(0, 3);

describe('EMPTY → RAM, applied in one call', () => {
  test('exit, RTT_SET_RIPAS, X0/X1/X2 at re-entry, the realm view, RIM unchanged', () => {
    const m = running();
    const rim = rdAt(m).measurements[0];
    expect(stateGet(m, 0x10000, 0x12000)).toEqual([RSI_OK, 0x12000n, RIPAS.EMPTY]);
    expectSea(step(m, { op: 'load', ipa: 0x10000n, reg: 1 }));
    request(m, 0x10000, 0x12000, RIPAS.RAM);
    setRipas(m, 0x10000, 0x12000, 0x12000);
    expect(entry(m, 0x10000)).toEqual([3n, 0n, 0n, RIPAS.RAM]);
    expect(entry(m, 0x11000)).toEqual([3n, 0n, 0n, RIPAS.RAM]);
    expect(entry(m, 0x12000)).toEqual([3n, 0n, 0n, RIPAS.EMPTY]);
    expect(result(m)).toEqual([RSI_OK, 0x12000n, ACCEPT]);
    expect(stateGet(m, 0x10000, 0x13000)).toEqual([RSI_OK, 0x12000n, RIPAS.RAM]);
    // RAM but not backed: an access is now the host's problem (exit), not an SEA.
    expectExit(step(m, { op: 'load', ipa: 0x11008n, reg: 1 }));
    expectExitRecord(m, RUN, { reason: REASON.SYNC, esr: (0x24n << 26n) | 7n, far: 0n, hpfar: 0x11n << 4n });
    expect(rdAt(m).measurements[0]).toBe(rim);
    // The request is closed: the host cannot apply it again.
    setRipasFails(m, [RD, REC0, 0x12000, 0x13000], 'ERROR_INPUT', 0, 'top_bound');
    expectCheckerAgrees(m);
  });
});

describe('two calls, partial application, REJECT', () => {
  test('host applies [base, mid) then [mid, top): X1 = top', () => {
    const m = running();
    request(m, 0x10000, 0x14000, RIPAS.RAM);
    setRipas(m, 0x10000, 0x12000, 0x12000);
    setRipasFails(m, [RD, REC0, 0x10000, 0x14000], 'ERROR_INPUT', 0, 'base_bound'); // base moved on
    expect(recAt(m, REC0).ripasAddr).toBe(0x12000);
    setRipas(m, 0x12000, 0x14000, 0x14000);
    expect(result(m)).toEqual([RSI_OK, 0x14000n, ACCEPT]);
    expect(stateGet(m, 0x10000, 0x14000)).toEqual([RSI_OK, 0x14000n, RIPAS.RAM]);
    expectCheckerAgrees(m);
  });

  test('host applies only [base, mid) and rejects: X1 = mid, X2 = REJECT; the rest is unchanged', () => {
    const m = running();
    request(m, 0x10000, 0x14000, RIPAS.RAM);
    setRipas(m, 0x10000, 0x12000, 0x12000);
    expect(result(m, FLAGS.RIPAS_RESPONSE)).toEqual([RSI_OK, 0x12000n, REJECT]);
    expect(stateGet(m, 0x10000, 0x14000)).toEqual([RSI_OK, 0x12000n, RIPAS.RAM]);
    expect(stateGet(m, 0x12000, 0x14000)).toEqual([RSI_OK, 0x14000n, RIPAS.EMPTY]);
    expectCheckerAgrees(m);
  });

  test('host applies nothing: X1 = base; ACCEPT unless RIPAS_RESPONSE', () => {
    const m = running();
    request(m, 0x10000, 0x14000, RIPAS.RAM);
    expect(result(m)).toEqual([RSI_OK, 0x10000n, ACCEPT]);
    request(m, 0x10000, 0x14000, RIPAS.RAM);
    expect(result(m, FLAGS.RIPAS_RESPONSE)).toEqual([RSI_OK, 0x10000n, REJECT]);
    expect(stateGet(m, 0x10000, 0x14000)).toEqual([RSI_OK, 0x14000n, RIPAS.EMPTY]);
  });

  test('RIPAS_RESPONSE on an entry that does not answer a RIPAS change has no effect on the registers', () => {
    const m = running();
    expectExit(step(m, { op: 'irq' }));
    const saved = recAt(m, REC0).regs.slice(0, 31);
    enter(m, REC0, RUN, { flags: FLAGS.RIPAS_RESPONSE });
    expect(liveRegs(m).slice(0, 31)).toEqual(saved);
  });
});

describe('RAM ↔ EMPTY on ASSIGNED entries', () => {
  test('RAM → EMPTY: the DATA stays mapped (ASSIGNED, EMPTY) but every access is an SEA; back to RAM: accessible again', () => {
    const m = running();
    expect(load(m, IPA_A, 1)).toBe(0xa0n);
    request(m, IPA_A, IPA_C, RIPAS.EMPTY);
    setRipas(m, IPA_A, IPA_C, IPA_C);
    expect(entry(m, IPA_A)).toEqual([3n, 1n, BigInt(DATA_A), RIPAS.EMPTY]);
    expect(entry(m, IPA_C)[3]).toBe(RIPAS.RAM);
    expect(result(m)).toEqual([RSI_OK, BigInt(IPA_C), ACCEPT]);
    expect(stateGet(m, IPA_A, IPA_D)).toEqual([RSI_OK, BigInt(IPA_C), RIPAS.EMPTY]);
    expectSea(step(m, { op: 'load', ipa: BigInt(IPA_A), reg: 1 }));
    expectSea(step(m, { op: 'store', ipa: BigInt(IPA_B + 8), reg: 1 }));
    expectSea(step(m, { op: 'fetch', ipa: BigInt(IPA_B) }));

    request(m, IPA_A, IPA_B, RIPAS.RAM);
    setRipas(m, IPA_A, IPA_B, IPA_B);
    expect(result(m)).toEqual([RSI_OK, BigInt(IPA_B), ACCEPT]);
    const o = step(m, { op: 'load', ipa: BigInt(IPA_A), reg: 1 });
    expect(o.exit).toBeUndefined();
    expect(o.event.sea ?? false).toBe(false);
    expectCheckerAgrees(m);
  });

  test('EMPTY → RAM on a DATA_CREATE_UNKNOWN page: becomes readable (zero content)', () => {
    const m = running();
    expectSea(step(m, { op: 'load', ipa: BigInt(IPA_AEMPTY), reg: 1 }));
    request(m, IPA_AEMPTY, IPA_AEMPTY + 0x1000, RIPAS.RAM);
    setRipas(m, IPA_AEMPTY, IPA_AEMPTY + 0x1000, IPA_AEMPTY + 0x1000);
    result(m);
    expect(load(m, IPA_AEMPTY + 8, 1)).toBe(0n);
  });

  test('a range mixing ASSIGNED and UNASSIGNED entries changes all of them in one call', () => {
    const m = running();
    request(m, IPA_C, IPA_EMPTY, RIPAS.EMPTY); // IPA_C: ASSIGNED RAM, IPA_URAM: UNASSIGNED RAM
    setRipas(m, IPA_C, IPA_EMPTY, IPA_EMPTY);
    expect(entry(m, IPA_C)[3]).toBe(RIPAS.EMPTY);
    expect(entry(m, IPA_URAM)).toEqual([3n, 0n, 0n, RIPAS.EMPTY]);
  });
});

describe('RIPAS DESTROYED changes only with CHANGE_DESTROYED (flags bit 0)', () => {
  function destroyed(): Machine {
    const m = world();
    expect(m.status('DATA_DESTROY', [RD, IPA_C])?.status).toBe('SUCCESS');
    expect(entry(m, IPA_C)).toEqual([3n, 0n, 0n, RIPAS.DESTROYED]);
    return running(m);
  }

  test('without the flag: no progress (ERROR_RTT(3)); the realm learns nothing changed', () => {
    const m = destroyed();
    request(m, IPA_C, IPA_C + 0x1000, RIPAS.RAM, 0n);
    setRipasFails(m, [RD, REC0, IPA_C, IPA_C + 0x1000], 'ERROR_RTT', 3, 'no_progress');
    expect(result(m)).toEqual([RSI_OK, BigInt(IPA_C), ACCEPT]);
    expect(stateGet(m, IPA_C, IPA_URAM)).toEqual([RSI_OK, BigInt(IPA_URAM), RIPAS.DESTROYED]);
  });

  test('without the flag, the walk stops at the DESTROYED entry: X1 = its address', () => {
    const m = destroyed();
    request(m, IPA_B, IPA_D, RIPAS.EMPTY, 0n);
    setRipas(m, IPA_B, IPA_D, IPA_C);
    expect(entry(m, IPA_B)[3]).toBe(RIPAS.EMPTY);
    expect(entry(m, IPA_C)[3]).toBe(RIPAS.DESTROYED);
  });

  test.each([
    ['RAM', RIPAS.RAM],
    ['EMPTY', RIPAS.EMPTY],
  ])('with CHANGE_DESTROYED → %s', (_l, ripas) => {
    const m = destroyed();
    request(m, IPA_C, IPA_C + 0x1000, ripas, 1n);
    setRipas(m, IPA_C, IPA_C + 0x1000, IPA_C + 0x1000);
    expect(entry(m, IPA_C)).toEqual([3n, 0n, 0n, ripas]);
    expect(result(m)).toEqual([RSI_OK, BigInt(IPA_C + 0x1000), ACCEPT]);
    const o = step(m, { op: 'load', ipa: BigInt(IPA_C), reg: 1 });
    if (ripas === RIPAS.EMPTY) expectSea(o);
    else expectExit(o); // UNASSIGNED RAM: exit to the host
    expectCheckerAgrees(m);
  });
});

describe('RTT_SET_RIPAS rows that need a pending request', () => {
  function pending(base = 0x10000, top = 0x12000): Machine {
    const m = running();
    request(m, base, top, RIPAS.RAM);
    return m;
  }

  test('size_valid: top ≤ base → ERROR_INPUT', () => {
    setRipasFails(pending(), [RD, REC0, 0x10000, 0x10000], 'ERROR_INPUT', 0, 'size_valid');
  });
  test('rec_owner: the REC belongs to another realm → ERROR_REC', () => {
    const m = world({ realmB: true });
    running(m);
    request(m, 0x10000, 0x12000, RIPAS.RAM);
    setRipasFails(m, [RD, REC_B, 0x10000, 0x12000], 'ERROR_REC', 0, 'rec_owner');
  });
  test('base_bound: base ≠ the requested (remaining) base → ERROR_INPUT', () => {
    const m = pending();
    setRipasFails(m, [RD, REC0, 0x11000, 0x12000], 'ERROR_INPUT', 0, 'base_bound');
    setRipasFails(m, [RD, REC0, 0x0f000, 0x12000], 'ERROR_INPUT', 0, 'base_bound');
  });
  test('top_bound: top beyond the requested top → ERROR_INPUT', () => {
    setRipasFails(pending(), [RD, REC0, 0x10000, 0x13000], 'ERROR_INPUT', 0, 'top_bound');
  });
  test('top_gran_align: top not 4 KB aligned → ERROR_INPUT', () => {
    setRipasFails(pending(), [RD, REC0, 0x10000, 0x11800], 'ERROR_INPUT', 0, 'top_gran_align');
  });
  test('base_align: base not aligned to the level where the walk stops (level 2) → ERROR_RTT(2)', () => {
    const m = pending(0x20_1000, 0x20_3000); // [2 MB, 4 MB) has no level-3 table
    setRipasFails(m, [RD, REC0, 0x20_1000, 0x20_3000], 'ERROR_RTT', 2, 'base_align');
  });
  test('no_progress: the first entry is a 2 MB entry that does not fit below top (no splitting) → ERROR_RTT(2)', () => {
    const m = pending(0x20_0000, 0x20_1000);
    setRipasFails(m, [RD, REC0, 0x20_0000, 0x20_1000], 'ERROR_RTT', 2, 'no_progress');
  });
  test('Ordered: base_bound before base_align', () => {
    const m = pending(0x20_1000, 0x20_3000);
    setRipasFails(m, [RD, REC0, 0x20_2000, 0x20_3000], 'ERROR_INPUT', 0, 'base_bound');
  });
  test('Ordered: top_gran_align before no_progress', () => {
    const m = world();
    expect(m.status('DATA_DESTROY', [RD, IPA_C])?.status).toBe('SUCCESS');
    running(m);
    request(m, IPA_C, IPA_C + 0x2000, RIPAS.RAM);
    setRipasFails(m, [RD, REC0, IPA_C, IPA_C + 0x800], 'ERROR_INPUT', 0, 'top_gran_align');
    setRipasFails(m, [RD, REC0, IPA_C, IPA_C + 0x1000], 'ERROR_RTT', 3, 'no_progress');
  });
  test('rec_running: the requesting REC runs again → ERROR_REC', () => {
    const m = pending();
    enter(m, REC0, RUN);
    setRipasFails(m, [RD, REC0, 0x10000, 0x12000], 'ERROR_REC', 0, 'rec_running', 1);
  });
});

describe('one RTT per call, no splitting', () => {
  test('a range crossing the end of a level-3 table: stops at the table end; the rest (a 2 MB entry) cannot be split', () => {
    const m = running();
    request(m, 0x1f_f000, 0x20_1000, RIPAS.RAM);
    setRipas(m, 0x1f_f000, 0x20_1000, 0x20_0000);
    setRipasFails(m, [RD, REC0, 0x20_0000, 0x20_1000], 'ERROR_RTT', 2, 'no_progress');
    expect(result(m)).toEqual([RSI_OK, 0x20_0000n, ACCEPT]);
  });

  test('level-2 entries change as blocks; the walk stops at a TABLE entry; the next call continues below it', () => {
    const m = world();
    delegate(m, SPARE[0]);
    expect(m.status('RTT_CREATE', [RD, SPARE[0], 0x40_0000, 3])?.status).toBe('SUCCESS');
    running(m);
    request(m, 0x20_0000, 0x60_0000, RIPAS.RAM);
    setRipas(m, 0x20_0000, 0x60_0000, 0x40_0000);
    expect(entry(m, 0x20_0000, 2)).toEqual([2n, 0n, 0n, RIPAS.RAM]);
    setRipas(m, 0x40_0000, 0x60_0000, 0x60_0000);
    expect(entry(m, 0x5f_f000)).toEqual([3n, 0n, 0n, RIPAS.RAM]);
    expect(result(m)).toEqual([RSI_OK, 0x60_0000n, ACCEPT]);
    expect(stateGet(m, 0x20_0000, 0x60_0000)).toEqual([RSI_OK, 0x60_0000n, RIPAS.RAM]);
    expectCheckerAgrees(m);
  });
});

describe('RSI_IPA_STATE_SET / IPA_STATE_GET argument errors (answered without an exit)', () => {
  test.each([
    ['base unaligned', 0x10800, 0x12000, RIPAS.RAM],
    ['top unaligned', 0x10000, 0x12800, RIPAS.RAM],
    ['top = base', 0x10000, 0x10000, RIPAS.RAM],
    ['top < base', 0x12000, 0x10000, RIPAS.RAM],
    ['top beyond the PAR', PAR_TOP - 0x1000, PAR_TOP + 0x1000, RIPAS.RAM],
    ['ripas DESTROYED', 0x10000, 0x12000, RIPAS.DESTROYED],
    ['ripas 7', 0x10000, 0x12000, 7n],
  ])('IPA_STATE_SET: %s → ERROR_INPUT', (_l, base, top, ripas) => {
    const m = running();
    expect(call(m, [RSI.IPA_STATE_SET, base, top, ripas, 0])[0]).toBe(RSI_ERROR_INPUT);
    expect(m.state.cpus[0].mode.kind).toBe('realm');
  });

  test.each([
    ['end = base', 0x1000, 0x1000],
    ['unaligned', 0x1800, 0x3000],
    ['end beyond the PAR', PAR_TOP - 0x1000, PAR_TOP + 0x1000],
  ])('IPA_STATE_GET: %s → ERROR_INPUT', (_l, base, end) => {
    const m = running();
    expect(call(m, [RSI.IPA_STATE_GET, base, end])[0]).toBe(RSI_ERROR_INPUT);
  });

  test('IPA_STATE_GET reports RIPAS only (not HIPAS): the uniform prefix [IPA_A, IPA_EMPTY) is RAM', () => {
    const m = running();
    expect(stateGet(m, IPA_A, 0x8000)).toEqual([RSI_OK, BigInt(IPA_EMPTY), RIPAS.RAM]);
    expect(stateGet(m, 0, 0x8000)).toEqual([RSI_OK, 0x1000n, RIPAS.EMPTY]);
    expect(stateGet(m, IPA_EMPTY, PAR_TOP)).toEqual([RSI_OK, BigInt(IPA_AEMPTY + 0x1000), RIPAS.EMPTY]);
  });
});
