// Whether a realm still holds anything, and freeing it: shared by REALM_DESTROY's atomic effect and
// its weak-memory handler, so neither imports the other.

import type { Spec } from './spec';
import { RealState, granuleAt, rdOf, withVmids } from './state';
import { release } from './ops';

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

/** The success effect: the root RTTs and the RD return to DELEGATED (zeroed), the VMID is free. */
export function freeRealm(s: RealState, rdPa: number, spec: Spec): RealState {
  const rd = rdOf(s, rdPa);
  for (let i = 0; i < rd.rttNumStart; i++) s = release(s, rd.rttBase + i * 4096, spec);
  s = release(s, rdPa, spec);
  const vmids = new Map(s.vmids);
  vmids.delete(rd.vmid);
  return withVmids(s, vmids);
}
