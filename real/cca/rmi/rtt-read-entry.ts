// RMI_RTT_READ_ENTRY(rd, ipa, level) -> X1 walk level, X2 state, X3 desc, X4 ripas. Never ERROR_RTT:
// the walk reports where it stopped.
import { INPUT } from '../status';
import { RIPAS_CODE } from '../types';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { granuleRows } from '../checks';
import { RttEntry } from '../state';
import { RttCtx, lvl, rdAt, sizeOfLevel, walkTo } from './rtt-common';

/** RmiRttEntryState as reported: only three values (§5). */
export const RTT_READ_STATE = { UNASSIGNED: 0n, ASSIGNED: 1n, TABLE: 2n } as const;

/** Outputs for an entry; `lpa2` = the realm's descriptor format (OA[51:50] in bits [9:8]). */
export function readEntry(e: RttEntry, lpa2 = false): [bigint, bigint, bigint] {
  switch (e.hipas) {
    case 'UNASSIGNED':
      return [RTT_READ_STATE.UNASSIGNED, 0n, BigInt(RIPAS_CODE[e.ripas])];
    case 'UNASSIGNED_NS':
      return [RTT_READ_STATE.UNASSIGNED, 0n, 0n];
    case 'ASSIGNED':
      // TF-RMM reports no address for ASSIGNED+DESTROYED.
      return [RTT_READ_STATE.ASSIGNED, e.ripas === 'DESTROYED' ? 0n : BigInt(e.addr), BigInt(RIPAS_CODE[e.ripas])];
    case 'ASSIGNED_NS':
      return [RTT_READ_STATE.ASSIGNED, encodeOa(BigInt(e.addr), lpa2) | e.attrs, 0n];
    case 'TABLE':
      return [RTT_READ_STATE.TABLE, BigInt(e.addr), 0n];
  }
}

/** An output address in descriptor form: with LPA2, OA[51:50] moves to bits [9:8] (TF-RMM s2tte_to_pa). */
const encodeOa = (oa: bigint, lpa2: boolean): bigint => (lpa2 ? (oa & ((1n << 50n) - 1n)) | ((oa >> 50n) << 8n) : oa);

export const RTT_READ_ENTRY: RmiCommand<RttCtx> = {
  name: 'RTT_READ_ENTRY',
  context: (s, x) => ({ s, rd: arg(x, 0), ipa: arg(x, 1), level: arg(x, 2) }),
  failures: [
    ...granuleRows<RttCtx>('rd', (c) => c.rd, 'RD'),
    row('level_bound', (c) => lvl(c) < rdAt(c).rttLevelStart || lvl(c) > 3, INPUT),
    row('ipa_align', (c) => c.ipa % sizeOfLevel(lvl(c)) !== 0n, INPUT),
    row('ipa_bound', (c) => c.ipa >= 1n << BigInt(rdAt(c).ipaWidth), INPUT),
  ],
  effect: (c) => {
    const w = walkTo(c, lvl(c));
    const [state, desc, ripas] = readEntry(w.entry, rdAt(c).features.lpa2);
    return { state: c.s, x: [BigInt.asUintN(64, BigInt(w.level)), state, desc, ripas] }; // level -1 is 2^64-1 in X1
  },
};
