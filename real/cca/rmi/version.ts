// RMI_VERSION(requested) -> X1 lower, X2 higher implemented revision. Never changes state.
import { INPUT } from '../status';
import { arg, row } from '../command';
import type { RmiCommand } from '../spec';
import { RealState } from '../state';

/** Revision = major << 16 | minor. This model implements exactly 1.0. */
export const RMI_ABI_VERSION = (1n << 16n) | 0n;

interface C { s: RealState; req: bigint }

export const VERSION: RmiCommand<C> = {
  name: 'VERSION',
  context: (s, x) => ({ s, req: arg(x, 0) }),
  failures: [row('version_supported', (c) => c.req !== RMI_ABI_VERSION, INPUT)],
  // Outputs are valid on ERROR_INPUT too: the caller learns which revisions exist.
  failOutputs: () => [RMI_ABI_VERSION, RMI_ABI_VERSION],
  effect: (c) => ({ state: c.s, x: [RMI_ABI_VERSION, RMI_ABI_VERSION] }),
};
