// The hypervisor interface (reference A.4), one test per outcome row, with the values a reader of the
// reference expects; each trace also runs in lockstep with the ideal (no property may break).

import { describe, expect, test } from 'vitest';
import { CFG, S, g, gicdR, gicdW, hvc, ld, lockstep, mov, real, smc, st } from './helpers';
import type { Action } from '../../real/sep/actions';

const clean = (actions: Action[]) => {
  const r = lockstep(actions);
  expect(r.first?.violations ?? []).toEqual([]);
  return r;
};
const labels = (actions: Action[]) => real(actions).obs.map((o) => o.label);

describe('A.4.1 IGC_NOTIFY (HVC #s), outcomes in order', () => {
  test('DROP_BAD: s >= number of channels; the PC advances, nothing else', () => {
    const r = real([mov(0, 0, 7n), hvc(0, 2), hvc(0, 0xffff)]);
    expect(r.obs.slice(1).map((o) => o.label)).toEqual(['hvc:DROP_BAD', 'hvc:DROP_BAD']);
    expect(r.s.cores[0].x[0]).toBe(7n);
    expect(r.s.cores[0].pc).toBe(12n);
    expect(r.s.mbox.every((m) => m === 0)).toBe(true);
    clean([hvc(0, 2)]);
  });
  test('DROP_NOT_SENDER: guest 1 names channel 0 (0 → 1); guest 2 names channel 1 (1 → 2)', () => {
    expect(labels([hvc(2, 0), hvc(3, 1), hvc(3, 0)])).toEqual(['hvc:DROP_NOT_SENDER', 'hvc:DROP_NOT_SENDER', 'hvc:DROP_NOT_SENDER']);
    clean([hvc(2, 0), hvc(3, 1)]);
  });
  test('DROP_NO_TARGET: the receiver has no powered core (guest 1 turned its only core off)', () => {
    const t = [smc(2, 0x84000002n), hvc(0, 0)];
    expect(labels(t)).toEqual(['psci:OFF_SUCCESS', 'hvc:DROP_NO_TARGET']);
    clean(t);
  });
  test('DROP_BUSY: a second notification before the receiver took the first', () => {
    const t = [hvc(0, 0), hvc(1, 0)];
    expect(labels([smc(0, 0xc4000003n, 1n, 0n, 0n), ...t]).slice(1)).toEqual(['hvc:GRANT', 'hvc:DROP_BUSY']);
    clean(t);
  });
  test('GRANT: mbox[0][1] := 1, SGI 15 from the caller to the receiver\'s least powered core; no register written', () => {
    const r = real([mov(0, 0, 0x55n), mov(0, 1, 0x66n), hvc(0, 0)]);
    expect(r.obs[2].label).toBe('hvc:GRANT');
    expect(r.obs[2].ev).toEqual({ k: 'step' }); // returns nothing
    expect(r.s.mbox[0 * 3 + 1]).toBe(1);
    expect(r.s.sgi).toEqual([{ src: 0, dst: 2, id: 15 }]);
    expect(r.s.cores[0].x.slice(0, 2)).toEqual([0x55n, 0x66n]);
    expect(r.s.cores[0].pc).toBe(12n);
    clean([hvc(0, 0)]);
  });
  test('A.4.2 reception: LR[virq] pending, mailbox cleared, VI set; IAR acknowledges 48, EOIR completes', () => {
    const t: Action[] = [hvc(0, 0), { kind: 'irq', core: 2, intid: 15, src: 0 }, ld(2, 0x900cn, 3), mov(2, 4, 48n), st(2, 0x9010n, 4), hvc(0, 0)];
    const r = real(t);
    expect(r.obs[1]).toMatchObject({ g: 1, ev: { k: 'irq', virq: 48 }, label: 'irq:igc' });
    expect(r.states[2].mbox[1]).toBe(0);
    expect(r.states[2].cores[2].lr).toEqual({ 48: 'P' });
    expect(r.states[2].cores[2].vi).toBe(true);
    expect(r.obs[2].ev).toEqual({ k: 'value', v: 48n });
    expect(r.states[3].cores[2].lr).toEqual({ 48: 'A' });
    expect(r.states[5].cores[2].lr).toEqual({});
    expect(r.obs[5].label).toBe('hvc:GRANT');
    clean(t);
  });
  test('the SGI goes to the receiver\'s least powered core: a notification into guest 0 from a channel 1 → 0', () => {
    const cfg = { ...CFG, channels: [...CFG.channels, { from: 1, to: 0, aSend: 7, aRecv: 5, pa: 11, virq: 49 }] };
    expect(S.config.problems(cfg)).toEqual([]);
    const S2 = S.real.init(cfg, S.spec);
    let s = S2;
    for (const a of [smc(0, 0xc4000003n, 1n, 0n, 0n), smc(0, 0x84000002n), hvc(2, 2)]) s = S.real.step(s, a, S.spec).state;
    expect(s.sgi).toEqual([{ src: 2, dst: 1, id: 15 }]);
  });
});

describe('A.4.1 precedence: the first row that holds decides', () => {
  test('DROP_BAD before everything: an out-of-range channel while the receiver is off and the mailbox set', () => {
    expect(labels([hvc(0, 0), smc(2, 0x84000002n), hvc(0, 9)]).slice(2)).toEqual(['hvc:DROP_BAD']);
  });
  test('DROP_NOT_SENDER before DROP_NO_TARGET and DROP_BUSY', () => {
    const t = [hvc(0, 0), smc(2, 0x84000002n), hvc(3, 0)];
    expect(labels(t)).toEqual(['hvc:GRANT', 'psci:OFF_SUCCESS', 'hvc:DROP_NOT_SENDER']);
    clean(t);
  });
  test('DROP_NO_TARGET before DROP_BUSY: the mailbox is set but the receiver has since turned off', () => {
    const t = [hvc(0, 0), smc(2, 0x84000002n), hvc(0, 0)];
    expect(labels(t)).toEqual(['hvc:GRANT', 'psci:OFF_SUCCESS', 'hvc:DROP_NO_TARGET']);
    clean(t);
  });
});

describe('A.4.3 PSCI (SMC, W0 = function id), outcomes in order', () => {
  test('precedence: NOT_SUPPORTED before INVALID_PARAMETERS; CPU_OFF ignores x1', () => {
    expect(labels([smc(0, 0x84000001n, 99n), smc(3, 0x84000002n, 99n)])).toEqual(['psci:NOT_SUPPORTED', 'psci:OFF_SUCCESS']);
  });
  test('NOT_SUPPORTED: an unknown function (PSCI_VERSION); GPRs unchanged, PC + 4', () => {
    const r = real([smc(0, 0x84000000n, 1n)]);
    expect(r.obs[0].label).toBe('psci:NOT_SUPPORTED');
    expect(r.s.cores[0].x[0]).toBe(0x84000000n);
    expect(r.s.cores[0].pc).toBe(4n);
  });
  test('INVALID_PARAMETERS: x1 names no core of the guest (guest 0 has 2 cores; guest 1 cannot name core 1 of guest 0)', () => {
    expect(labels([smc(0, 0xc4000003n, 2n), smc(2, 0xc4000003n, 1n), smc(3, 0xc4000003n, (1n << 64n) - 1n)])).toEqual(['psci:INVALID_PARAMETERS', 'psci:INVALID_PARAMETERS', 'psci:INVALID_PARAMETERS']);
    const r = real([smc(2, 0xc4000003n, 1n, 0x40n)]);
    expect(r.s.cores[1].on).toBe(false);
    clean([smc(2, 0xc4000003n, 1n, 0x40n)]);
  });
  test('ALREADY_ON: the named core runs', () => {
    expect(labels([smc(0, 0xc4000003n, 0n)])).toEqual(['psci:ALREADY_ON']);
  });
  test('CPU_ON: guest 0 starts its core 1 (physical 1) at x2 with x0 = x3; the upper half of x0 is ignored (SMCCC W0)', () => {
    const r = real([smc(0, 0xffff_ffff_c400_0003n, 1n, 0x80n, 0x1234n)]);
    expect(r.obs[0].label).toBe('psci:ON_SUCCESS');
    expect(r.s.cores[1]).toMatchObject({ on: true, el: 1, pc: 0x80n, s2on: true });
    expect(r.s.cores[1].x[0]).toBe(0x1234n);
    expect(r.s.pow[1]).toBe(true);
    clean([smc(0, 0xc4000003n, 1n, 0x80n, 0x1234n), mov(1, 3, 9n)]);
  });
  test('CPU_OFF: the caller stops; its steps do nothing afterwards', () => {
    const r = real([smc(3, 0x84000002n), mov(3, 1, 1n)]);
    expect(r.obs.map((o) => o.label)).toEqual(['psci:OFF_SUCCESS', 'guest:off']);
    expect(r.s.cores[3].on).toBe(false);
    expect(r.s.pow[3]).toBe(false);
  });
});

describe('A.4.4 GICD emulation: own interrupts only', () => {
  test('CTLR reads the local enable bit; TYPER and IIDR fixed per guest; writes to them ignored', () => {
    const r = real([gicdR(0, 0), ...gicdW(0, 0, 1n), gicdR(0, 0), gicdR(0, 4), gicdR(2, 4), gicdR(0, 8), ...gicdW(0, 4, 0n), gicdR(0, 4)]);
    const v = r.obs.filter((o) => o.ev.k === 'value').map((o) => (o.ev as { v: bigint }).v);
    // TYPER: CPUNumber = cores - 1 in [7:5], ITLinesNumber 31; guest 0 has 2 cores, guest 1 one.
    expect(v).toEqual([0n, 1n, 0x3fn, 0x1fn, 0x43bn, 0x3fn]);
  });
  test('IGROUPR and NSACR accesses inject a data abort (fixed syndrome, FAR = the VA)', () => {
    const r = real([gicdR(0, 0x80), ...gicdW(2, 0xe04, 1n)]);
    expect(r.obs[0]).toMatchObject({ label: 'abort:gicd-register:el1', ev: { k: 'exc', esr: 0x96000010n, far: 0x8080n, pc: 0x200n } });
    expect(r.obs[2]).toMatchObject({ label: 'abort:gicd-register:el1', ev: { k: 'exc', far: 0x8e04n } });
  });
  test('ISENABLER: foreign bits read 0 and are not applied; the physical enable is CTLR ∧ bit', () => {
    const t = [...gicdW(0, 0x104, 0xffff_ffffn), gicdR(0, 0x104), ...gicdW(0, 0, 1n)];
    const r = real(t);
    expect(r.obs[2].ev).toEqual({ k: 'value', v: 1n }); // bit 0 = IRQ 32 (guest 0's); 33, 34 foreign
    expect(r.states[2].spi[32].en).toBe(false); // CTLR still 0
    expect(r.s.spi[32].en).toBe(true);
    expect(r.s.spi[33].en).toBe(false);
    expect(r.s.spi[34].en).toBe(false);
    // guest 1 sees its peripheral IRQ 33 (bit 1) and its incoming virq 48 (bit 16)
    const r1 = real([...gicdW(2, 0x104, 0xffff_ffffn), gicdR(2, 0x104)]);
    expect(r1.obs[2].ev).toEqual({ k: 'value', v: (1n << 1n) | (1n << 16n) });
    clean([...t, ...gicdW(2, 0x104, 0xffff_ffffn), gicdR(2, 0x104), ...gicdW(0, 0x184, 0xffff_ffffn)]);
  });
  test('ISPENDR/ICPENDR, ISACTIVER/ICACTIVER act on the physical state of own IRQs only', () => {
    const r = real([...gicdW(0, 0x204, 0xffff_ffffn), gicdR(0, 0x204), ...gicdW(0, 0x304, 0xffff_ffffn), ...gicdW(0, 0x284, 1n), gicdR(0, 0x304)]);
    expect(r.obs[2].ev).toEqual({ k: 'value', v: 1n });
    expect(r.s.spi[32]).toMatchObject({ pend: false, act: true });
    expect(r.s.spi[33]).toMatchObject({ pend: false, act: false });
    expect(r.obs[7].ev).toEqual({ k: 'value', v: 1n });
  });
  test('ITARGETSR: guest core ids → physical (own cores only) and back; foreign bytes hidden and untouched', () => {
    // ITARGETSR<8> covers IRQs 32..35: guest 1 (core 2) owns 33 (byte 1).
    const r = real([...gicdW(2, 0x820, 0xffff_ffffn), gicdR(2, 0x820), gicdR(0, 0x820)]);
    expect(r.s.spi[33].tgt).toBe(1 << 2);
    expect(r.s.spi[32].tgt).toBe(1 << 0); // guest 0's, unchanged (its primary core)
    expect(r.s.spi[34].tgt).toBe(1 << 3);
    expect(r.obs[2].ev).toEqual({ k: 'value', v: 0x100n });
    expect(r.obs[3].ev).toEqual({ k: 'value', v: 0x1n });
    // guest 0 has two cores: mask 0b11 → physical cores 0 and 1
    const r0 = real([...gicdW(0, 0x820, 0x0303_0303n)]);
    expect(r0.s.spi[32].tgt).toBe(0b11);
  });
  test('IPRIORITYR shows fixed priorities of own IRQs, ignores writes; ICFGR keeps own config bits', () => {
    const r = real([gicdR(0, 0x420), ...gicdW(0, 0x420, 0n), gicdR(0, 0x420), ...gicdW(0, 0xc08, 0xffff_ffffn), gicdR(0, 0xc08)]);
    expect(r.obs[0].ev).toEqual({ k: 'value', v: 0xa0n });
    expect(r.obs[3].ev).toEqual({ k: 'value', v: 0xa0n });
    expect(r.obs[6].ev).toEqual({ k: 'value', v: 0x2n }); // IRQ 32 = field 0 of ICFGR<2>, bit 1 kept
  });
  test('SGIR: targets translated and restricted to own cores; the id unchanged; reads show the last write', () => {
    const v = (2n << 24n) | 7n; // filter 2: self
    const r = real([...gicdW(0, 0xf00, (0xffn << 16n) | 1n), ...gicdW(0, 0xf00, v), gicdR(0, 0xf00), ...gicdW(2, 0xf00, 1n << 24n)]);
    expect(r.states[2].sgi).toEqual([{ src: 0, dst: 0, id: 1 }, { src: 0, dst: 1, id: 1 }]);
    expect(r.states[4].sgi).toContainEqual({ src: 0, dst: 0, id: 7 });
    expect(r.obs[4].ev).toEqual({ k: 'value', v });
    expect(r.s.sgi.filter((q) => q.src === 2)).toEqual([]); // guest 1 alone: "all but self" is nobody
  });
  test('a GICD access without a valid syndrome, or unaligned, is reflected as a data abort', () => {
    const r = real([g(0, { op: 'load', ipa: 0x8000n, rt: 1, isv: false }), ld(0, 0x8002n)]);
    expect(r.obs.map((o) => o.label)).toEqual(['abort:gicd-syndrome:el1', 'abort:gicd-syndrome:el1']);
  });
  test('reserved offsets are RAZ/WI (GICv2)', () => {
    const r = real([...gicdW(0, 0xf10, 5n), gicdR(0, 0xf10), gicdR(0, 0xffc)]);
    expect(r.obs.map((o) => o.label)).toEqual(['instr:mov', 'gicd:RESERVED:write', 'gicd:RESERVED:read', 'gicd:RESERVED:read']);
    expect(r.obs[2].ev).toEqual({ k: 'value', v: 0n });
  });
});

describe('A.4.5 abort injection: the syndrome the guest may see', () => {
  test('data abort from EL1 (unmapped IPA): ESR class 0x25, fixed ISS, FAR = VA, vector VBAR + 0x200', () => {
    const r = real([mov(0, 1, 0x10000n), g(0, { op: 'msr', rt: 1, reg: 'vbar_el1' }), ld(0, 0xb008n)]);
    expect(r.obs[2]).toMatchObject({ label: 'abort:data-translation:el1', ev: { k: 'exc', esr: 0x96000010n, far: 0xb008n, pc: 0x10200n } });
    expect(r.s.cores[0].sys.elr_el1).toBe(8n);
    expect(r.s.cores[0].el2.hpfar).toBe(0xb0n); // the hypervisor's register, never shown
  });
  test('from EL0: class 0x24, vector + 0x400; a write to the incoming page is a permission fault', () => {
    const r = real([g(2, { op: 'msr', rt: 31, reg: 'spsr_el1' }), g(2, { op: 'eret' }), st(2, 0x4000n)]);
    expect(r.s.cores[2].el).toBe(1);
    expect(r.obs[2]).toMatchObject({ label: 'abort:data-permission:el0', ev: { k: 'exc', esr: 0x92000010n, far: 0x4000n, pc: 0x400n } });
    expect(r.s.cores[2].sys.spsr_el1).toBe(0n);
  });
  test('instruction aborts: fetching a channel page (never executable) and an unmapped page', () => {
    const r = real([g(0, { op: 'fetch', ipa: 0x4000n }), g(0, { op: 'fetch', ipa: 0xf000n })]);
    expect(r.obs[0]).toMatchObject({ label: 'abort:instr-permission:el1', ev: { k: 'exc', esr: 0x86000010n, far: 0x4000n } });
    expect(r.obs[1]).toMatchObject({ label: 'abort:instr-translation:el1', ev: { k: 'exc', esr: 0x86000010n, far: 0xf000n } });
    expect(r.s.cores[0].sys.elr_el1).toBe(0xf000n);
  });
  test('beyond the IPA space (2^as pages) and at 2^64-1: translation faults', () => {
    expect(labels([ld(0, 0x10000n), ld(0, (1n << 64n) - 1n)])).toEqual(['abort:data-translation:el1', 'abort:data-translation:el1']);
    clean([ld(0, 0x10000n), ld(0, (1n << 64n) - 1n)]);
  });
});

describe('A.3 guests, devices, DMA', () => {
  test('a guest reads its own RAM through θ; the channel page is shared: what the sender writes the receiver reads', () => {
    const t = [ld(2, 0n), mov(0, 1, 0xabcn), st(0, 0x4008n), ld(2, 0x4008n, 2), ld(0, 0x4008n, 2)];
    const r = real(t);
    expect(r.obs[0].ev).toEqual({ k: 'value', v: 0x50000n }); // PA page 4, word 0
    expect(r.obs[3].ev).toEqual({ k: 'value', v: 0xabcn });
    clean(t);
  });
  test('peripheral MMIO: the device\'s input shows in its register page; a raised IRQ reaches an own core after enable', () => {
    const t: Action[] = [{ kind: 'device', dev: 1, op: 'input', reg: 2, value: 0x77n }, ld(2, 0x6010n), ...gicdW(2, 0, 1n), ...gicdW(2, 0x104, 2n),
      { kind: 'device', dev: 1, op: 'raise', irq: 33 }, { kind: 'irq', core: 2, intid: 33, src: 0 }, { kind: 'virq', core: 2 }, ld(2, 0x900cn, 7)];
    const r = real(t);
    expect(r.obs[1].ev).toEqual({ k: 'value', v: 0x77n });
    expect(r.obs[7]).toMatchObject({ label: 'irq:peripheral', ev: { k: 'irq', virq: 33 } });
    expect(r.obs[8]).toMatchObject({ label: 'virq:taken', ev: { pc: 0x280n } });
    expect(r.obs[9].ev).toEqual({ k: 'value', v: 33n });
    clean(t);
  });
  test('a disabled, foreign or untargeted IRQ is not taken (the step does nothing)', () => {
    const r = real([{ kind: 'device', dev: 1, op: 'raise', irq: 33 }, { kind: 'irq', core: 2, intid: 33, src: 0 }, { kind: 'irq', core: 0, intid: 33, src: 0 }]);
    expect(r.obs.slice(1).map((o) => o.label)).toEqual(['irq:none', 'irq:none']);
  });
  test('DMA through the SMMU: own RAM and outgoing page; faults outside, on GIC and device pages', () => {
    const t: Action[] = [{ kind: 'dma', dev: 0, write: true, ipa: 0x4000n, value: 9n }, ld(2, 0x4000n), { kind: 'dma', dev: 0, write: false, ipa: 0x9000n, value: 0n },
      { kind: 'dma', dev: 0, write: true, ipa: 0x6000n, value: 1n }, { kind: 'dma', dev: 1, write: true, ipa: 0n, value: 1n }];
    const r = real(t);
    expect(r.obs[1].ev).toEqual({ k: 'value', v: 9n });
    expect(r.obs.slice(2).map((o) => o.label)).toEqual(['dma:fault-read', 'dma:fault-write', 'dma:none']);
    clean(t);
  });
  test('EL0 may not use HVC, SMC or system registers: UNDEFINED (EC 0) to EL1', () => {
    const r = real([g(0, { op: 'msr', rt: 31, reg: 'spsr_el1' }), g(0, { op: 'eret' }), hvc(0, 0), g(0, { op: 'eret' }), g(0, { op: 'mrs', rt: 1, reg: 'esr_el1' })]);
    expect(r.obs[2]).toMatchObject({ label: 'exc:undefined', ev: { esr: 0x2000000n, pc: 0x400n } });
    expect(r.s.mbox.every((m) => m === 0)).toBe(true);
  });
});
