// The bug classes of reference B.8, each a function from the specification object to a changed one.
import type { NamedVariant } from '../../model/system';
import type { Spec } from '../../real/nova/spec';
import type { Call, Row } from '../../real/nova/call';
import { row } from '../../real/nova/call';
import type { Config } from '../../real/nova/types';
import { BAD_CAP, EC_BIND_PT, PD_SC, SM_DN } from '../../real/nova/types';
import { obj } from '../../real/nova/state';
import { classicBuggyRevoke, classicSpec } from '../../real/nova/classic';

/** Replace call number `n`'s failure rows. */
const rows = (s: Spec, n: number, f: (rs: readonly Row<any>[]) => readonly Row<any>[]): Spec => {
  const calls = s.calls.slice();
  const c = calls[n] as Call;
  calls[n] = { ...c, failures: f(c.failures) };
  return { ...s, calls };
};
const without = (name: string) => (rs: readonly Row<any>[]) => rs.filter((r) => r.name !== name);

export const VARIANTS: readonly NamedVariant<Spec, Config>[] = [
  { name: 'ctrl-pd-ignores-pmm', description: 'B.8: ctrl_pd ignores the permission mask (delegates every permission held)', expect: 'RS1', apply: (s) => ({ ...s, mask: (perm) => perm }) },
  { name: 'ctrl-pd-ors-perms', description: 'B.8: ctrl_pd ORs the mask into the permissions (delegates more than held)', expect: 'RS1 / RS4', apply: (s) => ({ ...s, mask: (perm, pmm) => perm | pmm }) },
  {
    name: 'create-pt-no-pd-bit', description: 'B.8: create_pt checks the PD capability without its PT bit', expect: 'RS2 / RS1',
    apply: (s) => rows(s, 5, (rs) => [row<any>('caps', (c) => !c.spec.valid(c.s, c.pdCap, 'PD', 'pd', 0) || !c.spec.valid(c.s, c.ecCap, 'EC', null, EC_BIND_PT), BAD_CAP), ...rs.slice(1)]),
  },
  {
    name: 'create-sc-no-pd-bit', description: 'B.8: create_sc checks the PD capability without its SC bit', expect: 'RS2 / RS1',
    apply: (s) => rows(s, 4, (rs) => [rs[0], row<any>('caps', (c) => !c.spec.valid(c.s, c.pdCap, 'PD', 'pd', PD_SC & 0) || !c.spec.valid(c.s, c.ecCap, 'EC', null, 8), BAD_CAP), ...rs.slice(2)]),
  },
  { name: 'create-pd-all-perms', description: 'B.8: create_pd gives the new PD capability all permissions instead of those of `pd`', expect: 'RS1', apply: (s) => ({ ...s, newPdPerm: () => 0x1f }) },
  {
    name: 'perm-without-type', description: 'B.8: permission bits checked without the object type (an EC capability with bit 0 passes as SC CTRL, a PD capability as a space)', expect: 'RS2 / RS1 / RobustSafety',
    apply: (s) => ({ ...s, valid: (st, cap, _t, _sub, p) => !!cap && obj(st, cap.obj) !== null && (cap.perm & p) === p }),
  },
  {
    name: 'stale-pt-after-revoke', description: 'B.8: use after revoke — a PT capability overwritten with null stays usable (stale pointer cached)', expect: 'RS1 / RS2',
    apply: (s) => ({ ...s, overwrite: (st, old, next) => (next === null && old && obj(st, old.obj)?.type === 'PT' ? old : next) }),
  },
  { name: 'refcount-dropped-early', description: 'B.8: use after revoke — overwriting a capability drops two references (object destroyed while still named)', expect: 'RS4 / RobustSafety / RS1 / Relation', apply: (s) => ({ ...s, dropOnOverwrite: 2 }) },
  { name: 'ctrl-pd-range-unbounded', description: 'B.8: ssb + 2^ord (dsb + 2^ord) not bounded by the space selectors', expect: 'RS2 / RS1', apply: (s) => ({ ...s, inRange: () => true }) },
  { name: 'ipc-call-any-cpu', description: 'B.8: ipc_call to a portal whose EC is on another CPU is not rejected', expect: 'RS2 / RS4 / RS5', apply: (s) => rows(s, 0, without('cpu')) },
  { name: 'event-without-event-perm', description: 'B.8: an event is delivered through a PT capability without EVENT', expect: 'RS2', apply: (s) => ({ ...s, eventPerm: 0 }) },
  { name: 'ctrl-hw-any-pd', description: 'B.8: ctrl_hw from a non-root PD is not rejected (BAD_HYP)', expect: 'RS2', apply: (s) => rows(s, 12, without('root')) },
  { name: 'assign-dev-any-pd', description: 'B.8: assign_dev from a non-root PD is not rejected (BAD_HYP)', expect: 'RS2', apply: (s) => rows(s, 14, without('root')) },
  {
    name: 'assign-int-plain-sm', description: 'B.8: assign_int accepts a plain SM (checks DOWN instead of ASSIGN)', expect: 'RS2',
    apply: (s) => rows(s, 13, (rs) => [rs[0], row<any>('sm_cap', (c) => !c.spec.valid(c.s, c.smCap, 'SM', null, SM_DN), BAD_CAP)]),
  },
  { name: 'sm-up-no-overflow', description: 'ctrl_sm up without the OVRFLOW check (the counter wraps)', expect: 'RS2', apply: (s) => ({ ...s, smOverflow: false }) },
  { name: 'classic-revoke-leaves-child', description: 'B.8 [B.5]: classic revoke stops at depth + 1 (grandchildren keep the revoked bits)', expect: 'RS1 / RS4', apply: () => ({ ...classicSpec, revokeNode: classicBuggyRevoke }) },
];
