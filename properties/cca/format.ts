// How CCA steps and results read in a trace listing and in `replay --json`.

import { Action, Observation } from '../../real/cca/actions';
import { encodeStep } from '../../real/cca/codec';

const hex = (v: bigint | number) => '0x' + BigInt(v).toString(16);

export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'rmi': {
      const e = encodeStep(a) as { rmi?: string; fid?: string };
      return `cpu${a.cpu} ${e.rmi ?? `SMC ${e.fid}`}(${a.args.map(hex).join(', ')})`;
    }
    case 'host-read':
      return `cpu${a.cpu} host read ${hex(a.addr)}${a.count > 1 ? ` x${a.count}` : ''}`;
    case 'host-write': {
      const nz = a.writes.filter((w) => w.value !== 0n);
      const shown = nz.slice(0, 4).map((w) => `+${hex(w.off)}=${hex(w.value)}`).join(' ');
      return `cpu${a.cpu} host write ${hex(a.addr)} ${shown}${nz.length > 4 ? ` (+${nz.length - 4} more)` : ''}${nz.length === 0 ? '(zeros)' : ''}`;
    }
    case 'dma-read':
      return `DMA read ${hex(a.addr)}`;
    case 'dma-write':
      return `DMA write ${hex(a.addr)} ${a.writes.map((w) => hex(w.value)).join(' ')}`;
    case 'realm': {
      const i = a.instr;
      const f = Object.entries(i)
        .filter(([k]) => k !== 'op')
        .map(([k, v]) => `${k}=${typeof v === 'bigint' ? hex(v) : v}`)
        .join(' ');
      return `cpu${a.cpu} realm ${i.op}${f ? ' ' + f : ''}`;
    }
    case 'micro':
      return `cpu${a.cpu} micro-op ${a.op}`;
  }
}

export function describeObservation(o: Observation): string {
  switch (o.kind) {
    case 'rmi': {
      if (!o.status) return `-> X0 = ${hex(o.x0)} (SMCCC NOT_SUPPORTED)`;
      const st = o.status.status === 'ERROR_RTT' || o.status.index ? `${o.status.status}(${o.status.index})` : o.status.status;
      const x = o.x.some((v) => v !== 0n) ? ` x=[${o.x.map(hex).join(', ')}]` : '';
      return `-> ${o.pending ? (o.name === 'REC_ENTER' ? 'REC running' : 'handler started') : st}${x}${o.failed ? ` [${o.failed}]` : ''}`;
    }
    case 'host-read':
    case 'dma-read':
      return o.fault ? `-> ${o.fault}` : `-> ${o.values!.map(hex).join(' ')}`;
    case 'host-write':
    case 'dma-write':
      return o.fault ? `-> ${o.fault}` : '-> ok';
    case 'realm': {
      let s = `-> ${o.event.what}${o.event.value !== undefined ? ` = ${hex(o.event.value)}` : ''}${o.event.sea ? ' [SEA]' : ''}${o.event.undef ? ' [UNDEF]' : ''}`;
      if (o.exit && o.exit.kind === 'rmi') s += `; REC_ENTER returns ${o.exit.status?.status}`;
      if (o.record) {
        const r = o.record as Record<string, bigint | bigint[]>;
        const fields = Object.entries(r)
          .filter(([k, v]) => k !== 'exitReason' && (Array.isArray(v) ? v.some((x) => x !== 0n) : v !== 0n))
          .map(([k, v]) => (Array.isArray(v) ? `${k}=[${v.map((x, i) => (x !== 0n ? `${i}:${hex(x)}` : '')).filter(Boolean).join(' ')}]` : `${k}=${hex(v)}`));
        if (fields.length) s += ` {${fields.join(', ')}}`;
      }
      return s;
    }
    case 'micro':
      return `-> ${o.op ?? 'waits (no eligible op)'}${o.done ? `; handler done: ${o.exit?.kind === 'rmi' ? `${o.exit.name} returns ${o.exit.status?.status}` : ''}` : ''}${o.permutation ? ` [${o.permutation}]` : ''}`;
    case 'skip':
      return `-> skipped: ${o.reason}`;
  }
}

/** The `replay --json` fields of an observation (DESIGN.md: status, index, x for RMI steps). */
export function observationJson(o: Observation): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  if (o.kind === 'rmi') {
    Object.assign(base, { status: o.status?.status ?? 'NOT_SUPPORTED', index: o.status?.index ?? 0, x0: hex(o.x0), x: o.x.map(hex) });
    if (o.pending) base.pending = true;
    if (o.failed) base.failed = o.failed;
  } else if (o.kind === 'host-read' || o.kind === 'dma-read') Object.assign(base, o.fault ? { fault: o.fault } : { values: o.values!.map(hex) });
  else if (o.kind === 'host-write' || o.kind === 'dma-write') Object.assign(base, o.fault ? { fault: o.fault } : {});
  else if (o.kind === 'realm') {
    Object.assign(base, { event: o.event.what, ...(o.event.value !== undefined ? { value: hex(o.event.value) } : {}), ...(o.event.sea ? { sea: true } : {}), ...(o.event.undef ? { undef: true } : {}) });
    if (o.exit && o.exit.kind === 'rmi') base.exit = { rmi: 'REC_ENTER', status: o.exit.status?.status, index: o.exit.status?.index ?? 0 };
    if (o.record) base.record = Object.fromEntries(Object.entries(o.record).map(([k, v]) => [k, Array.isArray(v) ? v.map(hex) : hex(v as bigint)]));
  } else if (o.kind === 'skip') base.skipped = o.reason;
  return base;
}
