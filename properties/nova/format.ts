// One-line descriptions of steps and observations, and the replay --json fields.
import { hex } from '../../model/bits';
import type { Action, Obs } from '../../real/nova/types';
import { statusName } from '../../real/nova/types';
import { decodeCall } from '../../real/nova/abi';

export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'hypercall': {
      const { name, args } = decodeCall(a.regs);
      return `cpu ${a.cpu} EC ${a.ec}: ${name}(${Object.entries(args).filter(([, v]) => v !== 0n).map(([k, v]) => `${k}=${v > 0xffffn ? hex(v) : v}`).join(', ')})`;
    }
    case 'load': return `cpu ${a.cpu} EC ${a.ec}: load ${hex(a.addr)}`;
    case 'store': return `cpu ${a.cpu} EC ${a.ec}: store ${hex(a.addr)} := ${hex(a.value)}${a.secret ? ' (secret)' : ''}`;
    case 'mov': return `cpu ${a.cpu} EC ${a.ec}: mov X${a.reg} := ${hex(a.value)}${a.secret ? ' (secret)' : ''}`;
    case 'exc': return `cpu ${a.cpu} EC ${a.ec}: exception/event ${a.ev}`;
    case 'irq': return `interrupt ${a.irq}`;
    case 'dma': return `device ${a.dev}: DMA ${a.write ? `write ${hex(a.addr)} := ${hex(a.value)}` : `read ${hex(a.addr)}`}`;
    case 'tick': return `cpu ${a.cpu}: ${a.ticks} ticks`;
  }
}
const wakes = (w: readonly { ec: number; status: number }[]) => (w.length ? ` wakes ${w.map((x) => `EC ${x.ec}:${x.status >= 0 ? statusName(x.status) : x.status === -1 ? 'resumes' : 'dies'}`).join(', ')}` : '');
export function describeObs(o: Obs): string {
  switch (o.kind) {
    case 'skip': return `-> skipped (${o.reason})`;
    case 'hcall': return `-> ${o.status === null ? `pending${o.note ? ` (${o.note})` : ''}` : statusName(o.status)}${o.out.length ? ` X1..=[${o.out.map(hex).join(', ')}]` : ''}${wakes(o.wakes)}`;
    case 'event': return `-> event ${o.ev} ${o.killed ? `kills EC ${o.ec}` : `to EC ${o.to}`}${wakes(o.wakes)}`;
    case 'mem': return o.fault ? '-> fault' : o.write ? '-> stored' : `-> ${hex(o.value ?? 0n)}`;
    case 'dma': return o.fault ? '-> DMA fault' : o.value === null ? '-> written' : `-> ${hex(o.value)}`;
    case 'irq': return o.delivered ? `-> delivered${wakes(o.wakes)}` : '-> not delivered (unrouted or masked)';
    case 'tick': return `-> time passes${wakes(o.wakes)}`;
    case 'mov': return '-> ok';
  }
}
export const label = (o: Obs): string => (o.kind === 'hcall' ? `hypercall ${o.call}` : o.kind);
export function obsJson(o: Obs): Record<string, unknown> {
  const j = JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? hex(v) : v))) as Record<string, unknown>;
  if (o.kind === 'hcall') { j.hypercall = o.call; j.status = o.status === null ? null : statusName(o.status); }
  return j;
}
