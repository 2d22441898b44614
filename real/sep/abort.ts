// A.4.5 stage-2 fault injection [H]: spsr_el1 := spsr_el2, elr_el1 := elr_el2, far_el1 := far_el2 (the
// VA), esr_el1 := the abort class for the guest's exception level (data 0x24 from EL0 / 0x25 from EL1,
// instruction 0x20 / 0x21) with a fixed ISS (synchronous external abort [D]: the guest learns neither
// the cause nor the IPA's mapping), pc := vbar_el1 + the vector for the previous mode, el := 1.
// HPFAR_EL2 (the IPA) and any PA are never exposed.

import { EC, FSC_EXTERNAL, enterEl1, esrOf } from './arch';
import type { Fault } from './spec';
import type { Core } from './state';

export function injectFaithful(core: Core, f: Fault): Core {
  const ec = f.instr ? (core.el === 0 ? EC.IABT_LOW : EC.IABT_CUR) : core.el === 0 ? EC.DABT_LOW : EC.DABT_CUR;
  return enterEl1(core, false, core.el2.elr, esrOf(ec, FSC_EXTERNAL), core.el2.far);
}
