// RMI_REALM_DESTROY(rd): the RD and its root RTTs return to DELEGATED (zeroed), the VMID is freed.
// The host must first destroy RECs, DATA and non-root RTTs; ASSIGNED_NS entries need not be unmapped.
import { REALM } from '../../model/status';
import { RmiCommand, arg, row } from '../command';
import { granuleRows } from '../checks';
import { RealState, Rd, granuleAt, rdOf } from '../state';
import { release } from '../ops';

interface C { s: RealState; rd: bigint }

/** RealmIsLive: some REC exists, or a root RTT has a live entry (ASSIGNED or TABLE; §4). */
export function realmIsLive(s: RealState, rdPa: number): boolean {
  if (granuleAt(s, rdPa).refcount !== 0) return true;
  const rd = rdOf(s, rdPa);
  for (let i = 0; i < rd.rttNumStart; i++) if (granuleAt(s, rd.rttBase + i * 4096).refcount !== 0) return true;
  return false;
}

export const REALM_DESTROY: RmiCommand<C> = {
  name: 'REALM_DESTROY',
  context: (s, x) => ({ s, rd: arg(x, 0) }),
  failures: [
    ...granuleRows<C>('rd', (c) => c.rd, 'RD'),
    row('realm_live', (c) => realmIsLive(c.s, Number(c.rd)), REALM),
  ],
  effect: (c, spec) => {
    const rd: Rd = rdOf(c.s, Number(c.rd));
    let s = c.s;
    for (let i = 0; i < rd.rttNumStart; i++) s = release(s, rd.rttBase + i * 4096, spec);
    s = release(s, Number(c.rd), spec);
    const vmids = new Map(s.vmids);
    vmids.delete(rd.vmid);
    return { state: { ...s, vmids } };
  },
};
