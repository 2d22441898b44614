// What a run exercised: (command, status) pairs, failure rows, exit reasons, realm access-outcome
// rows, fold/unfold/block rows and declassification rules. Printed by `check` so a user can see the checker is not vacuous.

import { ADDR_LIMIT } from '../../model/bits';
import { Action, Observation } from '../../real/cca/actions';
import { RealState, RttEntry, granuleAt, rdOf, rttOf } from '../../real/cca/state';
import { walk } from '../../real/cca/rtt';
import { accessOutcome } from '../../real/cca/realm/translate';
import { runningRec, EXIT_REASON } from '../../real/cca/realm/exit';
import type { CoverageGroup } from '../../model/system';

/** Records what one step exercised, as the engine's coverage keys (rules fired are the engine's). */
export function recordCoverage(pre: RealState, a: Action, o: Observation, hit: (group: string, key: string) => void): void {
  if (o.kind === 'rmi' && o.name) {
    hit('pairs', `${o.name} ${o.status?.status}`);
    if (o.failed) hit('rows', `${o.name} ${o.failed}`);
    if (a.kind === 'rmi' && BLOCK_COMMANDS.has(o.name)) {
      const k = blockRow(pre, o.name, a.args.map(Number), o.status?.status ?? null, o.failed);
      if (k) hit(DATA_BLOCK_ROWS.includes(k) ? 'data-blocks' : 'blocks', k);
    }
  }
  if (o.kind === 'realm' && o.record) {
    const reason = Number(o.record.exitReason as bigint);
    hit('exits', Object.entries(EXIT_REASON).find(([, v]) => v === reason)?.[0] ?? String(reason));
  }
  if (a.kind === 'realm' && pre.cpus[a.cpu]?.mode.kind === 'realm') {
    const i = a.instr;
    if ((i.op === 'load' || i.op === 'store' || i.op === 'fetch') && i.ipa < ADDR_LIMIT) {
      const rec = runningRec(pre, a.cpu).rec;
      const kind = i.op === 'load' ? 'read' : i.op === 'store' ? 'write' : 'fetch';
      const out = accessOutcome(pre, rdOf(pre, rec.owner), { ipa: Number(i.ipa), kind, isv: true });
      hit('access', `${kind} ${out.row}${'why' in out ? `: ${out.why}` : ''}`);
      if (out.row === 'protected-ok' || out.row === 'unprotected-ok') {
        const rd = rdOf(pre, rec.owner);
        if (walk(pre, rd, Number(i.ipa), 3).level < 3) hit(out.row === 'protected-ok' ? 'data-blocks' : 'blocks', out.row === 'protected-ok' ? 'realm access in an ASSIGNED block' : 'realm access through an ASSIGNED_NS block');
      }
    }
  }
}

const BLOCK_COMMANDS: ReadonlySet<string> = new Set(['RTT_FOLD', 'RTT_CREATE', 'RTT_DESTROY', 'RTT_MAP_UNPROTECTED', 'RTT_UNMAP_UNPROTECTED', 'RTT_SET_RIPAS', 'RTT_INIT_RIPAS', 'RTT_READ_ENTRY', 'DATA_DESTROY']);

/** An entry as a row name: `UNASSIGNED RAM`, `UNASSIGNED_NS`, `an ASSIGNED block`, `an ASSIGNED_NS block`. */
const kindOf = (e: RttEntry): string =>
  e.hipas === 'UNASSIGNED' ? `UNASSIGNED ${e.ripas}` : e.hipas === 'ASSIGNED' || e.hipas === 'ASSIGNED_NS' ? `an ${e.hipas} block` : e.hipas;

/**
 * The block row (reference §5: fold, unfold, block entries) an RTT command exercised, from the
 * pre-state: what a fold made, what an unfold split, what a destroyed table held, a RIPAS change or
 * an NS mapping at a block. Looked at only for calls whose arguments the command accepted.
 */
function blockRow(pre: RealState, name: string, x: number[], status: string | null, failed: string | undefined): string | null {
  if (name === 'RTT_FOLD' && failed === 'rtt_homogeneous') return 'RTT_FOLD refused: not homogeneous';
  if (name === 'RTT_DESTROY' && failed === 'rtt_live') return 'RTT_DESTROY refused: live children';
  const rdPa = x[0];
  if (status === null || (status !== 'SUCCESS' && !(name === 'DATA_DESTROY' && status === 'ERROR_RTT'))) return null;
  if (!(rdPa % 4096 === 0 && rdPa >= 0 && rdPa < pre.cfg.granules * 4096) || granuleAt(pre, rdPa).state !== 'RD') return null;
  const rd = rdOf(pre, rdPa);
  const level = x[2];
  switch (name) {
    case 'RTT_FOLD': {
      const parent = walk(pre, rd, x[1], level - 1).entry;
      const e0 = rttOf(pre, parent.addr).entries[0];
      if (level === 2) return 'RTT_FOLD of a level-2 table';
      return `RTT_FOLD to ${kindOf(e0)}`;
    }
    case 'RTT_CREATE': {
      const parent = walk(pre, rd, x[2], x[3] - 1).entry;
      return `RTT_CREATE unfolds ${kindOf(parent)}`;
    }
    case 'RTT_DESTROY': {
      const t = rttOf(pre, walk(pre, rd, x[1], level - 1).entry.addr).entries;
      if (t.some((e) => e.ripas === 'DESTROYED' && e.hipas === 'UNASSIGNED')) return 'RTT_DESTROY with DESTROYED children';
      if (t.some((e) => e.hipas === 'ASSIGNED_NS')) return 'RTT_DESTROY drops NS mappings';
      return 'RTT_DESTROY of an empty table';
    }
    case 'RTT_MAP_UNPROTECTED':
    case 'RTT_UNMAP_UNPROTECTED':
      return level < 3 ? `${name} of a block` : null;
    case 'RTT_READ_ENTRY': {
      const w = walk(pre, rd, x[1], level);
      return w.level < 3 && (w.entry.hipas === 'ASSIGNED' || w.entry.hipas === 'ASSIGNED_NS') ? `RTT_READ_ENTRY of ${kindOf(w.entry)}` : null;
    }
    case 'RTT_SET_RIPAS':
    case 'RTT_INIT_RIPAS': {
      const w = walk(pre, rd, x[name === 'RTT_SET_RIPAS' ? 2 : 1], 3);
      if (w.level === 3) return null;
      return name === 'RTT_INIT_RIPAS' ? 'RTT_INIT_RIPAS on a block' : `RTT_SET_RIPAS on ${w.entry.hipas === 'ASSIGNED' ? 'an ASSIGNED' : 'an UNASSIGNED'} block`;
    }
    case 'DATA_DESTROY': {
      const w = walk(pre, rd, x[1], 3);
      return w.level < 3 && w.entry.hipas === 'ASSIGNED' ? 'DATA_DESTROY refused: an ASSIGNED block' : null;
    }
  }
  return null;
}

/** Fold, unfold and block rows every configuration can reach (unassigned and NS blocks). */
export const BLOCK_ROWS: readonly string[] = [
  'RTT_FOLD to UNASSIGNED EMPTY', 'RTT_FOLD to UNASSIGNED RAM', 'RTT_FOLD to UNASSIGNED DESTROYED', 'RTT_FOLD to UNASSIGNED_NS', 'RTT_FOLD to an ASSIGNED_NS block',
  'RTT_FOLD of a level-2 table', 'RTT_FOLD refused: not homogeneous',
  'RTT_CREATE unfolds UNASSIGNED EMPTY', 'RTT_CREATE unfolds UNASSIGNED RAM', 'RTT_CREATE unfolds UNASSIGNED DESTROYED', 'RTT_CREATE unfolds UNASSIGNED_NS', 'RTT_CREATE unfolds an ASSIGNED_NS block',
  'RTT_MAP_UNPROTECTED of a block', 'RTT_UNMAP_UNPROTECTED of a block', 'RTT_READ_ENTRY of an ASSIGNED_NS block',
  'RTT_SET_RIPAS on an UNASSIGNED block', 'RTT_INIT_RIPAS on a block',
  'RTT_DESTROY refused: live children', 'RTT_DESTROY of an empty table', 'RTT_DESTROY with DESTROYED children', 'RTT_DESTROY drops NS mappings',
  'realm access through an ASSIGNED_NS block',
];
/** Rows of DATA blocks: 512 DATA pages on 2 MB-aligned granules, which need the blocks profile (--blocks). */
export const DATA_BLOCK_ROWS: readonly string[] = [
  'RTT_FOLD to an ASSIGNED block', 'RTT_CREATE unfolds an ASSIGNED block', 'RTT_SET_RIPAS on an ASSIGNED block', 'RTT_READ_ENTRY of an ASSIGNED block',
  'DATA_DESTROY refused: an ASSIGNED block', 'realm access in an ASSIGNED block',
];

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
  { name: 'blocks', label: 'fold/unfold/block rows', all: BLOCK_ROWS },
  { name: 'data-blocks', label: 'DATA-block rows (--blocks)', all: DATA_BLOCK_ROWS },
];
