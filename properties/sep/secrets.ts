// sep's noninterference policy (P2, intransitive): parties are the guests (`guest 0`, `guest 1`, ...).
// A guest's secrets are the values its programs mark `secret` (movs), its devices' inputs and its DMA
// data. A guest not reachable from the varied guest along the channel policy (cpol*) must observe
// exactly the same in both runs; a reachable one may depend only on what arrives through its incoming
// channel pages and notifications (`received`: compared until those differ between the runs), and the
// varied guest sees its own steps.

import type { Secrets } from '../../model/system';
import type { Action, Obs } from '../../real/sep/actions';
import type { RealState } from '../../real/sep/state';
import { mboxAt } from '../../real/sep/state';
import { pget } from '../../model/pvec';

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
  // Every channel into the guest: the page as memory holds it and as a cached load would see it (a
  // receiver mapping may be either), and the notification mailbox. Nothing else of another guest.
  received(party, s) {
    const g = guestOf(party);
    const out: unknown[] = [];
    s.cfg.channels.forEach((ch, i) => {
      if (ch.to !== g || ch.pa < 0 || ch.pa >= s.cfg.ramPages) return;
      out.push(i, pget(s.mem, ch.pa), s.cache?.get(ch.pa) ?? null, mboxAt(s, ch.from, ch.to));
    });
    return out;
  },
};
