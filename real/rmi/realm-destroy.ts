// RMI_REALM_DESTROY(rd): the RD and its root RTTs return to DELEGATED (zeroed), the VMID is freed.
// The host must first destroy RECs, DATA and non-root RTTs; ASSIGNED_NS entries need not be unmapped.
import { REALM } from '../../model/status';
import { RmiCommand, arg, row } from '../command';
import { granuleRows } from '../checks';
import { RealState, Rd, granuleAt, rdOf } from '../state';
import { release } from '../ops';
import type { Spec } from '../spec';
import { startHandler } from '../weakmem/handlers';

interface C { s: RealState; cpu: number; rd: bigint }

/**
 * RealmIsLive: some REC exists, or a root RTT has a live entry (ASSIGNED or TABLE; §4). In
 * weak-memory mode the REC count is read by REALM_DESTROY's micro-program instead.
 */
export function realmIsLive(s: RealState, rdPa: number): boolean {
  if (!s.cfg.weakMemory && granuleAt(s, rdPa).refcount !== 0) return true;
  const rd = rdOf(s, rdPa);
  for (let i = 0; i < rd.rttNumStart; i++) if (granuleAt(s, rd.rttBase + i * 4096).refcount !== 0) return true;
  return false;
}

export const REALM_DESTROY: RmiCommand<C> = {
  name: 'REALM_DESTROY',
  context: (s, x, cpu) => ({ s, cpu, rd: arg(x, 0) }),
  failures: [
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    row('realm_live', (c) => realmIsLive(c.s, Number(c.rd)), REALM),
  ],
  effect: (c, spec) => {
    const rd: Rd = rdOf(c.s, Number(c.rd));
    if (c.s.cfg.weakMemory) return { state: startHandler(c.s, c.cpu, { cmd: 'REALM_DESTROY', rd: Number(c.rd), rec: -1 }, spec.programs.realmDestroy(Number(c.rd), rd.recIndex)), pending: true };
    return { state: freeRealm(c.s, Number(c.rd), spec) };
  },
};

/** The success effect: the root RTTs and the RD return to DELEGATED (zeroed), the VMID is free. */
export function freeRealm(s: RealState, rdPa: number, spec: Spec): RealState {
  const rd = rdOf(s, rdPa);
  for (let i = 0; i < rd.rttNumStart; i++) s = release(s, rd.rttBase + i * 4096, spec);
  s = release(s, rdPa, spec);
  const vmids = new Map(s.vmids);
  vmids.delete(rd.vmid);
  return { ...s, vmids };
}
