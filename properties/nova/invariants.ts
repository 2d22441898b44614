// RS4 (a)–(f) and RS3's placement rules on the real state (B.7), written from the reference without
// the real machine's code: (a) perm ⊆ DEFINED(type), non-zero; (b) ≤ 1 object and host space per PD;
// (c) no capability to a destroyed object, refcount = capabilities + internal references; (d) local
// ECs have no SC, global ECs no PT, an SC's CPU is its EC's; (e) SM waiters ⇒ counter 0, an EC waits
// on ≤ 1 SM; (f) caller chains acyclic and two-sided. RS3: no mapping of NOVA-protected memory, the
// HIP only in the root PD's host space, a UTCB only in its own PD's host space.
import type { Violation } from '../../model/system';
import { pdiff, pget } from '../../model/pvec';
import type { Kobj, State } from '../../real/nova/types';
import { definedPerms } from '../../real/nova/types';
import { isProtected } from '../../real/nova/state';

const v = (property: string, component: string, detail: string): Violation => ({ property, component, detail });

/** The objects an object holds a reference on (RS4c): capabilities, its PD, spaces, EC, callee, SM. */
export function references(o: Kobj): number[] {
  return refsOf(o).filter((x) => x >= 0);
}
function refsOf(o: Kobj): number[] {
  switch (o.type) {
    case 'PD': return o.sub === 'pd' ? [] : o.sub === 'obj' ? [o.pd, ...[...o.caps.values()].map((c) => c.obj)] : [o.pd];
    case 'EC': return [o.objSp, o.hstSp, o.callee, o.smWait].filter((x) => x >= 0);
    case 'PT': return [o.ec];
    case 'SC': return o.ec >= 0 ? [o.ec, o.id] : [o.id];
    case 'SM': return [];
  }
}

/** The checks of one object (everything but the reference counts). */
function objectChecks(s: State, id: number, o: Kobj, out: Violation[]): void {
  const at = (k: number): Kobj | null => (k >= 0 && k < s.objs.size ? pget(s.objs, k) : null);
  switch (o.type) {
    case 'PD': {
      if (o.sub === 'pd') break;
      const pd = at(o.pd);
      if ((o.sub === 'obj' || o.sub === 'hst') && pd && pd.type === 'PD' && pd.sub === 'pd' && (o.sub === 'obj' ? pd.obj : pd.hst) !== id) out.push(v('RS4', `PD ${o.pd}`, `(b) a second ${o.sub} space ${id}`));
      if (o.sub === 'obj') for (const [sel, c] of o.caps) {
        const t = at(c.obj);
        if (!t) { out.push(v('RS4', `object space ${id} sel 0x${sel.toString(16)}`, `(c) capability to destroyed object ${c.obj}`)); continue; }
        const def = definedPerms(t.type, t.type === 'PD' ? t.sub : '', t.type === 'SM' && t.irq >= 0);
        if (c.perm === 0 || (c.perm & ~def) !== 0) out.push(v('RS4', `object space ${id} sel 0x${sel.toString(16)}`, `(a) perm 0x${c.perm.toString(16)} not within defined 0x${def.toString(16)} of ${t.type}`));
      } else for (const [p, m] of o.maps) {
        const root = at(s.rootPd);
        if (m.kind === 'ram' && (isProtected(s.cfg, m.page) || m.page >= s.cfg.pages)) out.push(v('RS3', `${o.sub} space ${id} page 0x${p.toString(16)}`, `NOVA-protected physical page ${m.page} mapped`));
        if (m.kind === 'hip' && (o.sub !== 'hst' || !root || root.type !== 'PD' || root.sub !== 'pd' || root.hst !== id)) out.push(v('RS3', `${o.sub} space ${id} page 0x${p.toString(16)}`, 'HIP mapped outside the root PD host space'));
        if (m.kind === 'utcb') { const e = at(m.page); if (!e || e.type !== 'EC' || e.hstSp !== id) out.push(v('RS3', `${o.sub} space ${id} page 0x${p.toString(16)}`, `UTCB of EC ${m.page} outside its own PD's host space`)); }
        if (m.perm & ~0xf) out.push(v('RS4', `${o.sub} space ${id} page 0x${p.toString(16)}`, '(a) memory perm beyond R|W|XU|XS'));
      }
      break;
    }
    case 'EC': {
      if (o.sub === 'local' && o.scs !== 0) out.push(v('RS4', `EC ${id}`, '(d) a local EC has an SC'));
      if ((o.st === 'sm') !== (o.smWait >= 0)) out.push(v('RS4', `EC ${id}`, `(e) state ${o.st} with SM ${o.smWait}`));
      if (o.smWait >= 0) { const sm = at(o.smWait); if (!sm || sm.type !== 'SM' || !sm.queue.includes(id)) out.push(v('RS4', `EC ${id}`, `(e) waits on SM ${o.smWait} but is not queued there`)); }
      if (o.callee >= 0) { const h = at(o.callee); if (!h || h.type !== 'EC' || h.caller !== id) out.push(v('RS4', `EC ${id}`, `(f) calls EC ${o.callee} which does not name it as caller`)); }
      if (o.caller >= 0) { const c = at(o.caller); if (!c || c.type !== 'EC' || c.callee !== id) out.push(v('RS4', `EC ${id}`, `(f) caller ${o.caller} does not name it as callee`)); }
      const seen = new Set<number>(); let c: number = id;
      while (c >= 0) { if (seen.has(c)) { out.push(v('RS4', `EC ${id}`, '(f) cyclic call chain')); break; } seen.add(c); const x = at(c); c = x && x.type === 'EC' ? x.callee : -1; }
      break;
    }
    case 'PT': { const e = at(o.ec); if (!e || e.type !== 'EC' || e.sub !== 'local') out.push(v('RS4', `PT ${id}`, '(d) a PT bound to a non-local EC')); break; }
    case 'SC': { const e = o.ec >= 0 ? at(o.ec) : null; if (o.ec >= 0 && (!e || e.type !== 'EC' || e.sub === 'local' || e.cpu !== o.cpu)) out.push(v('RS4', `SC ${id}`, '(d) SC bound to a local EC or on another CPU')); break; }
    case 'SM': {
      if (o.queue.length && o.counter !== 0n) out.push(v('RS4', `SM ${id}`, '(e) waiters while the counter is not 0'));
      for (const e of o.queue) { const x = at(e); if (!x || x.type !== 'EC' || x.smWait !== id) out.push(v('RS4', `SM ${id}`, `(e) queued EC ${e} does not wait on it`)); }
      break;
    }
  }
}

/** All invariants of a state (the initial one, or when no previous state is known). */
export function invariants(s: State): Violation[] {
  const out: Violation[] = [];
  const refs = new Map<number, number>();
  for (let id = 0; id < s.next; id++) {
    const o = pget(s.objs, id);
    if (!o) continue;
    objectChecks(s, id, o, out);
    for (const r of references(o)) refs.set(r, (refs.get(r) ?? 0) + 1);
  }
  for (let id = 0; id < s.next; id++) {
    const o = pget(s.objs, id);
    if (o && (refs.get(id) ?? 0) !== o.ref) out.push(v('RS4', `object ${id} (${o.type})`, `(c) refcount ${o.ref}, capabilities + internal references ${refs.get(id) ?? 0}`));
  }
  if (s.mdb) out.push(...mdbInvariants(s));
  return out;
}

/** Incremental: the objects that changed since `prev` are checked, and reference counts by difference:
 *  every object's change of count equals the change of references to it. */
export class Invariants {
  private prev: State | null = null;
  check(s: State): Violation[] {
    const prev = this.prev;
    this.prev = s;
    if (!prev || prev.cfg !== s.cfg) return invariants(s);
    const out: Violation[] = [];
    const delta = new Map<number, number>();
    const add = (o: Kobj | null, d: number) => { if (o) for (const r of references(o)) delta.set(r, (delta.get(r) ?? 0) + d); };
    const changed: number[] = [];
    pdiff(prev.objs, s.objs, (id, x: Kobj | null, y: Kobj | null) => { changed.push(id); add(x, -1); add(y, 1); if (y) objectChecks(s, id, y, out); });
    // Objects a changed object now names (an SM a new waiter names, a callee) must agree with it.
    for (const id of new Set([...changed, ...delta.keys()])) {
      const x = pget(prev.objs, id), y = pget(s.objs, id);
      const d = delta.get(id) ?? 0;
      if (!y) { if (x && x.ref + d !== 0) out.push(v('RS4', `object ${id} (${x.type})`, `(c) destroyed with ${x.ref + d} references left`)); if (!x && d > 0) out.push(v('RS4', `object ${id}`, '(c) referenced but never created')); continue; }
      if ((x ? x.ref : 0) + d !== y.ref) out.push(v('RS4', `object ${id} (${y.type})`, `(c) refcount ${y.ref}, capabilities + internal references ${(x ? x.ref : 0) + d}`));
      if (!changed.includes(id)) objectChecks(s, id, y, out);
    }
    if (s.mdb && s.mdb !== prev.mdb) out.push(...mdbInvariants(s));
    return out;
  }
}

/** (g) B.5: child perms ⊆ parent perms, depth = parent + 1, every node of a live space names a
 *  capability (nodes of destroyed spaces are ignored, as is a parent in a destroyed space). */
export function mdbInvariants(s: State): Violation[] {
  const out: Violation[] = [];
  const space = (key: string) => { const sp = Number(key.split(':')[0]); const o = pget(s.objs, sp); return o && o.type === 'PD' && o.sub === 'obj' ? o : null; };
  const cap = (key: string) => space(key)?.caps.get(Number(key.split(':')[1])) ?? null;
  for (const [key, n] of s.mdb!) {
    if (!space(key)) continue;
    const c = cap(key);
    if (!c) { out.push(v('RS4', `mdb ${key}`, '(g) node without a capability')); continue; }
    if (!n.parent || !space(n.parent)) continue;
    const p = cap(n.parent), pn = s.mdb!.get(n.parent);
    if (!p || !pn) { out.push(v('RS4', `mdb ${key}`, `(g) parent ${n.parent} gone while the child remains`)); continue; }
    if ((c.perm & ~p.perm) !== 0) out.push(v('RS4', `mdb ${key}`, `(g) child perm 0x${c.perm.toString(16)} not within parent's 0x${p.perm.toString(16)}`));
    if (n.depth !== pn.depth + 1) out.push(v('RS4', `mdb ${key}`, `(g) depth ${n.depth}, parent depth ${pn.depth}`));
  }
  return out;
}
