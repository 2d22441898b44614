// Shared test fixtures: reach realistic states through the public RMI interface only.

import { expect } from 'vitest';
import { Config, DEFAULT_CONFIG } from '../../real/cca/config';
import { RealmParamsInput, RecParamsInput } from '../../real/cca/params';
import { Status } from '../../real/cca/status';
import { G, Machine } from '../../real/cca/machine';
import { Spec } from '../../real/cca/spec';
import { faithful } from '../../real/cca/faithful';

export { G, Machine };

/** Granule plan used by most fixtures (default config: 64 granules; 60 SECURE, 61 ROOT, 62-63 MMIO). */
export const PARAMS = G(0); // NS granule holding realm/REC params
export const RD = G(1);
export const ROOT = G(2); // single root RTT (s2sz 32, start level 1)
export const RUN = G(9); // NS run granule

export function machine(spec: Spec = faithful, cfg: Config = DEFAULT_CONFIG): Machine {
  return new Machine(spec, cfg);
}

export function expectStatus(actual: Status | null, status: Status['status'], index = 0): void {
  expect(actual).toEqual({ status, index });
}

export function delegate(m: Machine, ...pas: number[]): void {
  for (const pa of pas) expectStatus(m.status('GRANULE_DELEGATE', [pa]), 'SUCCESS');
}

/** A realm with IPA width 32 and one level-1 root RTT: PAR = [0, 2 GB). */
export function createRealm(m: Machine, opts: { rd?: number; root?: number; vmid?: bigint; params?: Partial<RealmParamsInput> } = {}) {
  const rd = opts.rd ?? RD;
  const root = opts.root ?? ROOT;
  delegate(m, rd, root);
  m.writeRealmParams(PARAMS, { s2sz: 32n, rttLevelStart: 1n, rttNumStart: 1n, rttBase: BigInt(root), vmid: opts.vmid ?? 1n, ...opts.params });
  expectStatus(m.status('REALM_CREATE', [rd, PARAMS]), 'SUCCESS');
  return { rd, root };
}

/** Creates level-2 and level-3 RTTs covering `ipa` from the given delegated-on-demand granules. */
export function createL3(m: Machine, rd: number, ipa: number, l2: number, l3: number): void {
  delegate(m, l2, l3);
  const l2base = ipa - (ipa % 2 ** 30);
  const l3base = ipa - (ipa % 2 ** 21);
  expectStatus(m.status('RTT_CREATE', [rd, l2, l2base, 2]), 'SUCCESS');
  expectStatus(m.status('RTT_CREATE', [rd, l3, l3base, 3]), 'SUCCESS');
}

export function createRec(m: Machine, rd: number, rec: number, aux: number[], p: Partial<RecParamsInput> = {}) {
  delegate(m, rec, ...aux);
  m.writeRecParams(PARAMS, { flags: 1n, numAux: BigInt(aux.length), aux: aux.map(BigInt), ...p });
  return m.rmi('REC_CREATE', [rd, rec, PARAMS]);
}
