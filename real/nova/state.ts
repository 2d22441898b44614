// The real machine's state helpers: objects by id (a persistent vector), capability and memory
// tables (small persistent maps copied on write), reference counts and object destruction, boot.

import { PVec, pget, pset, pvecFrom } from '../../model/pvec';
import {
  Cap, Config, Ec, Kobj, Mapping, MemSpace, M_R, M_W, M_XS, M_XU, ObjSpace, Pd, Sc, Sm, State,
  SP_GRANT, SP_TAKE, definedPerms, PD_SUBS,
} from './types';

export const selnum = (c: Config): number => 2 ** c.selBits;
export const memsel = (c: Config): number => 2 ** c.memBits;
/** Selectors of NOVA's object space (Space_obj::Selector in inc/space_obj.hpp). */
export const sels = (c: Config) => {
  const n = selnum(c);
  return {
    NOVA_CON: n - 1, NOVA_OBJ: n - 2, NOVA_HST: n - 3, ROOT_OBJ: n - 6, ROOT_HST: n - 7, ROOT_PD: n - 9,
    NOVA_INT: Math.min(1 << 16, n >> 2), NOVA_CPU: 0,
    /** The root PD's own object space (Ec::create_root): NOVA obj, own obj, own PD, root EC, root SC. */
    R_NOVA: n - 1, R_OBJ: n - 2, R_PD: n - 3, R_EC: n - 4, R_SC: n - 5,
  };
};
/** Host pages of the HIP and the root UTCB (Ec::create_root: info_addr, utcb_addr). */
export const hipPage = (c: Config): number => memsel(c) - 1;
export const rootUtcbPage = (c: Config): number => memsel(c) - 2;
/** Table index of a selector or page: a leaf table covers 512 entries (Space_obj::Captable). */
export const tableOf = (sel: number): number => Math.floor(sel / 512);

export const DEFAULT_CONFIG: Config = {
  cpus: 2, selBits: 18, memBits: 20, pages: 32, kernelPages: 4, quota: 8, capQuota: 2, rootQuota: 64,
  maxObjects: 512, irqs: 4, smmus: 1, devices: 2, vcpu: true, sstates: 1,
};

/** NOVA-protected physical memory: the kernel's own pages and the GIC page (the last one) [D]. */
export const isProtected = (c: Config, page: number): boolean => page < c.kernelPages || page === c.pages - 1;

// ---- Objects ------------------------------------------------------------------------------------
export const obj = (s: State, id: number): Kobj | null => (id >= 0 && id < s.objs.size ? pget(s.objs, id) : null);
/**
 * Every state is made here, in one shape (V8 map), rather than by spread copies ({ ...s, objs }),
 * which had given states 5 shapes along random traces. `p` replaces fields of `s`.
 */
export const withState = (s: State, p: Partial<State> = {}): State => ({
  cfg: p.cfg !== undefined ? p.cfg : s.cfg,
  objs: p.objs !== undefined ? p.objs : s.objs,
  next: p.next !== undefined ? p.next : s.next,
  mem: p.mem !== undefined ? p.mem : s.mem,
  now: p.now !== undefined ? p.now : s.now,
  devs: p.devs !== undefined ? p.devs : s.devs,
  rootPd: p.rootPd !== undefined ? p.rootPd : s.rootPd,
  pdCount: p.pdCount !== undefined ? p.pdCount : s.pdCount,
  novaObj: p.novaObj !== undefined ? p.novaObj : s.novaObj,
  novaHst: p.novaHst !== undefined ? p.novaHst : s.novaHst,
  flows: p.flows !== undefined ? p.flows : s.flows,
  writers: p.writers !== undefined ? p.writers : s.writers,
  mdb: p.mdb !== undefined ? p.mdb : s.mdb,
});
export const put = (s: State, o: Kobj): State => withState(s, { objs: pset(s.objs, o.id, o) });
export const ecAt = (s: State, id: number): Ec | null => { const o = obj(s, id); return o && o.type === 'EC' ? o : null; };
export const smAt = (s: State, id: number): Sm | null => { const o = obj(s, id); return o && o.type === 'SM' ? o : null; };
export const pdAt = (s: State, id: number): Pd | null => { const o = obj(s, id); return o && o.type === 'PD' && o.sub === 'pd' ? o : null; };
export const objSpace = (s: State, id: number): ObjSpace | null => { const o = obj(s, id); return o && o.type === 'PD' && o.sub === 'obj' ? o : null; };
export const memSpace = (s: State, id: number): MemSpace | null => {
  const o = obj(s, id);
  return o && o.type === 'PD' && o.sub !== 'pd' && o.sub !== 'obj' ? o : null;
};
/** The PD an object belongs to (for a PD: itself), -1 for kernel objects. */
export function ownerPd(s: State, o: Kobj): number {
  switch (o.type) {
    case 'PD': return o.sub === 'pd' ? o.id : o.pd;
    case 'EC': return o.pd;
    case 'SC': { const e = ecAt(s, o.ec); return e ? e.pd : -1; }
    case 'PT': { const e = ecAt(s, o.ec); return e ? e.pd : -1; }
    case 'SM': return o.charged;
  }
}

// ---- Capability lookup (Space_obj::lookup: the selector is taken modulo SELNUM) -----------------
export const selOf = (c: Config, sel: bigint): number => Number(BigInt.asUintN(64, sel) % BigInt(selnum(c)));
export function lookup(s: State, space: number, sel: bigint): Cap | null {
  const sp = objSpace(s, space);
  return sp ? sp.caps.get(selOf(s.cfg, sel)) ?? null : null;
}
/** The EC's object space lookup (every cap a hypercall names is looked up there; B.2). */
export const capOf = (s: State, ec: Ec, sel: bigint): Cap | null => lookup(s, ec.objSp, sel);

/** The physical page a host space maps for the NOVA host space: selector N = page N, null if protected. */
export function novaHostEntry(c: Config, page: number): Mapping | null {
  if (page < 0 || page >= c.pages || isProtected(c, page)) return null;
  return { kind: 'ram', page, perm: M_R | M_W | M_XU | M_XS, attr: 0 };
}
export function mapping(s: State, space: number, page: number): Mapping | null {
  if (space === s.novaHst) return novaHostEntry(s.cfg, page);
  const sp = memSpace(s, space);
  return sp ? sp.maps.get(page) ?? null : null;
}

// ---- Reference counts and destruction -----------------------------------------------------------
export const addRef = (s: State, id: number, d: number): State => {
  const o = obj(s, id);
  return o ? put(s, { ...o, ref: o.ref + d } as Kobj) : s;
};

/** Drop `d` references of object `id`; at zero the object is destroyed (refunding its charge). */
export function release(s: State, id: number, d = 1): State {
  const work: number[] = [];
  const o = obj(s, id);
  if (!o) return s;
  s = put(s, { ...o, ref: o.ref - d } as Kobj);
  if (o.ref - d <= 0) work.push(id);
  while (work.length) {
    const x = obj(s, work.pop()!);
    if (!x || x.ref > 0) continue;
    const drop = (t: number) => {
      const y = obj(s, t);
      if (!y) return;
      s = put(s, { ...y, ref: y.ref - 1 } as Kobj);
      if (y.ref - 1 <= 0) work.push(t);
    };
    s = withState(s, { objs: pset(s.objs, x.id, null) });
    const charged = pdAt(s, x.charged);
    if (charged) s = put(s, { ...charged, quota: charged.quota + 1 });
    switch (x.type) {
      case 'PD':
        if (x.sub !== 'pd') {
          const p = pdAt(s, x.pd);
          if (p) s = put(s, { ...p, capQuota: p.capQuota + x.tables.size, obj: p.obj === x.id ? -1 : p.obj, hst: p.hst === x.id ? -1 : p.hst });
          if (x.sub === 'obj') for (const c of x.caps.values()) drop(c.obj);
          if (x.sub === 'dma') s = withState(s, { devs: s.devs.map((d) => (d === x.id ? -1 : d)) });
          drop(x.pd);
        }
        break;
      case 'EC': {
        const h = memSpace(s, x.hstSp);
        if (h && x.hva >= 0) {
          const m = h.maps.get(x.hva);
          if (m && m.kind === 'utcb' && m.page === x.id) { const maps = new Map(h.maps); maps.delete(x.hva); s = put(s, { ...h, maps }); }
        }
        drop(x.objSp); drop(x.hstSp);
        break;
      }
      case 'PT': drop(x.ec); break;
      case 'SC': drop(x.ec); break;
      case 'SM': break;
    }
  }
  return s;
}

/**
 * Reference counts recomputed from the state (RS4c): capabilities in every object space, a space's
 * PD, an EC's spaces, PT/SC → EC, a caller → its callee, an SM waiter → the SM, and the scheduler's
 * reference on every SC [D].
 */
export function recount(s: State): Map<number, number> {
  const r = new Map<number, number>();
  const inc = (id: number) => { if (id >= 0) r.set(id, (r.get(id) ?? 0) + 1); };
  for (let i = 0; i < s.next; i++) {
    const o = pget(s.objs, i);
    if (!o) continue;
    switch (o.type) {
      case 'PD': if (o.sub !== 'pd') { inc(o.pd); if (o.sub === 'obj') for (const c of o.caps.values()) inc(c.obj); } break;
      case 'EC': inc(o.objSp); inc(o.hstSp); inc(o.callee); inc(o.smWait); break;
      case 'PT': inc(o.ec); break;
      case 'SC': inc(o.ec); inc(o.id); break;
      case 'SM': break;
    }
  }
  return r;
}

// ---- Allocation --------------------------------------------------------------------------------
/** A new object id, or null when kernel memory is exhausted (MEM_OBJ). */
export const canAlloc = (s: State, charged: number): boolean => {
  if (s.next >= s.cfg.maxObjects) return false;
  const p = pdAt(s, charged);
  return charged < 0 || (p !== null && p.quota > 0);
};
export function alloc<T extends Kobj>(s: State, make: (id: number) => T): { s: State; o: T } {
  const o = make(s.next);
  s = withState(s, { next: s.next + 1, objs: pset(s.objs, o.id, o) });
  const p = pdAt(s, o.charged);
  if (p) s = put(s, { ...p, quota: p.quota - 1 });
  return { s, o: obj(s, o.id) as T };
}

/** Whether writing a non-null entry at `sel` in `space` needs a new table and the owner has none left. */
export function needsTable(s: State, space: ObjSpace | MemSpace, sel: number): 'ok' | 'alloc' | 'exhausted' {
  if (space.tables.has(tableOf(sel))) return 'ok';
  const p = pdAt(s, space.pd);
  if (space.pd < 0 || !p) return 'alloc';
  return p.capQuota > 0 ? 'alloc' : 'exhausted';
}
/** Mark the table of `sel` allocated in a space (charging its PD); returns the new space object. */
export function chargeTable<T extends ObjSpace | MemSpace>(s: State, space: T, sel: number): { s: State; space: T } {
  const t = tableOf(sel);
  if (space.tables.has(t)) return { s, space };
  const tables = new Set(space.tables); tables.add(t);
  const p = pdAt(s, space.pd);
  if (p) s = put(s, { ...p, capQuota: p.capQuota - 1 });
  return { s, space: { ...space, tables } };
}

// ---- Boot (B.2; Ec::create_root in src/ec.cpp, Space_obj/Space_hst constructors) ----------------
export const ZERO_UTCB: PVec<bigint> = pvecFrom(new Array<bigint>(512).fill(0n));
export const ZERO_REGS: readonly bigint[] = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];

export function newEc(id: number, f: Partial<Ec> & Pick<Ec, 'sub' | 'pd' | 'objSp' | 'hstSp' | 'cpu' | 'charged'>): Ec {
  return {
    type: 'EC', id, ref: 0, evt: 0n, sp: 0n, hva: -1, utcb: f.sub === 'vcpu' ? null : ZERO_UTCB, regs: ZERO_REGS, ip: 0n,
    st: 'wait', cont: null, recall: false, caller: -1, callKind: null, callee: -1, scs: 0, smWait: -1, timeout: 0n, ...f,
  };
}

const BOOTED = new WeakMap<Config, State>();
/** The boot state (pure, so one per configuration object is shared by every run). */
export function boot(c: Config): State {
  let s = BOOTED.get(c);
  if (!s) BOOTED.set(c, (s = bootState(c)));
  return s;
}
function bootState(c: Config): State {
  const S = sels(c);
  const objs: (Kobj | null)[] = [];
  let id = 0;
  const add = <T extends Kobj>(o: T): T => { objs[o.id] = o; return o; };
  const novaObj = id++, novaHst = id++, rootPd = id++, rootObj = id++, rootHst = id++, rootEc = id++, rootSc = id++, con = id++;
  const intSm = Array.from({ length: c.irqs }, () => id++);
  const idle = Array.from({ length: c.cpus }, () => id++);
  const cap = (o: number, perm: number): Cap => ({ obj: o, perm });
  const nova = new Map<number, Cap>([
    [S.NOVA_CON, cap(con, definedPerms('SM', 'sm'))], [S.NOVA_OBJ, cap(novaObj, SP_TAKE)], [S.NOVA_HST, cap(novaHst, SP_TAKE)],
    [S.ROOT_OBJ, cap(rootObj, SP_TAKE | SP_GRANT)], [S.ROOT_HST, cap(rootHst, SP_TAKE | SP_GRANT)], [S.ROOT_PD, cap(rootPd, definedPerms('PD', 'pd'))],
  ]);
  intSm.forEach((sm, i) => nova.set(S.NOVA_INT + i, cap(sm, definedPerms('SM', 'sm', true))));
  idle.forEach((sc, i) => nova.set(S.NOVA_CPU + i, cap(sc, definedPerms('SC', ''))));
  const rootCaps = new Map<number, Cap>([
    [S.R_NOVA, cap(novaObj, SP_TAKE)], [S.R_OBJ, cap(rootObj, SP_TAKE | SP_GRANT)], [S.R_PD, cap(rootPd, definedPerms('PD', 'pd'))],
    [S.R_EC, cap(rootEc, definedPerms('EC', ''))], [S.R_SC, cap(rootSc, definedPerms('SC', ''))],
  ]);
  const tablesOf = (m: ReadonlyMap<number, unknown>) => new Set([...m.keys()].map(tableOf));
  add<ObjSpace>({ type: 'PD', sub: 'obj', id: novaObj, ref: 0, charged: -1, pd: -1, caps: nova, tables: tablesOf(nova) });
  add<MemSpace>({ type: 'PD', sub: 'hst', id: novaHst, ref: 0, charged: -1, pd: -1, maps: new Map(), tables: new Set() });
  const rootQuota = c.rootQuota;
  add<Pd>({ type: 'PD', sub: 'pd', num: 0, id: rootPd, ref: 0, charged: -1, obj: rootObj, hst: rootHst, quota: rootQuota, capQuota: c.capQuota + 2 });
  add<ObjSpace>({ type: 'PD', sub: 'obj', id: rootObj, ref: 0, charged: -1, pd: rootPd, caps: rootCaps, tables: tablesOf(rootCaps) });
  const hostMaps = new Map<number, Mapping>([
    [hipPage(c), { kind: 'hip', page: 0, perm: M_R, attr: 0 }],
    [rootUtcbPage(c), { kind: 'utcb', page: rootEc, perm: M_R | M_W, attr: 0 }],
  ]);
  add<MemSpace>({ type: 'PD', sub: 'hst', id: rootHst, ref: 0, charged: -1, pd: rootPd, maps: hostMaps, tables: tablesOf(hostMaps) });
  // The root EC returns straight to user mode (ec->cont = ret_user_hypercall): no STARTUP event.
  add(newEc(rootEc, { sub: 'global', pd: rootPd, objSp: rootObj, hstSp: rootHst, cpu: 0, charged: -1, hva: rootUtcbPage(c), st: 'run', scs: 1 }));
  add<Sc>({ type: 'SC', id: rootSc, ref: 0, charged: -1, ec: rootEc, cpu: 0, prio: 127, budget: 1000, used: 0n });
  add<Sm>({ type: 'SM', id: con, ref: 0, charged: -1, counter: 0n, queue: [], irq: -1, route: null });
  intSm.forEach((sm, i) => add<Sm>({ type: 'SM', id: sm, ref: 0, charged: -1, counter: 0n, queue: [], irq: i, route: null }));
  idle.forEach((sc, i) => add<Sc>({ type: 'SC', id: sc, ref: 0, charged: -1, ec: -1, cpu: i, prio: 0, budget: 1000, used: 0n }));
  const vec: (Kobj | null)[] = new Array(c.maxObjects).fill(null);
  objs.forEach((o, i) => (vec[i] = o));
  let s: State = {
    cfg: c, objs: pvecFrom(vec), next: id, mem: pvecFrom(new Array<bigint>(c.pages * 512).fill(0n)), now: 0n,
    devs: new Array(c.devices).fill(-1), rootPd, pdCount: 1, novaObj, novaHst, flows: new Set(), writers: new Map(), mdb: null,
  };
  s = withState(s);
  for (const [k, n] of recount(s)) s = addRef(s, k, n);
  return s;
}

export const PD_SUB_OF_OP = PD_SUBS;
