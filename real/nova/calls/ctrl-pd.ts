// ctrl_pd(src, dst, ssb|ord, dsb|pmm, mad) — B.4; Ec::sys_ctrl_pd, Capability::validate_take_grant,
// Space_obj::delegate / Space_obj::update (src/space_obj.cpp), Space_mem::delegate (src/space_mem.cpp).
// Copy-with-mask: dst[dsb+i] := (obj(src[ssb+i]), perm & pmm), null when no permission is left; this
// overwrites (revocation = delegating nulls or pmm = 0). MEM_CAP is a partial failure.
import { row, reg } from '../call';
import type { Call, Ctx, Effect } from '../call';
import { BAD_CAP, BAD_FTR, BAD_PAR, Cap, Kobj, MEM_CAP, Mapping, SP_GRANT, SP_TAKE, SUCCESS, Space, State } from '../types';
import { chargeTable, mapping, memSpace, memsel, needsTable, obj, objSpace, put, release, selnum } from '../state';
import type { Spec } from '../spec';

interface C extends Ctx {
  readonly srcCap: Cap | null; readonly dstCap: Cap | null; readonly src: Space | null; readonly dst: Space | null;
  readonly ssb: number; readonly dsb: number; readonly ord: number; readonly pmm: number; readonly mad: number;
}
const sub = (o: Kobj | null): string => (o && o.type === 'PD' ? o.sub : '');
/** Memattr::valid (inc/aarch64/memattr.hpp): shareability [4:3] ≠ 1 and cacheability [2:0] ≠ 4. */
export const madValid = (mad: number): boolean => ((mad >> 3) & 3) !== 1 && (mad & 7) !== 4;
export const spaceSelectors = (s: State, sp: Space): number => (sp.sub === 'obj' ? selnum(s.cfg) : memsel(s.cfg));

export function ctrlPdCtx(c: Ctx): C {
  const srcCap = c.cap(c.sel), dstCap = c.cap(reg(c.x, 1));
  const so = srcCap ? obj(c.s, srcCap.obj) : null, d = dstCap ? obj(c.s, dstCap.obj) : null;
  const x2 = reg(c.x, 2), x3 = reg(c.x, 3);
  return {
    s: c.s, ec: c.ec, cpu: c.cpu, x: c.x, sel: c.sel, flags: c.flags, spec: c.spec, cap: c.cap, srcCap, dstCap, src: so && so.type === 'PD' && so.sub !== 'pd' ? so : null, dst: d && d.type === 'PD' && d.sub !== 'pd' ? d : null,
    ssb: Number(x2 >> 12n), dsb: Number(x3 >> 12n), ord: Number(x2 & 0x1fn), pmm: Number(x3 & 0x1fn), mad: Number(reg(c.x, 4) & 0xffffffffn),
  };
}

export const ctrlPdRows = [
  row<C>('align', (c) => c.ssb % 2 ** c.ord !== 0 || c.dsb % 2 ** c.ord !== 0, BAD_PAR),
  row<C>('take_grant', (c) => !((c.srcCap?.perm ?? 0) & SP_TAKE) || !((c.dstCap?.perm ?? 0) & SP_GRANT) || !typePd(c, c.srcCap) || !typePd(c, c.dstCap), BAD_CAP),
  row<C>('nova_mad', (c) => sub(c.src) === 'hst' && c.src!.id === c.s.novaHst && !madValid(c.mad), BAD_PAR),
  row<C>('kinds', (c) => !kindsOk(sub(c.src), sub(c.dst)), BAD_CAP),
  row<C>('pio_msr', (c) => sub(c.src) === 'pio' || sub(c.src) === 'msr', BAD_FTR),
  row<C>('range', (c) => !c.spec.inRange(c.ssb, c.ord, spaceSelectors(c.s, c.src!)) || !c.spec.inRange(c.dsb, c.ord, spaceSelectors(c.s, c.dst!)), BAD_PAR),
];
function typePd(c: C, cap: Cap | null): boolean { const o = cap ? obj(c.s, cap.obj) : null; return o !== null && o.type === 'PD'; }
export function kindsOk(st: string, dt: string): boolean {
  return (st === 'hst' && (dt === 'hst' || dt === 'gst' || dt === 'dma')) || (st === 'obj' && dt === 'obj') || ((st === 'pio' || st === 'msr') && dt === st);
}

/** The indices i < 2^ord, ascending, at which either side has an entry (others stay null). */
function indices(s: State, src: Space, dst: Space, ssb: number, dsb: number, n: number): number[] {
  const set = new Set<number>();
  const add = (keys: Iterable<number>, base: number) => { for (const k of keys) if (k >= base && k < base + n) set.add(k - base); };
  if (src.sub === 'obj') add(src.caps.keys(), ssb);
  else if (src.id === s.novaHst) { for (let p = Math.max(0, ssb); p < Math.min(s.cfg.pages, ssb + n); p++) set.add(p - ssb); }
  else add(src.maps.keys(), ssb);
  if (dst.sub === 'obj') add(dst.caps.keys(), dsb);
  else add(dst.maps.keys(), dsb);
  return [...set].sort((a, b) => a - b);
}

export function delegate(c: C, spec: Spec): Effect {
  let s = c.s;
  const n = 2 ** c.ord, srcId = c.src!.id, dstId = c.dst!.id;
  let status = SUCCESS;
  const drops: number[] = [];
  for (const i of indices(s, c.src!, c.dst!, c.ssb, c.dsb, n)) {
    if (c.src!.sub === 'obj') {
      const src = objSpace(s, srcId)!, dst = objSpace(s, dstId)!;
      const cap = src.caps.get(c.ssb + i);
      const p = cap ? spec.mask(cap.perm, c.pmm) : 0;
      const old = dst.caps.get(c.dsb + i);
      const next = spec.overwrite(s, old, cap && p ? { obj: cap.obj, perm: p } : null);
      if (next && spec.quotas && needsTable(s, dst, c.dsb + i) === 'exhausted') { status = MEM_CAP; break; }
      if (!next && !dst.tables.has(Math.floor((c.dsb + i) / 512))) continue;   // skippable hole
      if (old === next || (old && next && old.obj === next.obj && old.perm === next.perm)) continue;
      let d = dst;
      if (next) { const t = chargeTable(s, dst, c.dsb + i); s = t.s; d = t.space; }
      const caps = new Map(d.caps);
      if (next) caps.set(c.dsb + i, next); else caps.delete(c.dsb + i);
      s = put(s, { ...d, caps });
      if (next) { const o = obj(s, next.obj)!; s = put(s, { ...o, ref: o.ref + 1 } as Kobj); }
      if (old) drops.push(old.obj);
    } else {
      const m = mapping(s, srcId, c.ssb + i);
      let pm = m ? spec.mask(m.perm, c.pmm) & 0xf : 0;
      if (m && m.kind !== 'ram') pm = 0;                  // kernel memory cannot be delegated
      const dst = memSpace(s, dstId)!;
      const old = dst.maps.get(c.dsb + i);
      const next: Mapping | null = m && pm ? { kind: 'ram', page: m.page, perm: pm, attr: srcId === s.novaHst ? c.mad : m.attr } : null;
      if (next && spec.quotas && needsTable(s, dst, c.dsb + i) === 'exhausted') { status = MEM_CAP; break; }
      if (!next && !old) continue;
      if (old && next && old.kind === next.kind && old.page === next.page && old.perm === next.perm && old.attr === next.attr) continue;
      let d = dst;
      if (next) { const t = chargeTable(s, dst, c.dsb + i); s = t.s; d = t.space; }
      const maps = new Map(d.maps);
      if (next) maps.set(c.dsb + i, next); else maps.delete(c.dsb + i);
      s = put(s, { ...d, maps });
    }
  }
  // References of overwritten capabilities are dropped after the copy (RCU in NOVA).
  for (const o of drops) s = release(s, o, spec.dropOnOverwrite);
  return { s, status, note: status !== SUCCESS && s !== c.s ? 'partial' : undefined };
}

export const CTRL_PD: Call<C> = { name: 'ctrl_pd', context: ctrlPdCtx, failures: ctrlPdRows, effect: delegate };
