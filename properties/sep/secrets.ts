// sep's noninterference policy (P2, intransitive): parties are the guests (`guest 0`, `guest 1`, ...).
// A guest's secrets are the values its programs mark `secret` (movs), its devices' inputs and its DMA
// data. A guest not reachable from the varied guest along the channel policy (cpol*) must observe
// exactly the same in both runs; a reachable one may see what arrives through channel pages and
// notifications (mayFlow), and the varied guest sees its own steps.

import type { Secrets } from '../../model/system';
import type { Action, Obs } from '../../real/sep/actions';
import type { RealState } from '../../real/sep/state';

const FLIP = 0x5a5a_a5a5_0ff0_f00fn;
export const guestParty = (g: number): string => `guest ${g}`;
const guestOf = (p: string): number => (p.startsWith('guest ') ? Number(p.slice(6)) : -1);

export const sepSecrets: Secrets<RealState, Action, Obs> = {
  parties: 'each guest by its configuration index (guest 0, guest 1, ...)',
  actor(s, a) {
    if (a.kind === 'device' || a.kind === 'dma') { const d = s.cfg.devices[a.dev]; return d ? guestParty(d.owner) : null; }
    const g = s.layout.guestOf[a.core];
    return g === undefined || g < 0 ? null : guestParty(g);
  },
  holdsSecrets: (p) => p.startsWith('guest '),
  vary(a) {
    if (a.kind === 'guest' && a.instr.op === 'mov' && a.instr.secret) return { ...a, instr: { ...a.instr, value: a.instr.value ^ FLIP } };
    if (a.kind === 'device' && a.op === 'input') return { ...a, value: a.value ^ FLIP };
    if (a.kind === 'dma' && a.write) return { ...a, value: a.value ^ FLIP };
    return a;
  },
  // Only the observing guest sees a step's event (every other guest sees nothing of it).
  views: (o) => (o.g >= 0 ? [[guestParty(o.g), o.ev]] : []),
  mayFlow(from, to, s) {
    const a = guestOf(from), b = guestOf(to);
    if (a < 0 || b < 0) return false;
    return s.layout.reach[a]?.has(b) ?? false;
  },
};
