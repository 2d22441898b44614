// Param structures as the host writes them (trace `realmParams` / `recParams` / `recEntry`), encoded
// to field writes at the ABI offsets of model/layout.ts.

import { FieldWrite } from './actions';
import { MAX_REC_AUX, REALM_PARAMS, REC_ENTRY, REC_PARAMS } from './layout';

export interface RealmParamsInput {
  flags?: bigint; s2sz?: bigint; sveVl?: bigint; numBps?: bigint; numWps?: bigint; pmuNumCtrs?: bigint; hashAlgo?: bigint;
  rpv?: bigint[]; vmid?: bigint; rttBase?: bigint; rttLevelStart?: bigint; rttNumStart?: bigint;
}
export interface RecParamsInput { flags?: bigint; mpidr?: bigint; pc?: bigint; gprs?: bigint[]; numAux?: bigint; aux?: bigint[] }
export interface RecEntryInput { flags?: bigint; gprs?: bigint[]; gicv3Hcr?: bigint; gicv3Lrs?: bigint[] }

const scalar = (off: number, v: bigint | undefined): FieldWrite[] => (v === undefined ? [] : [{ off, value: v }]);
const list = (off: number, vs: bigint[] | undefined, max: number): FieldWrite[] =>
  (vs ?? []).slice(0, max).map((value, i) => ({ off: off + 8 * i, value }));

/**
 * Every field is written, as a host filling the whole structure would: absent = 0, except num_bps and
 * num_wps, whose 0 is reserved (TF-RMM validate_realm_params): absent = 1, the smallest valid count.
 */
export function encodeRealmParams(p: RealmParamsInput): FieldWrite[] {
  const z = (v: bigint | undefined) => v ?? 0n;
  const one = (v: bigint | undefined) => v ?? 1n;
  return [
    ...scalar(REALM_PARAMS.flags, z(p.flags)), ...scalar(REALM_PARAMS.s2sz, z(p.s2sz)), ...scalar(REALM_PARAMS.sveVl, z(p.sveVl)),
    ...scalar(REALM_PARAMS.numBps, one(p.numBps)), ...scalar(REALM_PARAMS.numWps, one(p.numWps)),
    ...scalar(REALM_PARAMS.pmuNumCtrs, z(p.pmuNumCtrs)), ...scalar(REALM_PARAMS.hashAlgo, z(p.hashAlgo)),
    ...list(REALM_PARAMS.rpv, padded(p.rpv, 8), 8), ...scalar(REALM_PARAMS.vmid, z(p.vmid)),
    ...scalar(REALM_PARAMS.rttBase, z(p.rttBase)), ...scalar(REALM_PARAMS.rttLevelStart, z(p.rttLevelStart)),
    ...scalar(REALM_PARAMS.rttNumStart, z(p.rttNumStart)),
  ];
}
export function encodeRecParams(p: RecParamsInput): FieldWrite[] {
  return [
    ...scalar(REC_PARAMS.flags, p.flags ?? 0n), ...scalar(REC_PARAMS.mpidr, p.mpidr ?? 0n), ...scalar(REC_PARAMS.pc, p.pc ?? 0n),
    ...list(REC_PARAMS.gprs, padded(p.gprs, 8), 8), ...scalar(REC_PARAMS.numAux, p.numAux ?? 0n),
    ...list(REC_PARAMS.aux, padded(p.aux, MAX_REC_AUX), MAX_REC_AUX),
  ];
}
export function encodeRecEntry(p: RecEntryInput): FieldWrite[] {
  return [
    ...scalar(REC_ENTRY.flags, p.flags ?? 0n), ...list(REC_ENTRY.gprs, padded(p.gprs, 31), 31),
    ...scalar(REC_ENTRY.gicv3Hcr, p.gicv3Hcr ?? 0n), ...list(REC_ENTRY.gicv3Lrs, padded(p.gicv3Lrs, 16), 16),
  ];
}
function padded(v: bigint[] | undefined, n: number): bigint[] {
  const out = (v ?? []).slice(0, n);
  while (out.length < n) out.push(0n);
  return out;
}
