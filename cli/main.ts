// The `real-ideal` command. Exit codes: 0 no violation, 1 violation, 2 bad usage or bad input
// (a one-line message, never a stack trace).

import pc from 'picocolors';
import { UsageError } from './args';
import { Io, checkCommand, checkHelp } from './check';
import { SYSTEMS } from '../systems';
import { replayCommand } from './replay';

const HELP = `real-ideal: executable real/ideal isolation models and a property-based checker
systems: ${SYSTEMS.map((s) => s.name).join(', ')} (real-ideal check --list-systems)
usage: real-ideal check [--system NAME] [options]   random traces, every property after every step
       real-ideal replay FILE [--json]              run a trace file through both machines of its system
       real-ideal explore [--system NAME] --depth D every action sequence of a small scope, breadth first
       real-ideal explore rec-destroy               every outcome of CCA's Figure-4 race (REC_DESTROY || REALM_DESTROY)
       real-ideal litmus FILE [--json]              Armv8 litmus tests on the weak-memory executor
       real-ideal coverage merge FILE... [--json]   join the coverage of shards (check --shard I/N --coverage-json F)

${checkHelp(SYSTEMS[0])}`;

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
      case 'coverage': {
        const { coverageCommand } = await import('./coverage');
        return await coverageCommand(rest, io);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${cmd}" (check, replay, explore, litmus, coverage)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`real-ideal: ${e.message}`);
      return 2;
    }
    // A defect of the tool itself: still one line, and a non-zero exit; REAL_IDEAL_DEBUG shows the stack.
    if (process.env.REAL_IDEAL_DEBUG) throw e;
    io.err(`real-ideal: internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} (set REAL_IDEAL_DEBUG=1 for the stack)`);
    return 3;
  }
}

function defaultIo(): Io {
  const tty = Boolean(process.stderr.isTTY);
  // A closed pipe (`real-ideal replay --json | head -1`) ends the command quietly.
  const quiet = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  };
  process.stdout.on('error', quiet);
  process.stderr.on('error', quiet);
  // Ctrl-C: the check stops between traces and prints what it has (exit 130); a second one ends it now.
  let interrupts = 0;
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(130);
  });
  const colour = pc.createColors(Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env));
  return {
    out: (s) => void process.stdout.write(s + '\n'),
    err: (s) => void process.stderr.write(s + '\n'),
    progress: tty ? (s) => void process.stderr.write(`\r\x1b[2K${s}`) : (s) => void process.stderr.write(s + '\n'),
    tty,
    red: colour.red,
    green: colour.green,
    interrupted: () => interrupts > 0,
  };
}
