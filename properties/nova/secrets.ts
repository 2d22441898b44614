// Noninterference between PDs (parties `pd 0` = root, `pd 1`, ...): data that a PD's secret stores and
// register moves carry may reach another PD only along a channel: an IPC or event message between
// them (recorded when it happens), or a physical page the one stored to and the other maps now.
// `mayFlow` is the transitive closure of those edges.
import type { Secrets } from '../../model/system';
import { pget } from '../../model/pvec';
import type { Action, Obs, State } from '../../real/nova/types';

const party = (s: State, ec: number): string | null => {
  const e = ec >= 0 && ec < s.objs.size ? pget(s.objs, ec) : null;
  if (!e || e.type !== 'EC') return null;
  const p = pget(s.objs, e.pd);
  return p && p.type === 'PD' && p.sub === 'pd' ? `pd ${p.num}` : null;
};
const spaceParty = (s: State, sp: number): string | null => {
  const o = sp >= 0 ? pget(s.objs, sp) : null;
  const p = o && o.type === 'PD' && o.sub !== 'pd' && o.pd >= 0 ? pget(s.objs, o.pd) : null;
  return p && p.type === 'PD' && p.sub === 'pd' ? `pd ${p.num}` : null;
};

function edges(s: State): Map<number, Set<number>> {
  const g = new Map<number, Set<number>>();
  const add = (a: number, b: number) => { if (a === b) return; let x = g.get(a); if (!x) g.set(a, (x = new Set())); x.add(b); };
  for (const k of s.flows) { const [a, b] = k.split('>').map(Number); add(a, b); }
  if (s.writers.size) {
    for (let i = 0; i < s.next; i++) {
      const o = pget(s.objs, i);
      if (!o || o.type !== 'PD' || o.sub === 'pd' || o.sub === 'obj' || o.pd < 0) continue;
      const p = pget(s.objs, o.pd);
      if (!p || p.type !== 'PD' || p.sub !== 'pd') continue;
      for (const m of o.maps.values()) if (m.kind === 'ram') for (const w of s.writers.get(m.page) ?? []) add(w, p.num);
    }
  }
  return g;
}

export const novaSecrets: Secrets<State, Action, Obs> = {
  parties: 'pd 0 (root), pd 1, pd 2, ... (in creation order)',
  actor: (s, a) => (a.kind === 'irq' || a.kind === 'tick' ? null : a.kind === 'dma' ? spaceParty(s, s.devs[a.dev] ?? -1) : party(s, a.ec)),
  holdsSecrets: (p) => p !== 'pd 0',
  vary: (a) => ((a.kind === 'store' || a.kind === 'mov') && a.secret ? { ...a, value: a.value ^ 0x5ec7e75ec7e7n } : a),
  views: (o, s, a) => {
    const me = a.kind === 'irq' || a.kind === 'tick' ? 'kernel' : a.kind === 'dma' ? spaceParty(s, s.devs[a.dev] ?? -1) ?? 'device' : party(s, a.ec) ?? 'none';
    const out: [string, unknown][] = [[me, o]];
    const wakes = 'wakes' in o ? o.wakes : [];
    for (const w of wakes) out.push([party(s, w.ec) ?? 'none', w]);
    return out;
  },
  mayFlow: (from, to, s) => {
    const a = Number(from.split(' ')[1]), b = Number(to.split(' ')[1]);
    if (Number.isNaN(a) || Number.isNaN(b)) return to === 'kernel';
    const g = edges(s), seen = new Set([a]), work = [a];
    while (work.length) for (const n of g.get(work.pop()!) ?? []) if (!seen.has(n)) { if (n === b) return true; seen.add(n); work.push(n); }
    return false;
  },
};
