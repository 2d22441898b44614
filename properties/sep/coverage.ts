// sep's coverage groups, each with its full denominator: every hypercall outcome (A.4.1), every PSCI
// outcome (A.4.3), every emulated distributor register with each access kind (A.4.4), every abort kind
// by exception level (A.4.5), and the other events a trace can produce.

import type { CoverageGroup } from '../../model/system';
import type { Action, Obs } from '../../real/sep/actions';
import type { RealState } from '../../real/sep/state';
import { NOTIFY_OUTCOMES } from '../../real/sep/notify';
import { PSCI_OUTCOMES } from '../../real/sep/psci';
import { GICD_REGS, gicdDecode } from '../../real/sep/gicv2';

const ABORTS = ['data-translation', 'data-permission', 'instr-translation', 'instr-permission', 'gicd-syndrome', 'gicd-register'];
const EVENTS = [
  'mem:load', 'mem:store', 'mem:fetch', 'mmio:load', 'mmio:store', 'gicc:read', 'gicc:write',
  'instr:mov', 'instr:mrs', 'instr:msr', 'instr:wfi', 'instr:eret', 'exc:svc', 'exc:undefined',
  'device:input', 'device:raise', 'dma:read', 'dma:write', 'dma:fault-read', 'dma:fault-write',
  'irq:igc', 'irq:sgi', 'irq:peripheral', 'virq:taken',
];

export const COVERAGE_GROUPS: readonly CoverageGroup[] = [
  { name: 'hvc', label: 'IGC_NOTIFY outcomes (A.4.1)', all: NOTIFY_OUTCOMES },
  { name: 'psci', label: 'PSCI outcomes (A.4.3)', all: PSCI_OUTCOMES },
  { name: 'gicd', label: 'emulated GICD registers × access (A.4.4)', all: GICD_REGS.flatMap((r) => [`${r}:read`, `${r}:write`]) },
  { name: 'abort', label: 'aborts injected, by kind and EL (A.4.5)', all: ABORTS.flatMap((k) => [`${k}:el0`, `${k}:el1`]) },
  { name: 'events', label: 'guest, device and interrupt events', all: EVENTS },
];

export function recordCoverage(pre: RealState, a: Action, o: Obs, hit: (group: string, key: string) => void): void {
  const l = o.label;
  const colon = l.indexOf(':');
  const head = l.slice(0, colon);
  if (head === 'hvc' || head === 'psci') hit(head, l.slice(colon + 1));
  else if (head === 'abort') hit('abort', l.slice(colon + 1));
  else if (colon > 0 && head !== 'gicd') hit('events', l);
  // Distributor accesses by what was accessed (IGROUPR/NSACR end in an abort, still an access).
  if (a.kind === 'guest' && (a.instr.op === 'load' || a.instr.op === 'store') && (head === 'gicd' || l.startsWith('abort:gicd-register'))) {
    hit('gicd', `${gicdDecode(Number(a.instr.ipa & 0xfffn)).name}:${a.instr.op === 'load' ? 'read' : 'write'}`);
  }
  void pre;
}
