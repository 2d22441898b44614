// The specification object the real machine is built from. A variant is a function Spec -> Spec
// (drop or reorder a failure row, change a permission policy, skip a bound): no `if (bug)` flags.
// The interface lives next to the call framework (call.ts) so that the two do not import each other.
export type { Spec } from './call';
