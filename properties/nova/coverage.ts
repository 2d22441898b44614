// Coverage: every (hypercall, status) pair the faithful model can reach with the default configuration
// (the denominator), events, memory outcomes, and failure rows (count only).
import type { CoverageGroup } from '../../model/system';
import type { Action, Obs, State } from '../../real/nova/types';
import { statusName } from '../../real/nova/types';
import { pget } from '../../model/pvec';

/** Reachable pairs. Not reachable, hence not in the denominator: create_sc/create_pt ABORTED (a valid
 *  capability holds a reference, so binding never fails), create_ec BAD_FTR (vCPUs are supported by
 *  default), ctrl_pd BAD_FTR (no PIO/MSR spaces on Arm), ctrl_hw ABORTED (not modelled [D]). */
export const PAIRS: Readonly<Record<string, readonly string[]>> = {
  ipc_call: ['SUCCESS', 'TIMEOUT', 'ABORTED', 'BAD_CAP', 'BAD_CPU'],
  create_pd: ['SUCCESS', 'ABORTED', 'BAD_CAP', 'BAD_PAR', 'BAD_FTR', 'MEM_OBJ', 'MEM_CAP'],
  create_ec: ['SUCCESS', 'ABORTED', 'BAD_CAP', 'BAD_PAR', 'BAD_CPU', 'MEM_OBJ', 'MEM_CAP'],
  create_sc: ['SUCCESS', 'BAD_CAP', 'BAD_PAR', 'MEM_OBJ', 'MEM_CAP'],
  create_pt: ['SUCCESS', 'BAD_CAP', 'MEM_OBJ', 'MEM_CAP'],
  create_sm: ['SUCCESS', 'BAD_CAP', 'MEM_OBJ', 'MEM_CAP'],
  ctrl_pd: ['SUCCESS', 'BAD_CAP', 'BAD_PAR', 'MEM_CAP'],
  ctrl_ec: ['SUCCESS', 'BAD_CAP'],
  ctrl_sc: ['SUCCESS', 'BAD_CAP'],
  ctrl_pt: ['SUCCESS', 'BAD_CAP'],
  ctrl_sm: ['SUCCESS', 'TIMEOUT', 'OVRFLOW', 'BAD_CAP', 'BAD_CPU'],
  ctrl_hw: ['SUCCESS', 'BAD_HYP', 'BAD_PAR', 'BAD_FTR'],
  assign_int: ['SUCCESS', 'BAD_CAP', 'BAD_CPU'],
  assign_dev: ['SUCCESS', 'BAD_HYP', 'BAD_CAP', 'BAD_PAR', 'BAD_DEV'],
  bad: ['BAD_HYP'],
};
export const EVENTS = ['ipc rendezvous', 'ipc help', 'ipc reply', 'event delivered', 'event help', 'event kill (no PT)', 'event kill (CPU)', 'startup', 'recall', 'sm block', 'sm wake', 'kill aborts caller', 'irq delivered', 'irq masked', 'partial MEM_CAP'];
export const MEMORY = ['load ram', 'store ram', 'load utcb', 'store utcb', 'load hip', 'load fault', 'store fault', 'dma read', 'dma write', 'dma fault'];

export const GROUPS: readonly CoverageGroup[] = [
  { name: 'calls', label: '(hypercall, status) pairs', all: Object.entries(PAIRS).flatMap(([c, ss]) => ss.map((s) => `${c} ${s}`)) },
  { name: 'events', label: 'IPC, events, blocking', all: EVENTS },
  { name: 'memory', label: 'user and device accesses', all: MEMORY },
  { name: 'rows', label: 'failure rows hit', all: [], countOnly: true },
];

export function record(pre: State, a: Action, o: Obs, hit: (g: string, k: string) => void): void {
  const wakes = 'wakes' in o ? o.wakes : [];
  for (const w of wakes) {
    const e = pget(pre.objs, w.ec);
    const waitingOn = e && e.type === 'EC' ? e.st : '';
    if (waitingOn === 'sm') { hit('calls', `ctrl_sm ${statusName(w.status)}`); hit('events', 'sm wake'); }
    else if (waitingOn === 'call' && w.status >= 0) { hit('calls', `ipc_call ${statusName(w.status)}`); if (w.status === 2) hit('events', 'kill aborts caller'); }
  }
  switch (o.kind) {
    case 'hcall':
      if (o.status !== null) hit('calls', `${o.call} ${statusName(o.status)}`);
      if (o.note && o.status !== 0) hit('rows', `${o.call} ${o.note}`);
      if (o.note === 'rendezvous') hit('events', 'ipc rendezvous');
      if (o.note === 'help') hit('events', 'ipc help');
      if (o.note === 'blocked') hit('events', 'sm block');
      if (o.note === 'partial') hit('events', 'partial MEM_CAP');
      if (o.call === 'ipc_reply' && wakes.length) hit('events', 'ipc reply');
      break;
    case 'event': {
      const e = pget(pre.objs, o.ec);
      if (e && e.type === 'EC' && e.cont?.k === 'event' && e.cont.ev === 64) hit('events', 'startup');
      if (o.ev === 65) hit('events', 'recall');
      hit('events', o.killed ? (o.to < 0 ? 'event kill (no PT)' : 'event kill (CPU)') : pget(pre.objs, o.to)?.type === 'EC' && (pget(pre.objs, o.to) as { st: string }).st === 'wait' ? 'event delivered' : 'event help');
      break;
    }
    case 'mem': {
      if (o.fault) { hit('memory', o.write ? 'store fault' : 'load fault'); break; }
      const e = a.kind === 'load' || a.kind === 'store' ? pget(pre.objs, a.ec) : null;
      const h = e && e.type === 'EC' ? pget(pre.objs, e.hstSp) : null;
      const m = h && h.type === 'PD' && h.sub === 'hst' && (a.kind === 'load' || a.kind === 'store') ? h.maps.get(Number(a.addr >> 12n)) : undefined;
      hit('memory', `${o.write ? 'store' : 'load'} ${m?.kind ?? 'ram'}`);
      break;
    }
    case 'dma': hit('memory', o.fault ? 'dma fault' : a.kind === 'dma' && a.write ? 'dma write' : 'dma read'); break;
    case 'irq': hit('events', o.delivered ? 'irq delivered' : 'irq masked'); break;
    default: break;
  }
}
