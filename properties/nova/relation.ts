// The relation between the real machine and the ideal (B.6/B.7): RS1 authority — every capability
// table and memory table of the real machine, read as Hold, equals the ideal's Hold — and the rest of
// the world equal (objects, counters, EC states, memory). Incremental: only objects and memory words
// that changed (by identity) since the last compared pair are compared.
import type { Violation } from '../../model/system';
import { pdiff, pget } from '../../model/pvec';
import { hex } from '../../model/bits';
import type { Kobj, State } from '../../real/nova/types';

export const show = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? hex(x) : x instanceof Map ? [...x.entries()] : x instanceof Set ? [...x] : x));
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Map) { if (!(b instanceof Map) || a.size !== b.size) return false; for (const [k, v] of a) if (!b.has(k) || !same(v, b.get(k))) return false; return true; }
  if (a instanceof Set) { if (!(b instanceof Set) || a.size !== b.size) return false; for (const v of a) if (!b.has(v)) return false; return true; }
  if (Array.isArray(a)) { if (!Array.isArray(b) || a.length !== b.length) return false; return a.every((x, i) => same(x, b[i])); }
  if ('root' in a && 'shift' in a && 'size' in a) { // a PVec
    const x = a as { size: number }, y = b as { size: number };
    if (x.size !== y.size) return false;
    let eq = true;
    pdiff(x as never, y as never, (_i, u, w) => { if (u !== w) eq = false; });
    return eq;
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** One object of the real machine against the ideal's: tables are RS1 (authority), the rest the world. */
export function compareObject(id: number, r: Kobj | null, i: Kobj | null, out: Violation[], tablesOnly = false): void {
  if (r === i) return;
  if (!r || !i || r.type !== i.type) { if (tablesOnly && r && i) return; out.push({ property: r && i ? 'Relation' : 'RS1', component: `object ${id}`, detail: `real ${r ? r.type : 'none'}, ideal ${i ? i.type : 'none'}` }); return; }
  if (r.type === 'PD' && i.type === 'PD' && r.sub === 'obj' && i.sub === 'obj') {
    for (const sel of new Set([...r.caps.keys(), ...i.caps.keys()])) {
      const a = r.caps.get(sel), b = i.caps.get(sel);
      if (a === b || (a && b && a.obj === b.obj && a.perm === b.perm)) continue;
      out.push({ property: 'RS1', component: `object space ${id} sel 0x${sel.toString(16)}`, detail: `real ${a ? `(obj ${a.obj}, perm 0x${a.perm.toString(16)})` : 'null'}, Hold ${b ? `(obj ${b.obj}, perm 0x${b.perm.toString(16)})` : 'null'}` });
      return;
    }
  }
  if (r.type === 'PD' && i.type === 'PD' && r.sub !== 'pd' && r.sub !== 'obj' && i.sub !== 'pd' && i.sub !== 'obj') {
    for (const p of new Set([...r.maps.keys(), ...i.maps.keys()])) {
      const a = r.maps.get(p), b = i.maps.get(p);
      if (a === b || same(a, b)) continue;
      out.push({ property: 'RS1', component: `${r.sub} space ${id} page 0x${p.toString(16)}`, detail: `real ${a ? show(a) : 'unmapped'}, Hold ${b ? show(b) : 'unmapped'}` });
      return;
    }
  }
  if (tablesOnly) return;
  for (const k of Object.keys(r) as (keyof Kobj)[]) {
    if (k === ('caps' as never) || k === ('maps' as never)) continue;
    const a = (r as unknown as Record<string, unknown>)[k], b = (i as unknown as Record<string, unknown>)[k];
    if (!same(a, b)) { out.push({ property: 'Relation', component: `object ${id} (${r.type}) ${String(k)}`, detail: `real ${show(a)}, ideal ${show(b)}` }); return; }
  }
}

export class Relation {
  private r: State | null = null;
  private i: State | null = null;
  check(real: State, ideal: State): Violation[] {
    const out: Violation[] = [];
    const changed = new Set<number>();
    if (this.r && this.i) {
      pdiff(this.r.objs, real.objs, (k) => changed.add(k));
      pdiff(this.i.objs, ideal.objs, (k) => changed.add(k));
    } else for (let k = 0; k < Math.max(real.next, ideal.next); k++) changed.add(k);
    // Authority first (RS1: every table read as Hold), then the rest of the world.
    const ids = [...changed].sort((a, b) => a - b);
    for (const k of ids) { compareObject(k, pget(real.objs, k), pget(ideal.objs, k), out, true); if (out.length) break; }
    if (!out.length) for (const k of ids) { compareObject(k, pget(real.objs, k), pget(ideal.objs, k), out); if (out.length) break; }
    if (!out.length && real.mem !== ideal.mem) {
      const words = new Set<number>();
      if (this.r && this.i) { pdiff(this.r.mem, real.mem, (k) => words.add(k)); pdiff(this.i.mem, ideal.mem, (k) => words.add(k)); }
      else for (let k = 0; k < real.mem.size; k++) words.add(k);
      for (const k of words) if (pget(real.mem, k) !== pget(ideal.mem, k)) { out.push({ property: 'Relation', component: `memory page ${k >> 9} word ${k & 511}`, detail: `real ${hex(pget(real.mem, k))}, ideal ${hex(pget(ideal.mem, k))}` }); break; }
    }
    if (!out.length) for (const k of ['next', 'now', 'pdCount', 'devs'] as const) if (!same(real[k], ideal[k])) { out.push({ property: 'Relation', component: k, detail: `real ${show(real[k])}, ideal ${show(ideal[k])}` }); break; }
    this.r = real; this.i = ideal;
    return out;
  }
}
