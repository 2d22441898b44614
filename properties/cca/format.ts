// How CCA steps and results read in a trace listing and in `replay --json`.

import { Action, FieldWrite, Observation } from '../../real/cca/actions';
import { encodeStep } from '../../real/cca/codec';
import { REALM_PARAMS, REC_ENTRY, REC_PARAMS } from '../../real/cca/layout';
import type { RmiName } from '../../real/cca/rmi';

const hex = (v: bigint | number) => '0x' + BigInt(v).toString(16);

/** Argument names of each RMI command, X1 onwards, as reference §6 names them. */
export const RMI_ARGS: { readonly [K in RmiName]: readonly string[] } = {
  VERSION: ['req'], FEATURES: ['index'], GRANULE_DELEGATE: ['addr'], GRANULE_UNDELEGATE: ['addr'],
  REALM_CREATE: ['rd', 'params'], REALM_ACTIVATE: ['rd'], REALM_DESTROY: ['rd'], REC_AUX_COUNT: ['rd'],
  REC_CREATE: ['rd', 'rec', 'params'], REC_DESTROY: ['rec'], REC_ENTER: ['rec', 'run'], PSCI_COMPLETE: ['calling_rec', 'target_rec', 'status'],
  DATA_CREATE: ['rd', 'data', 'ipa', 'src', 'flags'], DATA_CREATE_UNKNOWN: ['rd', 'data', 'ipa'], DATA_DESTROY: ['rd', 'ipa'],
  RTT_CREATE: ['rd', 'rtt', 'ipa', 'level'], RTT_DESTROY: ['rd', 'ipa', 'level'], RTT_FOLD: ['rd', 'ipa', 'level'],
  RTT_INIT_RIPAS: ['rd', 'base', 'top'], RTT_SET_RIPAS: ['rd', 'rec', 'base', 'top'],
  RTT_MAP_UNPROTECTED: ['rd', 'ipa', 'level', 'desc'], RTT_UNMAP_UNPROTECTED: ['rd', 'ipa', 'level'], RTT_READ_ENTRY: ['rd', 'ipa', 'level'],
};

const ARRAYS: Record<string, number> = { rpv: 8, gprs: 31, aux: 16, gicv3Lrs: 16 };

/** Field names of a host write into an ABI structure, when its offsets say which one it is. */
function structFields(ws: readonly FieldWrite[]): { name: string; fields: string[] } | null {
  const offs = new Set(ws.map((w) => w.off));
  const layouts: [string, Record<string, number>, boolean][] = [
    ['realmParams', REALM_PARAMS, offs.has(REALM_PARAMS.rttBase) && offs.has(REALM_PARAMS.s2sz)],
    ['recParams', REC_PARAMS, offs.has(REC_PARAMS.numAux) && (offs.has(REC_PARAMS.pc) || offs.has(REC_PARAMS.mpidr))],
    ['recEntry', REC_ENTRY, offs.has(REC_ENTRY.gicv3Hcr) && offs.has(REC_ENTRY.gprs)],
  ];
  const hit = layouts.find(([, , yes]) => yes);
  if (!hit) return null;
  const [name, layout] = hit;
  const nameOf = (off: number): string | null => {
    for (const [f, o] of Object.entries(layout)) {
      if (off === o && !(f in ARRAYS)) return f;
      if (f in ARRAYS && off >= o && off < o + 8 * ARRAYS[f]) return `${f}[${(off - o) / 8}]`;
    }
    return null;
  };
  const fields: string[] = [];
  for (const w of ws) {
    if (w.value === 0n) continue;
    const f = nameOf(w.off);
    if (!f) return null;
    fields.push(`${f}=${hex(w.value)}`);
  }
  return { name, fields };
}

export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'rmi': {
      const e = encodeStep(a) as { rmi?: RmiName; fid?: string };
      const names = e.rmi ? RMI_ARGS[e.rmi] : [];
      return `cpu${a.cpu} ${e.rmi ?? `SMC ${e.fid}`}(${a.args.map((v, i) => (names[i] ? `${names[i]}=${hex(v)}` : hex(v))).join(', ')})`;
    }
    case 'host-read':
      return `cpu${a.cpu} host read ${hex(a.addr)}${a.count > 1 ? ` x${a.count}` : ''}`;
    case 'host-write': {
      const st = structFields(a.writes);
      if (st) return `cpu${a.cpu} host write ${hex(a.addr)} ${st.name} {${st.fields.join(', ')}}`;
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
