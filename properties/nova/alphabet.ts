// NOVA's finite action alphabet for exhaustive small-scope runs (`explore --system nova --depth D`).
// From each state, for every runnable EC: each hypercall with the capability selectors it holds now
// (every create call into the first free slot, with each PD capability; ctrl_pd copies of each held
// capability into the first free slot with a full and two partial masks, revocation of each slot by
// delegating a null onto itself, a page mapping between held memory spaces, one out-of-range source;
// ctrl_ec/sc/pt/sm, ctrl_hw, assign_int/dev, ipc_call/reply, the B.5 revoke when the classic mapping
// database exists), a user load and store, an exception through each held portal; and the interrupt,
// tick and DMA when they can matter. A slot is "the first free one" so that the same object created
// after different histories lands on the same selector (fewer distinct states).

import { pget, ptoArray } from '../../model/pvec';
import { encodeCall, Args } from '../../real/nova/abi';
import type { Action, Cap, Config, Ec, Kobj, State } from '../../real/nova/types';
import { memsel, objSpace, selnum } from '../../real/nova/state';

/** Two CPUs (a portal on the other CPU), one IRQ, SMMU and device; 8 pages (4 kernel, 1 GIC, 3 user);
 *  10-bit selectors (two capability tables); small quotas so MEM_OBJ / MEM_CAP are reachable. */
export const SMALL_SCOPE: Partial<Config> = {
  cpus: 2, selBits: 10, memBits: 8, pages: 8, kernelPages: 4, quota: 3, capQuota: 1, rootQuota: 8,
  maxObjects: 32, irqs: 1, smmus: 1, devices: 1,
};

/** Slots creations and copies go to (the low table; the boot capabilities sit at the top). */
const SLOTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
/** pmm: all bits, and one partial mask that drops bits 2 and 3 (a PD capability without SC and PT,
 *  a PT capability without EVENT, an SC capability with bits it never had). */
const MASKS = [0x1f, 0x13];
/** The host page user code maps and touches (and where a UTCB of a new EC goes, plus its slot). */
const VPAGE = 0x10, UTCB_BASE = 0x20;

const obj = (s: State, c: Cap): Kobj | null => (c.obj >= 0 && c.obj < s.objs.size ? pget(s.objs, c.obj) : null);
const is = (t: string, sub?: string) => (o: Kobj | null): boolean => !!o && o.type === t && (sub === undefined || (o as { sub?: string }).sub === sub);

export function alphabet(c: Config, s: State): Action[] {
  const out: Action[] = [];
  const ecs: Ec[] = [];
  for (let i = 0; i < s.next; i++) { const o = pget(s.objs, i); if (o && o.type === 'EC') ecs.push(o); }
  for (const e of ecs) if (e.st === 'run' && e.sub !== 'vcpu') out.push(...ecActions(c, s, e));
  // Asynchronous events, only where they can do something (keeps the branching small).
  if (ecs.some((e) => e.st === 'sm')) out.push({ kind: 'tick', cpu: 0, ticks: 1 });
  for (let i = 0; i < s.next; i++) { const o = pget(s.objs, i); if (o && o.type === 'SM' && o.irq >= 0 && o.route) out.push({ kind: 'irq', irq: o.irq }); }
  s.devs.forEach((d, dev) => { if (d >= 0) out.push({ kind: 'dma', dev, addr: BigInt(VPAGE) << 12n, write: true, value: 7n }); });
  return out;
}

function ecActions(c: Config, s: State, e: Ec): Action[] {
  const sp = objSpace(s, e.objSp);
  const caps = sp ? [...sp.caps].sort((a, b) => a[0] - b[0]) : [];
  const h = (name: string, a: Args): Action => ({ kind: 'hypercall', cpu: e.cpu, ec: e.id, regs: encodeCall(name, a) });
  const sel = (want: (o: Kobj | null, cap: Cap) => boolean) => caps.filter(([, cap]) => want(obj(s, cap), cap)).map(([k]) => k);
  const free = SLOTS.find((k) => !sp?.caps.has(k)) ?? SLOTS[0];
  const pds = sel(is('PD', 'pd')), locals = sel(is('EC', 'local')), globals = sel((o) => is('EC')(o) && (o as Ec).sub !== 'local');
  const pts = sel(is('PT')), sms = sel(is('SM')), scs = sel(is('SC'));
  const objSps = sel(is('PD', 'obj')), memSps = sel((o) => !!o && o.type === 'PD' && o.sub !== 'pd' && o.sub !== 'obj');
  const take = (k: number) => (sp!.caps.get(k)!.perm & 2) !== 0, grant = (k: number) => (sp!.caps.get(k)!.perm & 1) !== 0;
  const out: Action[] = [];
  if (e.caller >= 0) out.push(h('ipc_reply', { mtd: 0 }));
  for (const pd of pds) {
    for (const op of [0, 1, 2, 4]) out.push(h('create_pd', { sel: free, pd, op }));
    // A local EC on each CPU (a portal on the other CPU) and a global EC; the UTCB goes to a page per slot.
    const hva = (UTCB_BASE + free) << 12;
    out.push(h('create_ec', { sel: free, pd, hva, cpu: 0 }), h('create_ec', { sel: free, pd, hva, cpu: 1 }), h('create_ec', { sel: free, pd, hva, cpu: 0, T: true }));
    for (const ec of globals) out.push(h('create_sc', { sel: free, pd, ec, budget: 1, prio: 1 }));
    for (const ec of locals) out.push(h('create_pt', { sel: free, pd, ec }));
    out.push(h('create_sm', { sel: free, pd, cnt: 0 }), h('create_sm', { sel: free, pd, cnt: (1n << 64n) - 1n }));
  }
  // Capability copies from each object space the EC may take from, into each it may grant to.
  for (const src of objSps.filter(take)) {
    const from = obj(s, sp!.caps.get(src)!);
    if (!from || from.type !== 'PD' || from.sub !== 'obj') continue;
    const held = [...from.caps.keys()].sort((a, b) => a - b);
    for (const dst of objSps.filter(grant)) {
      const to = obj(s, sp!.caps.get(dst)!);
      const slot = to && to.type === 'PD' && to.sub === 'obj' ? SLOTS.find((k) => !to.caps.has(k)) ?? SLOTS[0] : free;
      for (const ssb of held) {
        // From NOVA's own space only the host space and the interrupt SM are worth taking.
        if (from.id === s.novaObj && ssb !== selnum(c) - 3 && ssb !== Math.min(1 << 16, selnum(c) >> 2)) continue;
        for (const pmm of from.id === s.novaObj ? [0x1f] : MASKS) out.push(h('ctrl_pd', { src, dst, ssb, dsb: slot, ord: 0, pmm }));
      }
    }
    // Revocation by delegating a null onto a slot of the EC's own space (B.4: pmm 0 onto itself).
    if (from.id === e.objSp) for (const k of held) out.push(h('ctrl_pd', { src, dst: src, ssb: k, dsb: k, ord: 0, pmm: 0 }));
  }
  // Invalid: a source range past the selectors (BAD_PAR).
  if (objSps.length) out.push(h('ctrl_pd', { src: objSps[0], dst: objSps[0], ssb: selnum(c), dsb: free, ord: 0, pmm: 0x1f }));
  // Memory: the first user page (or the first mapped page) of each memory space into VPAGE of each.
  for (const src of memSps.filter(take)) {
    const from = obj(s, sp!.caps.get(src)!);
    if (!from || from.type !== 'PD' || from.sub === 'pd' || from.sub === 'obj') continue;
    const ssb = from.id === s.novaHst ? c.kernelPages : [...from.maps].filter(([, m]) => m.kind === 'ram').map(([k]) => k).sort((a, b) => a - b)[0];
    if (ssb === undefined) continue;
    for (const dst of memSps.filter(grant)) if (dst !== src) out.push(h('ctrl_pd', { src, dst, ssb, dsb: VPAGE, ord: 0, pmm: 3 }));
  }
  // ctrl_ec on other ECs (a RECALL of the caller itself would need a handler); ctrl_sc also on an EC
  // capability (type confusion); ctrl_pt; ctrl_sm up, and down with a timeout.
  for (const k of [...locals, ...globals]) if (obj(s, sp!.caps.get(k)!)?.id !== e.id) out.push(h('ctrl_ec', { ec: k }));
  for (const k of [...scs, ...globals.slice(0, 1)]) out.push(h('ctrl_sc', { sc: k }));
  for (const k of pts) out.push(h('ctrl_pt', { pt: k, id: 1n, mtd: 4 }), h('ipc_call', { pt: k, mtd: 0, T: true }));
  for (const k of sms) out.push(h('ctrl_sm', { sm: k }), h('ctrl_sm', { sm: k, D: 1, stc: s.now + 1n }), h('assign_int', { sm: k, cpu: 0, dev: 0 }));
  for (const k of memSps) out.push(h('assign_dev', { dma: k, smmu: 0x2000_0000n, dad: 0 }));
  out.push(h('ctrl_hw', { op: 0 }));
  if (s.mdb) for (const [k] of caps) if (k < SLOTS[SLOTS.length - 1] || k === selnum(c) - 3) out.push(h('revoke', { sel: k, mask: 1 }));
  // User code: a store and a load at VPAGE, a load of the HIP; an exception through each held portal
  // (the event selector is evt + ev).
  const va = BigInt(VPAGE) << 12n;
  out.push({ kind: 'store', cpu: e.cpu, ec: e.id, addr: va, value: 1n }, { kind: 'load', cpu: e.cpu, ec: e.id, addr: va }, { kind: 'load', cpu: e.cpu, ec: e.id, addr: BigInt(memsel(c) - 1) << 12n });
  for (const k of pts) if (BigInt(k) >= e.evt && BigInt(k) - e.evt < 128n) out.push({ kind: 'exc', cpu: e.cpu, ec: e.id, ev: Number(BigInt(k) - e.evt) });
  return out;
}

/** What matters of a pair for de-duplication: objects, memory, time, devices and the mapping database
 *  of both machines (not the configuration, nor the ghost flows/writers the checks here do not read). */
export function stateKey(r: State, i: State): string {
  // The ideal usually equals the real state: then it adds one character (compared by content, not by
  // sharing, so equal pairs get equal keys; the memo makes the second encoding cheap).
  const a = part(r), b = part(i);
  return a === b ? `${a}|=` : `${a}|${b}`;
}
const part = (s: State): string => `${s.next},${s.now},${s.pdCount},${s.devs.join(':')},${enc(s.objs, s.next)},${enc(s.mem)},${s.mdb ? enc(s.mdb) : ''}`;

// States share unchanged objects (persistent vectors, copy on write), so each immutable object is
// encoded once and remembered by identity: a key costs what changed, not the whole state.
const memo = new WeakMap<object, string>();
/** Canonical text: bigints in hex, Maps and Sets sorted, records with sorted keys, a persistent vector
 *  as its non-zero entries (a UTCB, memory) or its first `n` entries (the objects). */
function enc(v: unknown, n?: number): string {
  if (typeof v === 'bigint') return '0x' + v.toString(16);
  if (v === null || typeof v !== 'object') return String(v);
  const hit = n === undefined ? memo.get(v) : undefined;
  if (hit !== undefined) return hit;
  let out: string;
  if (v instanceof Map) out = '{' + [...v].map(([k, x]) => `${enc(k)}=${enc(x)}`).sort().join(',') + '}';
  else if (v instanceof Set) out = '<' + [...v].map((x) => enc(x)).sort().join(',') + '>';
  else if (Array.isArray(v)) out = '[' + v.map((x) => enc(x)).join(',') + ']';
  else if ('root' in v && 'shift' in v && 'size' in v) {
    const xs = ptoArray(v as never) as unknown[];
    out = n !== undefined ? '[' + xs.slice(0, n).map((x) => enc(x)).join(',') + ']' : '(' + xs.flatMap((x, k) => (x ? [`${k}:${enc(x)}`] : [])).join(',') + ')';
  } else out = '{' + Object.keys(v).sort().map((k) => `${k}:${enc((v as Record<string, unknown>)[k])}`).join(',') + '}';
  if (n === undefined) memo.set(v, out);
  return out;
}
