// The faithful specification object: the reference's tables and effects, assembled.

import { BOOT_RULES } from './boot';
import { buildGolden } from './golden';
import { NOTIFY_ROWS, notifyGrant, notifyResume } from './notify';
import { PSCI_ROWS, psciTarget } from './psci';
import { GICD_FAITHFUL } from './gicd';
import { injectFaithful } from './abort';
import type { Spec } from './spec';

export const FAITHFUL: Spec = {
  boot: BOOT_RULES,
  golden: buildGolden,
  notify: { rows: NOTIFY_ROWS, grant: notifyGrant, resume: notifyResume },
  psci: { target: psciTarget, rows: PSCI_ROWS },
  gicd: { regs: GICD_FAITHFUL, exit: (core) => ({ ...core, s2on: true }) },
  inject: injectFaithful,
};
