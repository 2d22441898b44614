// What a run exercised: (command, status) pairs, failure rows, exit reasons, realm access-outcome
// rows and declassification rules. Printed by `check` so a user can see the checker is not vacuous.

import { Action, Observation } from '../../real/cca/actions';
import { RealState, rdOf } from '../../real/cca/state';
import { accessOutcome } from '../../real/cca/realm/translate';
import { runningRec, EXIT_REASON } from '../../real/cca/realm/exit';
import type { CoverageGroup } from '../../model/system';

/** Records what one step exercised, as the engine's coverage keys (rules fired are the engine's). */
export function recordCoverage(pre: RealState, a: Action, o: Observation, hit: (group: string, key: string) => void): void {
  if (o.kind === 'rmi' && o.name) {
    hit('pairs', `${o.name} ${o.status?.status}`);
    if (o.failed) hit('rows', `${o.name} ${o.failed}`);
  }
  if (o.kind === 'realm' && o.record) {
    const reason = Number(o.record.exitReason as bigint);
    hit('exits', Object.entries(EXIT_REASON).find(([, v]) => v === reason)?.[0] ?? String(reason));
  }
  if (a.kind === 'realm' && pre.cpus[a.cpu]?.mode.kind === 'realm') {
    const i = a.instr;
    if ((i.op === 'load' || i.op === 'store' || i.op === 'fetch') && i.ipa < 1n << 52n) {
      const rec = runningRec(pre, a.cpu).rec;
      const kind = i.op === 'load' ? 'read' : i.op === 'store' ? 'write' : 'fetch';
      const out = accessOutcome(pre, rdOf(pre, rec.owner), { ipa: Number(i.ipa), kind, isv: true });
      hit('access', `${kind} ${out.row}${'why' in out ? `: ${out.why}` : ''}`);
    }
  }
}

/**
 * The (command, status) pairs reachable from valid states of the model (reference §6), the
 * denominator of the coverage figure. ERROR_REC of REC_DESTROY needs a REC running on another CPU;
 * ERROR_REALM of REC_ENTER needs a NEW or SYSTEM_OFF realm.
 */
export const REACHABLE_PAIRS: readonly string[] = [
  'VERSION SUCCESS', 'VERSION ERROR_INPUT', 'FEATURES SUCCESS',
  'GRANULE_DELEGATE SUCCESS', 'GRANULE_DELEGATE ERROR_INPUT', 'GRANULE_UNDELEGATE SUCCESS', 'GRANULE_UNDELEGATE ERROR_INPUT',
  'REALM_CREATE SUCCESS', 'REALM_CREATE ERROR_INPUT', 'REALM_ACTIVATE SUCCESS', 'REALM_ACTIVATE ERROR_INPUT', 'REALM_ACTIVATE ERROR_REALM',
  'REALM_DESTROY SUCCESS', 'REALM_DESTROY ERROR_INPUT', 'REALM_DESTROY ERROR_REALM', 'REC_AUX_COUNT SUCCESS', 'REC_AUX_COUNT ERROR_INPUT',
  'REC_CREATE SUCCESS', 'REC_CREATE ERROR_INPUT', 'REC_CREATE ERROR_REALM', 'REC_DESTROY SUCCESS', 'REC_DESTROY ERROR_INPUT', 'REC_DESTROY ERROR_REC',
  'REC_ENTER SUCCESS', 'REC_ENTER ERROR_INPUT', 'REC_ENTER ERROR_REALM', 'REC_ENTER ERROR_REC', 'PSCI_COMPLETE SUCCESS', 'PSCI_COMPLETE ERROR_INPUT',
  'DATA_CREATE SUCCESS', 'DATA_CREATE ERROR_INPUT', 'DATA_CREATE ERROR_REALM', 'DATA_CREATE ERROR_RTT',
  'DATA_CREATE_UNKNOWN SUCCESS', 'DATA_CREATE_UNKNOWN ERROR_INPUT', 'DATA_CREATE_UNKNOWN ERROR_RTT',
  'DATA_DESTROY SUCCESS', 'DATA_DESTROY ERROR_INPUT', 'DATA_DESTROY ERROR_RTT',
  'RTT_CREATE SUCCESS', 'RTT_CREATE ERROR_INPUT', 'RTT_CREATE ERROR_RTT', 'RTT_DESTROY SUCCESS', 'RTT_DESTROY ERROR_INPUT', 'RTT_DESTROY ERROR_RTT',
  'RTT_FOLD SUCCESS', 'RTT_FOLD ERROR_INPUT', 'RTT_FOLD ERROR_RTT', 'RTT_INIT_RIPAS SUCCESS', 'RTT_INIT_RIPAS ERROR_INPUT', 'RTT_INIT_RIPAS ERROR_REALM',
  'RTT_INIT_RIPAS ERROR_RTT', 'RTT_SET_RIPAS SUCCESS', 'RTT_SET_RIPAS ERROR_INPUT', 'RTT_SET_RIPAS ERROR_REC', 'RTT_SET_RIPAS ERROR_RTT',
  'RTT_MAP_UNPROTECTED SUCCESS', 'RTT_MAP_UNPROTECTED ERROR_INPUT', 'RTT_MAP_UNPROTECTED ERROR_RTT',
  'RTT_UNMAP_UNPROTECTED SUCCESS', 'RTT_UNMAP_UNPROTECTED ERROR_INPUT', 'RTT_UNMAP_UNPROTECTED ERROR_RTT',
  'RTT_READ_ENTRY SUCCESS', 'RTT_READ_ENTRY ERROR_INPUT',
];
export const EXIT_REASONS = ['SYNC', 'IRQ', 'FIQ', 'PSCI', 'RIPAS_CHANGE', 'HOST_CALL', 'SERROR'];
/** Rows of the realm access outcome table (reference §5) a run can hit, as Coverage.access keys. */
export const ACCESS_ROWS = [
  'read protected-ok', 'write protected-ok', 'fetch protected-ok', 'read sea: RIPAS EMPTY', 'write sea: RIPAS EMPTY', 'fetch sea: RIPAS EMPTY',
  'read exit-abort: UNASSIGNED RAM', 'write exit-abort: UNASSIGNED RAM', 'fetch exit-abort: UNASSIGNED RAM',
  'read exit-abort: RIPAS DESTROYED', 'write exit-abort: RIPAS DESTROYED',
  'read unprotected-ok', 'write unprotected-ok', 'read exit-emulatable', 'write exit-emulatable', 'fetch sea: instruction fetch from an unprotected IPA',
  'read sea: ipa beyond the IPA width', 'write sea: ipa beyond the IPA width',
];

/** The coverage groups `check` prints, in this order (the engine adds the declassification rules). */
export const COVERAGE_GROUPS: readonly CoverageGroup[] = [
  { name: 'pairs', label: 'RMI (command, status)', all: REACHABLE_PAIRS },
  { name: 'rows', label: 'failure rows', all: [], countOnly: true },
  { name: 'exits', label: 'exit reasons', all: EXIT_REASONS },
  { name: 'access', label: 'access-outcome rows', all: ACCESS_ROWS },
];
