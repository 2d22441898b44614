// Noninterference: a PD's secret stores reach another PD only along a channel (shared page, IPC).
import { describe, expect, test } from 'vitest';
import { niCheck } from '../../properties/engine';
import { novaSystem } from '../../properties/nova/system';
import { encodeCall, Args } from '../../real/nova/abi';
import { DEFAULT_CONFIG, sels } from '../../real/nova/state';
import type { Action } from '../../real/nova/types';

const S = sels(DEFAULT_CONFIG);
const h = (name: string, args: Args, ec = 5): Action => ({ kind: 'hypercall', cpu: 0, ec, regs: encodeCall(name, args) });
/** Child PD 1 (PD 14, handler EC 17 with PT 0x44) maps physical page 6 at 0x10; the root calls it;
 *  the handler stores a secret there and replies; the root then maps page `rootPage` and loads it. */
const trace = (rootPage: number): Action[] => [
  h('create_pd', { sel: 0x40, pd: S.R_PD, op: 0 }), h('create_pd', { sel: 0x41, pd: 0x40, op: 1 }), h('create_pd', { sel: 0x42, pd: 0x40, op: 2 }),
  h('create_ec', { sel: 0x43, pd: 0x40, hva: 0x7f000, cpu: 0 }), h('create_pt', { sel: 0x44, pd: S.R_PD, ec: 0x43 }),
  h('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.NOVA_HST, dsb: 0x3f, ord: 0, pmm: 0x1f }),
  h('ctrl_pd', { src: S.R_NOVA, dst: S.R_OBJ, ssb: S.ROOT_HST, dsb: 0x3e, ord: 0, pmm: 0x1f }),
  h('ctrl_pd', { src: 0x3f, dst: 0x42, ssb: 6, dsb: 0x10, ord: 0, pmm: 3 }),
  h('ipc_call', { pt: 0x44 }),
  { kind: 'store', cpu: 0, ec: 17, addr: 0x10000n, value: 42n, secret: true },
  h('ipc_reply', {}, 17),
  h('ctrl_pd', { src: 0x3f, dst: 0x3e, ssb: rootPage, dsb: 0x20, ord: 0, pmm: 1 }),
  { kind: 'load', cpu: 0, ec: 5, addr: 0x20000n },
];
const setup = { spec: novaSystem.spec, config: DEFAULT_CONFIG };
const closed = { ...novaSystem, secrets: { ...novaSystem.secrets, mayFlow: () => false } };

describe('noninterference', () => {
  test('the secret reaches the root through the shared page: allowed by mayFlow (writer → mapper)', () => {
    expect(niCheck(novaSystem, setup, trace(6))).toBeNull();
    expect(novaSystem.secrets.mayFlow('pd 1', 'pd 0', (() => { let s = novaSystem.real.init(DEFAULT_CONFIG, novaSystem.spec); for (const a of trace(6)) s = novaSystem.real.step(s, a, novaSystem.spec).state; return s; })())).toBe(true);
  });
  test('with the channel declared closed, the product sees the flow', () => {
    expect(niCheck(closed, setup, trace(6))?.violation.property).toBe('Noninterference');
  });
  test('a page the child never wrote carries nothing of its secret', () => {
    expect(niCheck(closed, setup, trace(7))).toBeNull();
  });
});
