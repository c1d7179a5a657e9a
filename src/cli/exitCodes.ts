/**
 * The exit-code contract of every `refsim` subcommand, in one place: the numbers, which error
 * means which, the table `refsim --help` prints, and the code a command reports for its run.
 */
import { isUserFacingError } from '../errors.ts';

export const EXIT = {
  /** The run finished and found nothing wrong. */
  OK: 0,
  /** The run finished and found something: a violation, a simulated failure, a duplicate id, a native crash. */
  FINDING: 1,
  /** Usage or bad input: unknown option, value out of range, bad fixture, unusable output path. */
  USAGE: 2,
  /** The environment stopped the run: no adapter, device lost, memory or time budget exhausted, disk full. */
  ENVIRONMENT: 3,
  /** SIGINT (Ctrl-C). */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES: readonly ExitCode[] = Object.values(EXIT);

/** The table shown by `refsim --help` and docs/cli.md. */
export const EXIT_CODE_HELP = [
  'Exit codes (every command):',
  '  0    ok: the run finished and found nothing wrong',
  '  1    a finding: violation, simulated failure (alloc, align, pool), duplicate id, GPU crash',
  '  2    usage or bad input: unknown option, value out of range, bad fixture, unusable output path',
  '  3    environment: no GPU adapter, device lost, memory/time budget exhausted, cannot write',
  '  130  interrupted (Ctrl-C)',
  'Set REFSIM_DEBUG=1 to see the stack trace of an unexpected error.',
].join('\n');

/** Error codes (RefsimError.code) that mean the environment, not the input, stopped the run. */
const ENVIRONMENT_ERRORS: ReadonlySet<string> = new Set([
  'E_NO_ADAPTER', 'E_GPU_DEVICE_LOST', 'E_GPU_TIMEOUT', 'E_GPU_WORKER', 'E_GPU_LIMIT', 'E_BUDGET', 'E_WRITE', 'E_FIXTURE_WRITE',
]);

/** Error codes that are findings: the simulated program (or the GPU) failed, which is what the run looks for. */
const FINDING_ERRORS: ReadonlySet<string> = new Set([
  'E_GPU_CRASH', 'E_GPU_VALIDATION', 'E_INVALID_BUFFER_SIZE', 'E_ALIGN_ASSERT', 'E_ALIGN_OVERFLOW',
  'E_INVALID_EVENT_ID', 'E_EVENT_ALREADY_RETURNED',
]);

/**
 * The exit code for an error that ended a command. Anything that is not a deliberate error (a full
 * disk, exhausted memory, an internal bug) means the run could not complete: the environment.
 */
export function exitCodeOf(e: unknown): ExitCode {
  if (isUserFacingError(e)) {
    if (ENVIRONMENT_ERRORS.has(e.code)) return EXIT.ENVIRONMENT;
    if (FINDING_ERRORS.has(e.code)) return EXIT.FINDING;
    return EXIT.USAGE;
  }
  // A plain RangeError is bad input re-raised across a process boundary (src/gpu/isolate.ts),
  // unless it is V8 failing to allocate.
  if (e instanceof RangeError && !/allocation failed|Invalid array length|Invalid typed array length/i.test(e.message)) return EXIT.USAGE;
  return EXIT.ENVIRONMENT;
}

/**
 * The code the running command reports when it finishes normally (a finding, an incomplete search).
 * Commands set it here instead of on process.exitCode, so `main` can run many times in one process.
 */
let reported: ExitCode = EXIT.OK;

export function reportExit(code: ExitCode): void {
  reported = code;
}

/** For `main`: the code reported so far, and a fresh start. */
export function takeReportedExit(): ExitCode {
  const c = reported;
  reported = EXIT.OK;
  return c;
}
