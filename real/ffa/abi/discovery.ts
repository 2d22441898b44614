// FFA_PARTITION_INFO_GET (reference §4.11), FFA_ID_GET, FFA_VERSION, FFA_FEATURES.
// Hafnium: src/api.c api_ffa_partition_info_get, api_ffa_id_get, api_ffa_version, api_ffa_features.
import { Builder } from '../bytes';
import { BUSY, FID, INV, PART_INFO_SIZE, VERSION_1_1, abiOf } from '../consts';
import { Abi, Call, regs8, row, success, w } from '../table';
import { deliverRx } from './retrieve';

export interface InfoCtx { readonly call: Call; readonly uuid: readonly number[]; readonly flags: number; readonly matches: readonly number[] }

export const PARTITION_INFO_GET: Abi<InfoCtx> = {
  name: 'PARTITION_INFO_GET',
  context: (call) => {
    const uuid = [w(call, 1), w(call, 2), w(call, 3), w(call, 4)];
    const nil = uuid.every((u) => u === 0);
    // The SPMC reports its secure partitions (public data only: IDs, contexts, properties, UUID).
    const matches = call.cfg.endpoints.map((e, k) => [e, k] as const)
      .filter(([e]) => (e.id & 0x8000) !== 0 && (nil || e.uuid.every((u, j) => u === uuid[j]))).map(([, k]) => k);
    return { call, uuid, flags: w(call, 5), matches };
  },
  failures: [
    row('flags', (c) => (c.flags & ~1) !== 0, INV),
    row('no_match', (c) => c.matches.length === 0, INV),
    row('rx_busy', (c) => (c.flags & 1) === 0 && (c.call.e.mbox.rx < 0 || c.call.e.mbox.full), BUSY),
  ],
  effect: (c, spec) => {
    if (c.flags & 1) return success(c.call.s, 0, c.matches.length);
    const b = new Builder();
    for (const k of c.matches) {
      const e = c.call.cfg.endpoints[k];
      b.u16(e.id).u16(e.vcpus).u32((e.direct ? 1 : 0) | 2 | (e.indirect ? 4 : 0));
      for (const u of e.uuid) b.u32(u);
    }
    const s = deliverRx(c.call.s, c.call.i, b.bytes(), 0x8000, 'PARTITION_INFO_GET', c.call.cfg.words, spec);
    return success(s, 0, c.matches.length, PART_INFO_SIZE);
  },
};

export const ID_GET: Abi<Call> = { name: 'ID_GET', context: (c) => c, failures: [], effect: (c) => success(c.s, 0, c.e.id) };

export const VERSION: Abi<Call> = {
  name: 'VERSION',
  context: (c) => c,
  failures: [],
  // FFA_VERSION returns the version in w0, or NOT_SUPPORTED (-1) in w0 when bit 31 of the request is set.
  effect: (c) => ((w(c, 1) >>> 31) !== 0
    ? { state: c.s, status: 'NOT_SUPPORTED', ret: regs8(0xffffffff), cleared: [] }
    : { state: c.s, status: 'SUCCESS', ret: regs8(VERSION_1_1), cleared: [] }),
};

export const FEATURES: Abi<Call> = {
  name: 'FEATURES',
  context: (c) => c,
  failures: [],
  effect: (c) => {
    const f = w(c, 1);
    const known = (f >>> 31) !== 0 && (abiOf(f) !== null || f === FID.SUCCESS || f === FID.ERROR || f === FID.MEM_RETRIEVE_RESP);
    return known ? success(c.s, 0, 0) : { state: c.s, status: 'NOT_SUPPORTED', ret: regs8(FID.ERROR, 0, -1), cleared: [] };
  },
};
