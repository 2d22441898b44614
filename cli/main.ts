// The `real-ideal` command. Exit codes: 0 no violation, 1 violation, 2 bad usage or bad input
// (a one-line message, never a stack trace).

import { UsageError } from './args';
import { CHECK_HELP, Io, checkCommand } from './check';
import { replayCommand } from './replay';

const HELP = `real-ideal: an executable model of the Arm CCA RMM v1.0 and a real/ideal isolation checker
usage: real-ideal check [options]        random traces, every property after every step
       real-ideal replay FILE [--json]   run a trace file through both machines
       real-ideal litmus FILE [--json]   Armv8 litmus tests on the weak-memory executor
       real-ideal explore rec-destroy    every outcome of the Figure-4 race (REC_DESTROY || REALM_DESTROY)

${CHECK_HELP}`;

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'check':
        return await checkCommand(rest, io);
      case 'replay':
        return await replayCommand(rest, io);
      case 'explore': {
        const { exploreCommand } = await import('./explore');
        return await exploreCommand(rest, io);
      }
      case 'litmus': {
        const { litmusCommand } = await import('./litmus');
        return await litmusCommand(rest, io);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${cmd}" (check, replay, litmus, explore)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`real-ideal: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

function defaultIo(): Io {
  const tty = process.stderr.isTTY;
  return {
    out: (s) => process.stdout.write(s + '\n'),
    err: (s) => process.stderr.write(s + '\n'),
    progress: tty ? (s) => process.stderr.write(`\r\x1b[2K${s}`) : undefined,
  };
}
