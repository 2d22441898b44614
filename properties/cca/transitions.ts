// The temporal statements of reference §8, checked on every step (pre-state, action, post-state):
//   §8.7 the RIM changes only while the realm is NEW;
//   §8.8 RIPAS changes: EMPTY→RAM only by RTT_INIT_RIPAS (NEW), a realm-requested RTT_SET_RIPAS or
//        DATA_CREATE (NEW); RAM→EMPTY only by RTT_SET_RIPAS; →DESTROYED only by DATA_DESTROY of a RAM
//        page or RTT_DESTROY; DESTROYED→anything only with the realm's consent (CHANGE_DESTROYED).
// So the host can never silently substitute memory behind RIPAS RAM.

import { Action } from '../../real/cca/actions';
import { hex } from '../../model/bits';
import { pdiff } from '../../model/pvec';
import { rmiNameOfFid } from '../../real/cca/rmi';
import { RealState, Rd, Rtt, recOf } from '../../real/cca/state';
import { Violation } from './relation';

export function checkTransitions(pre: RealState, post: RealState, a: Action): Violation[] {
  if (pre.granules === post.granules) return [];
  const out: Violation[] = [];
  const cmd = a.kind === 'rmi' ? rmiNameOfFid(a.fid) : undefined;
  const what = cmd ?? a.kind;
  pdiff(pre.granules, post.granules, (i, g0, g1) => {
    // RIM (§8.7).
    if (g0.state === 'RD' && g1.state === 'RD') {
      const r0 = g0.content as Rd;
      const r1 = g1.content as Rd;
      if (r0.measurements[0] !== r1.measurements[0] && r0.state !== 'NEW')
        out.push({ property: 'Transition', component: `realm ${hex(i * 4096)} RIM`, detail: `${what} changed the RIM of a realm that is ${r0.state}` });
    }
    // RIPAS (§8.8), entry by entry of tables that stayed tables.
    if (g0.state !== 'RTT' || g1.state !== 'RTT') return;
    // (The entry arrays are read once per table, not on every entry: this loop runs on every RTT step.)
    const x0 = (g0.content as Rtt).entries;
    const x1 = (g1.content as Rtt).entries;
    for (let j = 0; j < x0.length; j++) {
      const e0 = x0[j];
      const e1 = x1[j];
      if (e0 === e1 || e0.ripas === e1.ripas) continue;
      const protectedBoth = (e0.hipas === 'UNASSIGNED' || e0.hipas === 'ASSIGNED') && (e1.hipas === 'UNASSIGNED' || e1.hipas === 'ASSIGNED');
      if (!protectedBoth) continue; // a TABLE or NS entry has no RIPAS
      const why = illegal(e0.ripas, e1.ripas, cmd, pre, a);
      if (why) out.push({ property: 'Transition', component: `rtt ${hex(i * 4096)} entry ${j} (level ${(g1.content as Rtt).level})`, detail: `RIPAS ${e0.ripas} -> ${e1.ripas} by ${what}: ${why}` });
    }
  });
  return out;
}

function illegal(from: string, to: string, cmd: string | undefined, pre: RealState, a: Action): string | null {
  if (from === 'DESTROYED') {
    if (cmd === 'DATA_CREATE') return null; // only while NEW (its realm_state row), RIPAS := RAM
    if (cmd !== 'RTT_SET_RIPAS') return 'only the realm can take a DESTROYED page back';
    const rec = a.kind === 'rmi' ? recOf(pre, Number(a.args[1])) : undefined;
    return rec?.ripasDestroyed ? null : 'the realm did not consent (CHANGE_DESTROYED)';
  }
  if (to === 'DESTROYED') return cmd === 'DATA_DESTROY' && from === 'RAM' ? null : 'only DATA_DESTROY of a RAM page destroys a page';
  if (from === 'EMPTY' && to === 'RAM') return cmd === 'RTT_INIT_RIPAS' || cmd === 'RTT_SET_RIPAS' || cmd === 'DATA_CREATE' ? null : 'not a RIPAS command';
  if (from === 'RAM' && to === 'EMPTY') return cmd === 'RTT_SET_RIPAS' ? null : 'only the realm may give up RAM';
  return null;
}
