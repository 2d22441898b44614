// What `replay --html` shows of CCA states: the granules that are not plain undelegated zeros (GPT,
// GST, refcount, content: non-zero words, RD/REC fields, RTT entries that are not UNASSIGNED/EMPTY),
// the CPUs and the VMIDs; for the ideal also each realm's exclusive memory and registers.

import { pget } from '../../model/pvec';
import { plain } from '../engine/plain';
import type { RealState } from '../../real/cca/state';
import type { IdealState } from '../../ideal/cca/machine';

const hex = (n: number) => '0x' + n.toString(16);

export function displayReal(s: RealState): Record<string, unknown> {
  const granules: Record<string, unknown> = {};
  for (let i = 0; i < s.granules.size; i++) {
    const g = pget(s.granules, i);
    const c = g.content;
    if (g.state === 'UNDELEGATED' && c.kind === 'words' && c.words.size === 0) continue;
    let content: unknown;
    if (c.kind === 'words') content = Object.fromEntries([...c.words].map(([w, v]) => [`word ${w}`, '0x' + v.toString(16)]));
    else if (c.kind === 'rtt') content = { level: c.level, entries: Object.fromEntries(c.entries.flatMap((e, k) => (e.hipas === 'UNASSIGNED' && e.ripas === 'EMPTY' ? [] : [[String(k), plain(e)]]))) };
    else content = plain(c);
    granules[hex(i * 4096)] = { pas: g.pas, state: g.state, refcount: g.refcount, content };
  }
  return { granules, cpus: plain(s.cpus), vmids: plain(s.vmids) };
}

export function displayIdeal(i: IdealState): Record<string, unknown> {
  return { exclusive: { memory: plain(i.mem), registers: plain(i.regs) }, world: displayReal(i.world) };
}
