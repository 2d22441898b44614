// The failure precedences the reference marks **Ordered** (rmm-v1.0.md §6), as an independent check
// on every RMI result: when the higher-precedence condition holds, the command cannot fail with the
// lower one's error. Everything else about failure order is the model's (TF-RMM's) choice.

import { Action, Observation } from '../../real/cca/actions';
import { rmiNameOfFid } from '../../real/cca/rmi';
import { RealState, granuleAt, rdOf, recOf } from '../../real/cca/state';
import { Violation } from './relation';

const GRANULE = 4096n;
const isRd = (s: RealState, v: bigint) => v % GRANULE === 0n && v < BigInt(s.cfg.granules) * GRANULE && granuleAt(s, Number(v)).state === 'RD';
const isRec = (s: RealState, v: bigint) => v % GRANULE === 0n && v < BigInt(s.cfg.granules) * GRANULE && granuleAt(s, Number(v)).state === 'REC';
const isNs = (s: RealState, v: bigint) => v % GRANULE === 0n && v < BigInt(s.cfg.granules) * GRANULE && granuleAt(s, Number(v)).pas === 'NS';

/** Checks one RMI result against the Ordered pairs; `pre` is the state the call ran in. */
export function checkPrecedence(pre: RealState, a: Action, o: Observation): Violation | null {
  if (a.kind !== 'rmi' || o.kind !== 'rmi' || !o.status || o.status.status === 'SUCCESS') return null;
  const name = rmiNameOfFid(a.fid);
  const x = (i: number) => a.args[i] ?? 0n;
  const st = o.status.status;
  const bad = (pair: string) => ({ property: 'Precedence', component: `${name} ${pair}`, detail: `returned ${st}(${o.status!.index}) although the higher-precedence condition holds` });
  switch (name) {
    case 'DATA_CREATE':
    case 'DATA_CREATE_UNKNOWN':
    case 'DATA_DESTROY': {
      // ipa_bound < rtt_walk, rtte_state
      const ipa = name === 'DATA_DESTROY' ? x(1) : x(2);
      if (st === 'ERROR_RTT' && isRd(pre, x(0)) && ipa >= 1n << BigInt(rdOf(pre, Number(x(0))).ipaWidth - 1)) return bad('ipa_bound < rtt_walk/rtte_state');
      return null;
    }
    case 'RTT_FOLD': // level_bound < rtt_walk, rtte_state
      if (st === 'ERROR_RTT' && isRd(pre, x(0)) && (x(2) < BigInt(rdOf(pre, Number(x(0))).rttLevelStart + 1) || x(2) > 3n)) return bad('level_bound < rtt_walk/rtte_state');
      return null;
    case 'RTT_UNMAP_UNPROTECTED': {
      if (st !== 'ERROR_RTT' || !isRd(pre, x(0))) return null;
      const w = BigInt(rdOf(pre, Number(x(0))).ipaWidth);
      if (x(2) < 1n || x(2) > 3n) return bad('level_bound < rtt_walk/rtte_state');
      if (x(1) < 1n << (w - 1n) || x(1) >= 1n << w) return bad('ipa_bound < rtt_walk');
      return null;
    }
    case 'RTT_INIT_RIPAS': // top_gran_align < no_progress
      return st === 'ERROR_RTT' && x(2) % GRANULE !== 0n ? bad('top_gran_align < no_progress') : null;
    case 'RTT_SET_RIPAS': // base_bound < base_align; top_gran_align < no_progress
      if (st !== 'ERROR_RTT') return null;
      if (x(3) % GRANULE !== 0n) return bad('top_gran_align < no_progress');
      if (isRec(pre, x(1)) && x(2) !== BigInt(recOf(pre, Number(x(1))).ripasAddr)) return bad('base_bound < base_align');
      return null;
    case 'REC_ENTER': {
      // run_bound/run_pas < realm_new, system_off, rec_runnable; rec_align/bound/state < rec_gicv3
      if ((st === 'ERROR_REALM' || st === 'ERROR_REC') && !isNs(pre, x(1))) return bad('run_bound/run_pas < realm_new/system_off/rec_runnable');
      if (st === 'ERROR_REC' && !isRec(pre, x(0))) return bad('rec_align/rec_bound/rec_state < rec_gicv3');
      return null;
    }
    default:
      return null;
  }
}
