// The classic NOVA specification (reference B.5: delegation with a mapping database, revoke) as a
// variant file: `npx real-ideal check --system nova --variant-file examples/nova/classic.ts`.
// It is the faithful B.5 machine (no bug): the check passes, with the ideal's `delegate` and
// `revoke` rules and invariant RS4 (g) in force.
import { classicSpec } from '../../real/nova/classic';

export default () => classicSpec;
