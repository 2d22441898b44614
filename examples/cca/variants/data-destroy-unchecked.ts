// A spec author's experiment, written outside the model: what if RMI_DATA_DESTROY did not check that
// the RTT entry is ASSIGNED (its `rtte_state` row)? Run it with
//   npx real-ideal check --variant-file examples/cca/variants/data-destroy-unchecked.ts
// A variant is a function from the specification object to a changed one; this one drops one row of
// one command's failure table (the rows and their names are in real/cca/rmi/data-destroy.ts).
import type { Spec } from '../../../real/cca/spec';

export default function variant(spec: Spec): Spec {
  const cmd = spec.commands.DATA_DESTROY;
  return {
    ...spec,
    commands: { ...spec.commands, DATA_DESTROY: { ...cmd, failures: cmd.failures.filter((row) => row.name !== 'rtte_state') } },
  };
}
