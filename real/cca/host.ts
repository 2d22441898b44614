// Host (NS EL2/EL1) and device (DMA through an NS stream) accesses to physical memory, checked
// against the GPT (reference §2). A denied access is a Granule Protection Fault observation.

import { GRANULE_SIZE, toAddr } from '../../model/bits';
import { FieldWrite, HostFault } from './actions';
import { readWords } from './memory';
import { setWords } from './types';
import { RealState, contentWords, granuleAt, isMmio, makeGranule, withGranule } from './state';

/** Why an NS access to [addr, addr + bytes) cannot complete, or null. Accesses stay in one granule. */
export function nsAccessFault(s: RealState, addr: bigint, bytes: number): HostFault | null {
  if ((addr & 7n) !== 0n) return 'ALIGNMENT';
  const pa = toAddr(addr);
  if (pa < 0 || pa + bytes > s.cfg.granules * GRANULE_SIZE) return 'EXTERNAL_ABORT';
  if (Math.floor(pa / GRANULE_SIZE) !== Math.floor((pa + bytes - 1) / GRANULE_SIZE)) return 'ALIGNMENT';
  if (isMmio(s.cfg, Math.floor(pa / GRANULE_SIZE))) return null;
  // GPC: the Non-secure security state may access only NS-PAS granules.
  return granuleAt(s, pa).pas === 'NS' ? null : 'GPF';
}

export function nsRead(s: RealState, addr: bigint, count: number): { values?: bigint[]; fault?: HostFault } {
  const fault = nsAccessFault(s, addr, Math.max(1, count) * 8);
  if (fault) return { fault };
  const pa = Number(addr);
  // MMIO reads as zero: no device is modelled behind it.
  if (isMmio(s.cfg, Math.floor(pa / GRANULE_SIZE))) return { values: new Array(count).fill(0n) };
  return { values: readWords(s, pa - (pa % GRANULE_SIZE), pa % GRANULE_SIZE, count) };
}

export function nsWrite(s: RealState, addr: bigint, writes: readonly FieldWrite[]): { state: RealState; fault?: HostFault } {
  const span = writes.reduce((m, w) => Math.max(m, w.off + 8), 8);
  const fault = nsAccessFault(s, addr, span);
  if (fault) return { state: s, fault };
  const pa = Number(addr);
  if (isMmio(s.cfg, Math.floor(pa / GRANULE_SIZE))) return { state: s };
  const base = pa - (pa % GRANULE_SIZE);
  const g = granuleAt(s, base);
  const at = pa % GRANULE_SIZE;
  const inside = writes.filter((w) => (at + w.off) >>> 3 < GRANULE_SIZE / 8);
  const words = setWords(contentWords(g.content), inside.length, (i) => (at + inside[i].off) >>> 3, (i) => inside[i].value);
  return { state: withGranule(s, base, makeGranule(g.pas, g.state, g.refcount, { kind: 'words', words })) };
}
