// Every B.8 variant is caught on a short, hand-written trace that exercises its bug (pinned: no
// randomness), with the property the variant names; the faithful model passes the same trace.
import { describe, expect, test } from 'vitest';
import { runTrace } from '../../properties/engine';
import { novaSystem } from '../../properties/nova/system';
import { encodeCall, Args } from '../../real/nova/abi';
import { DEFAULT_CONFIG, sels } from '../../real/nova/state';
import type { Action } from '../../real/nova/types';

const S = sels(DEFAULT_CONFIG);
const h = (name: string, args: Args, ec = 5, cpu = 0): Action => ({ kind: 'hypercall', cpu, ec, regs: encodeCall(name, args) });
const copy = (ssb: number, dsb: number, pmm: number) => h('ctrl_pd', { src: S.R_OBJ, dst: S.R_OBJ, ssb, dsb, ord: 0, pmm });
/** A child PD whose global EC (id 19) runs after its STARTUP message was answered by its handler (17). */
const CHILD: Action[] = [
  h('create_pd', { sel: 0x40, pd: S.R_PD, op: 0 }), h('create_pd', { sel: 0x41, pd: 0x40, op: 1 }), h('create_pd', { sel: 0x42, pd: 0x40, op: 2 }),
  h('create_ec', { sel: 0x43, pd: 0x40, hva: 0x7f000, cpu: 0, evt: 0x100 }), h('create_pt', { sel: 0x44, pd: 0x40, ec: 0x43 }),
  h('create_ec', { sel: 0x45, pd: 0x40, hva: 0x7e000, cpu: 0, evt: 0x100, T: true }),
  h('ctrl_pd', { src: S.R_OBJ, dst: 0x41, ssb: 0x44, dsb: 0x140, ord: 0, pmm: 0x1f }),
  h('create_sc', { sel: 0x46, pd: 0x40, ec: 0x45, budget: 10, prio: 1 }),
  { kind: 'load', cpu: 0, ec: 19, addr: 0n }, h('ipc_reply', {}, 17),
];
const TRACES: Record<string, Action[]> = {
  'ctrl-pd-ignores-pmm': [copy(S.R_PD, 0x50, 0x11)],
  'ctrl-pd-ors-perms': [copy(S.R_SC, 0x50, 0x3)],
  'create-pt-no-pd-bit': [copy(S.R_PD, 0x50, 0x17), h('create_ec', { sel: 0x41, pd: S.R_PD, hva: 0x10000, cpu: 0 }), h('create_pt', { sel: 0x40, pd: 0x50, ec: 0x41 })],
  'create-sc-no-pd-bit': [copy(S.R_PD, 0x50, 0x1b), h('create_ec', { sel: 0x41, pd: S.R_PD, hva: 0x10000, cpu: 0, T: true }), h('create_sc', { sel: 0x40, pd: 0x50, ec: 0x41, budget: 1, prio: 1 })],
  'create-pd-all-perms': [copy(S.R_PD, 0x50, 0x11), h('create_pd', { sel: 0x40, pd: 0x50, op: 0 })],
  'perm-without-type': [h('ctrl_sc', { sc: S.R_EC })],
  'stale-pt-after-revoke': [h('create_ec', { sel: 0x41, pd: S.R_PD, hva: 0x10000, cpu: 0 }), h('create_pt', { sel: 0x42, pd: S.R_PD, ec: 0x41 }), copy(0x42, 0x42, 0), h('ipc_call', { pt: 0x42 })],
  'refcount-dropped-early': [copy(S.R_PD, 0x50, 0x1f), copy(S.R_PD, 0x50, 0)],
  'ctrl-pd-range-unbounded': [copy(2 ** 18, 0x50, 0x1f)],
  'ipc-call-any-cpu': [h('create_ec', { sel: 0x41, pd: S.R_PD, hva: 0x10000, cpu: 1 }), h('create_pt', { sel: 0x42, pd: S.R_PD, ec: 0x41 }), h('ipc_call', { pt: 0x42 })],
  'event-without-event-perm': [h('create_ec', { sel: 0x41, pd: S.R_PD, hva: 0x10000, cpu: 0 }), h('create_pt', { sel: 3, pd: S.R_PD, ec: 0x41 }), copy(3, 4, 0x3), { kind: 'exc', cpu: 0, ec: 5, ev: 4 }],
  'ctrl-hw-any-pd': [...CHILD, h('ctrl_hw', { op: 0 }, 19)],
  'assign-dev-any-pd': [...CHILD, h('assign_dev', { dma: 1, smmu: 0x2000_0000n }, 19)],
  'assign-int-plain-sm': [h('create_sm', { sel: 0x40, pd: S.R_PD }), h('assign_int', { sm: 0x40, cpu: 0 })],
  'sm-up-no-overflow': [h('create_sm', { sel: 0x40, pd: S.R_PD, cnt: (1n << 64n) - 1n }), h('ctrl_sm', { sm: 0x40 })],
  'classic-revoke-leaves-child': [copy(S.R_PD, 0x50, 0x1f), copy(0x50, 0x51, 0x1f), copy(0x51, 0x52, 0x1f), h('revoke', { sel: 0x50, mask: 1 })],
};

describe('B.8 variants on pinned traces', () => {
  test('every variant has a trace', () => expect(Object.keys(TRACES).sort()).toEqual(novaSystem.variants.map((v) => v.name).sort()));
  test.each(novaSystem.variants.map((v) => [v.name, v] as const))('%s', (name, v) => {
    const spec = v.apply(novaSystem.spec);
    const faithful = name.startsWith('classic') ? { ...spec, revokeNode: undefined } : novaSystem.spec;
    expect(runTrace(novaSystem, { spec: faithful, config: DEFAULT_CONFIG }, TRACES[name]).first?.violations ?? []).toEqual([]);
    const r = runTrace(novaSystem, { spec, config: DEFAULT_CONFIG }, TRACES[name]);
    expect(r.first, `${name} not caught`).not.toBeNull();
    expect(v.expect.split('/').map((x) => x.trim())).toContain(r.first!.violations[0].property);
  });
});
