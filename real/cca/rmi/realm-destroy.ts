// RMI_REALM_DESTROY(rd): the RD and its root RTTs return to DELEGATED (zeroed), the VMID is freed.
// The host must first destroy RECs, DATA and non-root RTTs; ASSIGNED_NS entries need not be unmapped.
import { REALM } from '../status';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { RealState, Rd, rdOf } from '../state';
import { freeRealm, realmIsLive } from '../realm-free';
import { startHandler } from '../weakmem/handlers';

interface C { s: RealState; cpu: number; rd: bigint }

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
