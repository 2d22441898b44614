// The one registry of systems: the only file that imports more than one system folder. A new system
// is a folder of its own (real/, ideal/, properties/, variants/) plus one line here.

import type { AnySystem } from '../model/system';

export const SYSTEMS: readonly AnySystem[] = [
];

export const systemNamed = (name: string): AnySystem | undefined => SYSTEMS.find((s) => s.name === name);
