// The faithful RIPAS rules (Spec.ripas): how RTT_INIT_RIPAS, RTT_SET_RIPAS, DATA_DESTROY and
// RTT_DESTROY change the RIPAS of protected entries (reference §6 and invariant 8).

import type { RipasRules } from './spec';
import { RttEntry, Rec } from './state';
import { UNASSIGNED, makeEntry } from './rtt';

/** RTT_SET_RIPAS: the entry after the REC's request, or null where it stops (TABLE, NS, DESTROYED without consent). */
export function applyRipas(e: RttEntry, rec: Rec): RttEntry | null {
  if (e.hipas !== 'UNASSIGNED' && e.hipas !== 'ASSIGNED') return null; // TABLE or NS: stop
  if (e.ripas === 'DESTROYED' && !rec.ripasDestroyed) return null;
  return e.ripas === rec.ripasValue ? e : makeEntry(e.hipas, rec.ripasValue, e.addr, e.attrs);
}

export const faithfulRipas: RipasRules = {
  // UNASSIGNED EMPTY or RAM becomes (stays) RAM; ASSIGNED, DESTROYED, TABLE and NS entries stop it.
  init: (e) => (e.hipas === 'UNASSIGNED' && e.ripas !== 'DESTROYED' ? UNASSIGNED('RAM') : null),
  set: applyRipas,
  // RAM the host takes away becomes DESTROYED (the realm must consent to use it again); EMPTY stays.
  afterDataDestroy: (r) => (r === 'EMPTY' ? 'EMPTY' : 'DESTROYED'),
  afterRttDestroy: () => 'DESTROYED',
};
