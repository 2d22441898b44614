// CCA's noninterference policy for the engine's two-run product. Parties: the host and each realm
// (`realm 0x4000`, by RD address). A realm's secrets are the values its programs mark `secret`
// (moves into X19-X22, then stored to its secret pages); realm programs declassify only public
// constants, so neither the host nor another realm may see anything that depends on them.

import type { Secrets } from '../../model/system';
import type { Action, Observation } from '../../real/cca/actions';
import { RealState, recOf } from '../../real/cca/state';

const FLIP = 0x5a5a_a5a5_0ff0_f00fn;

export const realmParty = (rd: number): string => `realm 0x${rd.toString(16)}`;

/** What the host sees of a realm step: the REC_ENTER completion and the exit record. */
const hostView = (o: Observation): unknown => (o.kind === 'realm' ? { exit: o.exit, record: o.record } : o);

export const ccaSecrets: Secrets<RealState, Action, Observation> = {
  parties: 'host, and each realm by its RD address (realm 0x4000)',
  actor(s, a) {
    if (a.kind !== 'realm') return null;
    const m = s.cpus[a.cpu]?.mode;
    return m && m.kind === 'realm' ? realmParty(recOf(s, m.rec).owner) : null;
  },
  holdsSecrets: (p) => p.startsWith('realm '),
  vary: (a) => (a.kind === 'realm' && a.instr.op === 'mov' && a.instr.secret ? { ...a, instr: { ...a.instr, value: a.instr.value ^ FLIP } } : a),
  views(o, s, a) {
    const actor = ccaSecrets.actor(s, a);
    // The acting realm sees its whole step; the host sees what leaves the realm.
    return actor === null ? [['host', o]] : [['host', hostView(o)], [actor, o]];
  },
  // No declassification rule lets a realm's secrets reach the host or another realm.
  mayFlow: () => false,
};
