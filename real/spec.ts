// The specification object the real machine is built from. A variant is a function Spec -> Spec
// (drop or reorder a failure row, skip a scrub, leak a register): the model has no `if (bug)` flags.

import { RmiName } from '../model/rmi';
import { Effect, RmiCommand } from './command';
import { Content, RealState, Rec, ZERO_CONTENT } from './state';
import type { RecEntry } from './rmi/rec-enter';
import { VERSION } from './rmi/version';
import { FEATURES } from './rmi/features';
import { GRANULE_DELEGATE } from './rmi/granule-delegate';
import { GRANULE_UNDELEGATE } from './rmi/granule-undelegate';
import { REALM_CREATE } from './rmi/realm-create';
import { REALM_ACTIVATE } from './rmi/realm-activate';
import { REALM_DESTROY } from './rmi/realm-destroy';
import { REC_AUX_COUNT } from './rmi/rec-aux-count';
import { REC_CREATE } from './rmi/rec-create';
import { REC_DESTROY } from './rmi/rec-destroy';
import { REC_ENTER } from './rmi/rec-enter';
import { PSCI_COMPLETE } from './rmi/psci-complete';
import { DATA_CREATE } from './rmi/data-create';
import { DATA_CREATE_UNKNOWN } from './rmi/data-create-unknown';
import { DATA_DESTROY } from './rmi/data-destroy';
import { RTT_CREATE } from './rmi/rtt-create';
import { RTT_DESTROY } from './rmi/rtt-destroy';
import { RTT_FOLD } from './rmi/rtt-fold';
import { RTT_INIT_RIPAS } from './rmi/rtt-init-ripas';
import { RTT_SET_RIPAS } from './rmi/rtt-set-ripas';
import { RTT_MAP_UNPROTECTED } from './rmi/rtt-map-unprotected';
import { RTT_UNMAP_UNPROTECTED } from './rmi/rtt-unmap-unprotected';
import { RTT_READ_ENTRY } from './rmi/rtt-read-entry';
import { enterRec } from './realm/enter';
import { Programs, faithfulPrograms } from './weakmem/handlers';
import { ExitInfo, ExitRecord, exitRecord, runGranuleWritable } from './realm/exit';

export interface Spec {
  readonly name: string;
  readonly commands: { readonly [K in RmiName]: RmiCommand };
  /** What a granule holds after it returns to DELEGATED. The specification: zero (invariant 1). */
  readonly scrub: (c: Content) => Content;
  /** REC_ENTER after its checks passed: entry completion, then the REC runs on `cpu`. */
  readonly enterRec: (s: RealState, cpu: number, rec: number, run: number, e: RecEntry) => Effect;
  /** The exit record a host sees for an exit (reference §7's exposure table). */
  readonly exitRecord: (i: ExitInfo, rec: Rec, regs: readonly bigint[]) => ExitRecord;
  /** Whether the RMM may write the exit record into the run granule at exit (it must still be NS). */
  readonly exitRunCheck: (s: RealState, run: number) => boolean;
  /** The weak-memory micro-programs of the REC bookkeeping (Config.weakMemory). */
  readonly programs: Programs;
}

export const faithful: Spec = {
  name: 'faithful',
  commands: {
    VERSION, FEATURES, GRANULE_DELEGATE, GRANULE_UNDELEGATE, REALM_CREATE, REALM_ACTIVATE, REALM_DESTROY, REC_AUX_COUNT,
    REC_CREATE, REC_DESTROY, REC_ENTER, PSCI_COMPLETE, DATA_CREATE, DATA_CREATE_UNKNOWN, DATA_DESTROY, RTT_CREATE,
    RTT_DESTROY, RTT_FOLD, RTT_INIT_RIPAS, RTT_SET_RIPAS, RTT_MAP_UNPROTECTED, RTT_UNMAP_UNPROTECTED, RTT_READ_ENTRY,
  },
  scrub: () => ZERO_CONTENT,
  enterRec,
  exitRecord,
  exitRunCheck: runGranuleWritable,
  programs: faithfulPrograms,
};

export type Variant = (s: Spec) => Spec;
