// Each rule of the ideal is needed: with it switched off the faithful model fails on a trace that
// uses it (and passes with every rule on).
import { describe, expect, test } from 'vitest';
import { runTrace } from '../../properties/engine';
import { novaSystem } from '../../properties/nova/system';
import { encodeCall, Args } from '../../real/nova/abi';
import { sels, DEFAULT_CONFIG } from '../../real/nova/state';
import { classicSpec } from '../../real/nova/classic';
import type { Action } from '../../real/nova/types';

const S = sels(DEFAULT_CONFIG);
const h = (name: string, args: Args, ec = 5): Action => ({ kind: 'hypercall', cpu: 0, ec, regs: encodeCall(name, args) });
const MAP = [
  h('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.NOVA_HST, dsb: 0x3f, ord: 0, pmm: 0x1f }),
  h('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.ROOT_HST, dsb: 0x3e, ord: 0, pmm: 0x1f }),
  h('ctrl_pd', { src: 0x3f, dst: 0x3e, ssb: 5, dsb: 0x10, ord: 0, pmm: 3 }),
];
const IPC = [
  h('create_pd', { sel: 0x40, pd: S.R_PD, op: 0 }), h('create_pd', { sel: 0x41, pd: 0x40, op: 1 }), h('create_pd', { sel: 0x42, pd: 0x40, op: 2 }),
  h('create_ec', { sel: 0x43, pd: 0x40, hva: 0x7f000, cpu: 0 }), h('create_pt', { sel: 0x44, pd: S.R_PD, ec: 0x43 }),
  { kind: 'store', cpu: 0, ec: 5, addr: BigInt((2 ** 20 - 2) * 4096), value: 9n } as Action, h('ipc_call', { pt: 0x44 }),
  { kind: 'load', cpu: 0, ec: 17, addr: 0x7f000n } as Action,
];
const TRACES: Record<string, { steps: Action[]; spec?: unknown }> = {
  boot: { steps: [h('create_sm', { sel: 0x40, pd: S.R_PD })] },
  create: { steps: [h('create_sm', { sel: 0x40, pd: S.R_PD })] },
  'ctrl-pd-copy': { steps: [h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: S.R_PD, dsb: 0x50, ord: 0, pmm: 0x11 })] },
  'ctrl-pd-map': { steps: MAP },
  'ctrl-pd-revoke': { steps: [h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: S.R_PD, dsb: 0x50, ord: 0, pmm: 0x11 }), h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: S.R_PD, dsb: 0x50, ord: 0, pmm: 0 })] },
  'ipc-transfer': { steps: IPC },
  delegate: { spec: classicSpec, steps: [h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: S.R_PD, dsb: 0x50, ord: 0, pmm: 0x11 })] },
  revoke: { spec: classicSpec, steps: [h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: S.R_PD, dsb: 0x50, ord: 0, pmm: 0x11 }), h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: 0x50, dsb: 0x51, ord: 0, pmm: 0x1f }), h('revoke', { sel: 0x50, mask: 1 })] },
};

describe('ideal rules', () => {
  test('every rule has a trace', () => expect(Object.keys(TRACES).sort()).toEqual([...novaSystem.rules].sort()));
  test.each(Object.entries(TRACES))('%s: needed by its trace', (rule, t) => {
    const setup = { spec: t.spec ?? novaSystem.spec, config: DEFAULT_CONFIG };
    expect(runTrace(novaSystem, setup, t.steps).first).toBeNull();
    const off = runTrace(novaSystem, { ...setup, rules: new Set(novaSystem.rules.filter((r) => r !== rule)) }, t.steps);
    expect(off.first?.violations[0]?.property).toMatch(/RS1|RS2|Relation/);
  });
});

describe('classic (B.5)', () => {
  test('delegation skips occupied slots, revoke clears the subtree, the forest stays consistent', () => {
    const steps = [
      h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: S.R_PD, dsb: 0x50, ord: 0, pmm: 0x13 }),
      h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: 0x50, dsb: 0x51, ord: 0, pmm: 0x1f }),
      h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: 0x51, dsb: 0x52, ord: 0, pmm: 0x03 }),
      h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb: S.R_EC, dsb: 0x52, ord: 0, pmm: 0x1f }),  // occupied: skipped
      h('revoke', { sel: 0x50, mask: 0x2 }),
      h('create_pd', { sel: 0x60, pd: 0x52, op: 0 }),
      h('create_sm', { sel: 0x61, pd: 0x52 }),
      h('revoke', { sel: 0x50, mask: 0x1f, self: 1 }),
      h('create_sm', { sel: 0x62, pd: 0x51 }),
    ];
    const r = runTrace(novaSystem, { spec: classicSpec, config: DEFAULT_CONFIG }, steps);
    expect(r.first).toBeNull();
    const st = r.steps.map((x) => (x.real as { status?: number }).status);
    // create_pd with PD bit left (SUCCESS), create_sm after the SM bit... 0x52 has perms 0x03 & ~0x2 = PD only.
    expect(st).toEqual([0, 0, 0, 0, 0, 0, 5, 0, 5]);
  });
});
