// The ideal's B.5 rules (classic NOVA): Hold plus the derivation forest (the ideal state's `mdb`).
//  delegate  for each source capability in the range: perm & mask into the destination slot if it is
//            empty and the result has permissions; the new node's parent is the source node.
//  revoke    clear the mask bits in every node below (and, with `self`, the node itself); a node left
//            without permissions is removed, its children move up to its parent.
import type { RuleSet } from '../../model/system';
import type { Cap, Ec, Kobj, State } from '../../real/nova/types';
import { chargeTable, obj, objSpace, put, release, selOf, withState } from '../../real/nova/state';

type Fired = { fired: string[]; withheld: string[] };
const k = (space: number, sel: number) => `${space}:${sel}`;
const r = (x: readonly bigint[], i: number) => BigInt.asUintN(64, x[i] ?? 0n);

export function classicRule(w: State, e: Ec, x: readonly bigint[], rule: 'delegate' | 'revoke', on: RuleSet, o: Fired): State {
  if (!on.has(rule)) { o.withheld.push(rule); return w; }
  o.fired.push(rule);
  const mdb = new Map(w.mdb ?? []);
  if (rule === 'delegate') {
    const src = objSpace(w, e.objSp)!.caps.get(selOf(w.cfg, x[0] >> 8n))!.obj, dst = objSpace(w, e.objSp)!.caps.get(selOf(w.cfg, r(x, 1)))!.obj;
    const ssb = Number(r(x, 2) >> 12n), dsb = Number(r(x, 3) >> 12n), n = 2 ** Number(r(x, 2) & 0x1fn), mask = Number(r(x, 3) & 0x1fn);
    for (const [sel, cap] of [...objSpace(w, src)!.caps].filter(([s]) => s >= ssb && s < ssb + n).sort((a, b) => a[0] - b[0])) {
      const d = objSpace(w, dst)!, at = dsb + sel - ssb, p = cap.perm & mask;
      if (!p || d.caps.has(at)) continue;
      const t = chargeTable(w, d, at); w = t.s;
      w = put(w, { ...t.space, caps: new Map(t.space.caps).set(at, { obj: cap.obj, perm: p }) });
      const ob = obj(w, cap.obj)!; w = put(w, { ...ob, ref: ob.ref + 1 } as Kobj);
      const parent = mdb.get(k(src, sel)) ?? { parent: '', depth: 0 };
      mdb.set(k(src, sel), parent);
      mdb.set(k(dst, at), { parent: k(src, sel), depth: parent.depth + 1 });
    }
    return withState(w, { mdb });
  }
  const base = selOf(w.cfg, x[0] >> 8n), n = 2 ** Number(r(x, 1) & 0x1fn), mask = Number(r(x, 2) & 0x1fn), self = ((x[0] >> 4n) & 1n) === 1n;
  const drops: number[] = [];
  for (let i = 0; i < n && base + i < 2 ** w.cfg.selBits; i++) {
    if (!objSpace(w, e.objSp)!.caps.has(base + i)) continue;
    const top = k(e.objSp, base + i), below: string[] = self ? [top] : [], work = [top];
    while (work.length) { const cur = work.pop()!; for (const [m, v] of mdb) if (v.parent === cur) { below.push(m); work.push(m); } }
    for (const node of below) {
      const [sp, sel] = node.split(':').map(Number), space = objSpace(w, sp), cap: Cap | undefined = space?.caps.get(sel);
      if (!space || !cap) continue;
      const caps = new Map(space.caps), p = cap.perm & ~mask;
      if (p) caps.set(sel, { obj: cap.obj, perm: p });
      else {
        caps.delete(sel); drops.push(cap.obj);
        const me = mdb.get(node); mdb.delete(node);
        for (const [m, v] of mdb) if (v.parent === node) mdb.set(m, { parent: me?.parent ?? '', depth: v.depth - 1 });
      }
      w = put(w, { ...space, caps });
    }
  }
  return drops.reduce((s, d) => release(s, d, 1), withState(w, { mdb }) as State);
}
