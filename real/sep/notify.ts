// A.4.1 `HVC #v` — IGC_NOTIFY [H]. The channel is s = v if v < ns, else ⊥ (encoding [D]). The handler
// reads and writes no GPR and returns at the next instruction whatever the outcome: the outcome name is
// for coverage only. A status would tell the sender the receiver's power or acknowledgement state (a
// back-channel; HASPOC returns nothing [H]).

import { Row, row, NotifyCtx } from './spec';
import type { Core, RealState } from './state';
import { mboxAt, withState } from './state';

export const SGI_IGC = 15;

/** The receiver's powered core with the least guest-local index κ, or -1. */
export function igcTarget(s: RealState, to: number): number {
  for (const c of s.layout.coresOf[to]) if (s.pow[c]) return c;
  return -1;
}

const to = (x: NotifyCtx) => x.s.cfg.channels[x.ch].to;

/** The outcomes in A.4.1's order; none holding = GRANT. */
export const NOTIFY_ROWS: readonly Row<NotifyCtx>[] = [
  row('DROP_BAD', (x) => x.ch < 0),
  row('DROP_NOT_SENDER', (x) => x.s.cfg.channels[x.ch].from !== x.g),
  row('DROP_NO_TARGET', (x) => igcTarget(x.s, to(x)) < 0),
  row('DROP_BUSY', (x) => mboxAt(x.s, x.g, to(x)) === 1),
];

export const NOTIFY_OUTCOMES = ['DROP_BAD', 'DROP_NOT_SENDER', 'DROP_NO_TARGET', 'DROP_BUSY', 'GRANT'] as const;

/** GRANT: mbox[g][g'] := 1; SGI 15 from the caller's core to the receiver's least powered core. */
export function notifyGrant(x: NotifyCtx): RealState {
  const s = x.s;
  const g2 = to(x);
  const t = igcTarget(s, g2);
  const mbox = s.mbox.slice();
  mbox[x.g * s.layout.nGuests + g2] = 1;
  const sgi = t < 0 || s.sgi.some((q) => q.src === x.c && q.dst === t && q.id === SGI_IGC) ? s.sgi : [...s.sgi, { src: x.c, dst: t, id: SGI_IGC }];
  return withState(s, { mbox, sgi });
}

/** Resume at ELR_EL2 (already the next instruction); no register changes. */
export const notifyResume = (core: Core): Core => ({ ...core, pc: core.el2.elr });

export function decodeChannel(s: RealState, imm: number): number {
  return imm >= 0 && imm < s.cfg.channels.length ? imm : -1;
}
