/**
 * The `refsim` command line. Each subcommand lives in its own module under ./commands and is
 * registered from the list in ./commands/index.ts, so adding one touches one line here.
 * Exit codes follow ./exitCodes.ts for every command.
 */
import { Command, CommanderError, InvalidArgumentError, type Option } from 'commander';
import { isUserFacingError } from '../errors.ts';
import { version } from '../version.ts';
import { commands } from './commands/index.ts';
import { EXIT, EXIT_CODE_HELP, type ExitCode, exitCodeOf, takeReportedExit } from './exitCodes.ts';
import { stopAllProgress } from './progress.ts';

export function buildProgram(): Command {
  const program = new Command('refsim')
    .description('mps-refsim: bit-exact reference simulator of PyTorch MPS internals, with a WebGPU differential checker')
    .version(version, '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\n${EXIT_CODE_HELP}`)
    .exitOverride();
  for (const register of commands) register(program);
  forEachCommand(program, (cmd) => {
    for (const o of cmd.options) rejectOptionLikeValues(o);
    if (cmd.commands.length > 0) shortMissingCommand(cmd);
  });
  return program;
}

function forEachCommand(cmd: Command, f: (c: Command) => void): void {
  f(cmd);
  for (const c of cmd.commands) forEachCommand(c, f);
}

/**
 * `--json --quiet` must not take "--quiet" as the file name: a value that looks like an option
 * (starts with - or -- and a letter) is rejected for every option that takes one. Negative numbers
 * ("-5") still pass.
 */
function rejectOptionLikeValues(o: Option): void {
  if (!o.required && !o.optional) return;
  const inner = o.parseArg;
  o.argParser((value: string, previous: unknown) => {
    if (/^--?[A-Za-z]/.test(value)) throw new InvalidArgumentError('it looks like an option, not a value (values may not start with "-" and a letter)');
    return inner === undefined ? value : inner.call(o, value, previous);
  });
}

/** A command that needs a subcommand, called without one: one line, not the whole help on stderr. */
function shortMissingCommand(cmd: Command): void {
  const full = cmd.help.bind(cmd) as (context?: { error: boolean }) => never;
  cmd.help = ((context?: { error: boolean }) => {
    if (context?.error !== true) return full(context);
    const names = cmd.commands.map((c) => c.name()).filter((n) => n !== 'help');
    const path = cmd.parent === null ? cmd.name() : `refsim ${cmd.name()}`;
    process.stderr.write(`error: missing command: ${path} needs one of ${names.join(', ')} (add --help for usage)\n`);
    throw new CommanderError(EXIT.USAGE, 'refsim.missingCommand', 'missing command');
  }) as Command['help'];
}

/** Runs the CLI and returns the process exit code (never throws). */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  takeReportedExit();
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return takeReportedExit();
  } catch (e) {
    stopAllProgress();
    takeReportedExit();
    if (e instanceof CommanderError) {
      // --help and --version arrive here with exit code 0; usage errors were already printed by commander.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' && e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    return reportFailure(e);
  }
}

/** Prints the error that ended a command as one line on stderr (plus the stack with REFSIM_DEBUG=1) and returns its exit code. */
export function reportFailure(e: unknown): ExitCode {
  const code = exitCodeOf(e);
  process.stderr.write(`refsim: ${describeFailure(e, code)}\n`);
  if (process.env['REFSIM_DEBUG'] === '1' && e instanceof Error && e.stack !== undefined) process.stderr.write(`${e.stack}\n`);
  return code;
}

/** One line for the user: the error's own message for deliberate errors, else what happened and how to see more. */
function describeFailure(e: unknown, code: ExitCode): string {
  const message = firstLine(e instanceof Error ? e.message : String(e));
  if (isUserFacingError(e) || (e instanceof RangeError && code === EXIT.USAGE)) return message;
  return `unexpected error (${e instanceof Error ? e.name : typeof e}): ${message}${process.env['REFSIM_DEBUG'] === '1' ? '' : ' (REFSIM_DEBUG=1 shows the stack trace)'}`;
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? s;
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}

/** SIGINT (Ctrl-C) for the real process: one line and exit 130. Outputs are written atomically, so nothing is half-written. */
export function onInterrupt(): never {
  stopAllProgress();
  process.stderr.write('\nrefsim: interrupted\n');
  process.exit(EXIT.INTERRUPTED);
}
