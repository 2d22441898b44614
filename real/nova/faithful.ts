// The faithful specification object (B.4 as coded in udosteinberg/NOVA @ 8b6c28a0).
import type { Spec } from './spec';
import { CREATE_PD } from './calls/create-pd';
import { CREATE_EC } from './calls/create-ec';
import { CREATE_SC } from './calls/create-sc';
import { CREATE_PT } from './calls/create-pt';
import { CREATE_SM } from './calls/create-sm';
import { CTRL_PD } from './calls/ctrl-pd';
import { CTRL_EC, CTRL_PT, CTRL_SC } from './calls/ctrl';
import { CTRL_SM } from './calls/ctrl-sm';
import { ASSIGN_DEV, ASSIGN_INT, CTRL_HW } from './calls/hw';
import { IPC_CALL, IPC_REPLY } from './calls/ipc';
import { PT_EVENT } from './types';
import { capOf, obj } from './state';

export const faithful: Spec = {
  name: 'faithful',
  classic: false,
  calls: [IPC_CALL, IPC_REPLY, CREATE_PD, CREATE_EC, CREATE_SC, CREATE_PT, CREATE_SM, CTRL_PD, CTRL_EC, CTRL_SC, CTRL_PT, CTRL_SM, CTRL_HW, ASSIGN_INT, ASSIGN_DEV, null],
  lookup: (s, ec, sel) => capOf(s, ec, sel),
  // Capability::validate (inc/capability.hpp): object present, type (and subtype) match, all bits held.
  valid: (s, cap, type, sub, p) => {
    if (!cap) return false;
    const o = obj(s, cap.obj);
    return o !== null && o.type === type && (sub === null || (o.type === 'PD' && o.sub === sub)) && (cap.perm & p) === p;
  },
  mask: (perm, pmm) => perm & pmm,
  newPdPerm: (perm) => perm,
  inRange: (base, ord, n) => base + 2 ** ord <= n,
  overwrite: (_s, _old, next) => next,
  dropOnOverwrite: 1,
  eventPerm: PT_EVENT,
  eventSameCpu: true,
  smOverflow: true,
  quotas: true,
};
