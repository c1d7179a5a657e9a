/**
 * The `refsim` command line. Each subcommand lives in its own module under ./commands and is
 * registered from the list in ./commands/index.ts, so adding one touches one line here.
 */
import { Command, CommanderError } from 'commander';
import { isUserFacingError } from '../errors.ts';
import { version } from '../version.ts';
import { commands } from './commands/index.ts';

export function buildProgram(): Command {
  const program = new Command('refsim')
    .description('mps-refsim: bit-exact reference simulator of PyTorch MPS internals, with a WebGPU differential checker')
    .version(version, '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI and returns the process exit code (never throws for user errors). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version arrive here with exit code 0; usage errors (already printed by
      // commander) exit 2 like every other bad-input error of this CLI.
      return e.exitCode === 0 || e.code === 'commander.help' ? e.exitCode : 2;
    }
    if (isUserFacingError(e) || e instanceof RangeError) {
      process.stderr.write(`refsim: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
