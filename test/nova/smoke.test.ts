import { describe, expect, it } from 'vitest';
import { boot, DEFAULT_CONFIG, sels } from '../../real/nova/state';
import { step } from '../../real/nova/machine';
import { faithful } from '../../real/nova/faithful';
import { encodeCall } from '../../real/nova/abi';
import type { Action, State } from '../../real/nova/types';

const c = DEFAULT_CONFIG, S = sels(c);
const hc = (ec: number, name: string, args: Record<string, bigint | number | boolean>, cpu = 0): Action => ({ kind: 'hypercall', cpu, ec, regs: encodeCall(name, args) });
describe('smoke', () => {
  it('root creates a PD, spaces, EC, PT and calls it', () => {
    let s: State = boot(c);
    const run = (a: Action) => { const r = step(s, a, faithful); s = r.state; return r.obs; };
    const root = 5;
    expect(run(hc(root, 'create_pd', { sel: 10, pd: S.R_PD, op: 0 }))).toMatchObject({ status: 0 });
    expect(run(hc(root, 'create_pd', { sel: 11, pd: 10, op: 1 }))).toMatchObject({ status: 0 });
    expect(run(hc(root, 'create_pd', { sel: 11, pd: 10, op: 2 }))).toMatchObject({ status: 5 });
    expect(run(hc(root, 'create_pd', { sel: 12, pd: 10, op: 2 }))).toMatchObject({ status: 0 });
    expect(run(hc(root, 'create_pd', { sel: 13, pd: 10, op: 1 }))).toMatchObject({ status: 2 });
    expect(run(hc(root, 'create_ec', { sel: 14, pd: 10, hva: 0x10000, cpu: 0 }))).toMatchObject({ status: 0 });
    expect(run(hc(root, 'create_pt', { sel: 15, pd: S.R_PD, ec: 14, ip: 0x1234 }))).toMatchObject({ status: 0 });
    expect(run(hc(root, 'ipc_call', { pt: 15, mtd: 0 }))).toMatchObject({ status: null });
    const h = 16 - 1; void h;
  });
});
