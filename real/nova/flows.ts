// Ghost state for noninterference (not machine state; the relation ignores it): which PD's data may
// have reached which PD by a kernel-mediated transfer (IPC, event state) or shared memory.
import type { State } from './types';
import { obj, withState } from './state';

const num = (s: State, pd: number): number => { const p = obj(s, pd); return p && p.type === 'PD' && p.sub === 'pd' ? p.num : -1; };
export function flow(s: State, fromPd: number, toPd: number): State {
  if (fromPd === toPd) return s;
  const k = `${num(s, fromPd)}>${num(s, toPd)}`;
  if (s.flows.has(k)) return s;
  const flows = new Set(s.flows); flows.add(k);
  return withState(s, { flows });
}
export function wrote(s: State, page: number, pd: number): State {
  const w = s.writers.get(page) ?? [];
  const n = num(s, pd);
  if (w.includes(n)) return s;
  const writers = new Map(s.writers); writers.set(page, [...w, n]);
  return withState(s, { writers });
}
