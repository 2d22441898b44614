// The faithful specification object: every RMI command of reference §6 with its failure table, the
// scrub policy, REC entry and exit, the weak-memory programs, the RSI and PSCI handlers, RIPAS
// application, fold/unfold, the realm-exit paths and the failure path, as the reference specifies them.

import type { Spec } from './spec';
import { ZERO_CONTENT } from './state';
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
import { faithfulPrograms } from './weakmem/handlers';
import { exitFaithful, exitRecord, runGranuleWritable } from './realm/exit';
import { trapToRmm } from './realm/trap';
import { RSI_HANDLERS } from './realm/rsi';
import { handlePsci } from './realm/psci';
import { faithfulRipas } from './ripas';
import { fold, unfold } from './rtt';


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
  rsi: RSI_HANDLERS,
  psci: handlePsci,
  ripas: faithfulRipas,
  fold,
  unfold,
  trap: trapToRmm,
  exit: exitFaithful,
  failure: (f) => f.pre,
};
