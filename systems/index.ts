// The one registry of systems: the only file that imports more than one system folder. A new system
// is a folder of its own (real/, ideal/, properties/, variants/) plus one line here.

import type { AnySystem } from '../model/system';
import { ccaSystem } from '../properties/cca/system';
import { sepSystem } from '../properties/sep/system';
import { ffaSystem } from '../properties/ffa/system';
import { novaSystem } from '../properties/nova/system';

export const SYSTEMS: readonly AnySystem[] = [
  ccaSystem,
  sepSystem,
  ffaSystem,
  novaSystem,
];

export const systemNamed = (name: string): AnySystem | undefined => SYSTEMS.find((s) => s.name === name);
