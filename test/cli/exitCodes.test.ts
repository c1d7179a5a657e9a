/**
 * The exit-code contract (src/cli/exitCodes.ts): 0 ok, 1 a finding, 2 usage or bad input,
 * 3 environment, 130 interrupted — the same for every command, shown by `refsim --help`.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeOf } from '../../src/cli/exitCodes.ts';
import { reportFailure } from '../../src/cli/main.ts';
import { InputRangeError, RefsimError } from '../../src/errors.ts';
import { GpuCrashError, GpuDeviceLostError, GpuTimeoutError, NoAdapterError } from '../../src/gpu/errors.ts';
import { InvalidBufferSizeError } from '../../src/mps/allocator.ts';
import { runMain, STACK_FRAME } from './inProcess.ts';

const lines = (s: string) => s.trim().split('\n').filter((l) => l !== '');

describe('exit codes', () => {
  it('refsim --help lists every code with its meaning', async () => {
    const r = await runMain(['--help']);
    expect(r.code).toBe(0);
    const table = r.stdout.slice(r.stdout.indexOf('Exit codes'));
    for (const [code, word] of [['0', 'ok'], ['1', 'finding'], ['2', 'usage'], ['3', 'environment'], ['130', 'interrupted']]) {
      expect(table, `code ${code}`).toMatch(new RegExp(`^ +${code} +(a )?${word}`, 'm'));
    }
  });

  it('a simulated PyTorch failure of refsim alloc is a finding: exit 1, reported on stdout', async () => {
    const r = await runMain(['alloc', '2^40']);
    expect(r.code).toBe(EXIT.FINDING);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/FAILED \(simulated TORCH_CHECK\): Invalid buffer size: 1099511627776 bytes/);
    const j = await runMain(['alloc', '2^40', '--json']);
    expect(j.code).toBe(EXIT.FINDING);
    expect(JSON.parse(j.stdout)).toMatchObject({ requested: '1099511627776', error: 'E_INVALID_BUFFER_SIZE' });
    // The same command with a bad literal is bad input.
    expect((await runMain(['alloc', '2^99'])).code).toBe(EXIT.USAGE);
  });

  it('align and alloc use the same code for the same kind of finding', async () => {
    expect((await runMain(['align', '10', '3'])).code).toBe(EXIT.FINDING);
    expect((await runMain(['alloc', '2^36'])).code).toBe(EXIT.FINDING);
    expect((await runMain(['alloc', '1000'])).code).toBe(EXIT.OK);
  });

  it.each([
    [[], /^error: missing command: refsim needs one of align, alloc, /],
    [['explore'], /^error: missing command: refsim explore needs one of pool, toy/],
    [['nosuch'], /^error: unknown command 'nosuch'/],
    [['align', '1'], /^error: missing required argument 'alignment'/],
  ])('usage error %j: exit 2, at most two lines, no help dump', async (args, re) => {
    const r = await runMain(args);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(re);
    expect(lines(r.stderr).length).toBeLessThanOrEqual(2);
  });

  it('an option value that looks like an option is rejected: --json --quiet writes no file "--quiet"', async () => {
    const r = await runMain(['diff', '--op', 'relu', '--json', '--quiet']);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/option '--json <file>' argument '--quiet' is invalid/);
    expect(existsSync('--quiet')).toBe(false);
    // Negative numbers are values.
    expect((await runMain(['diff', '--seed', '-5', '--cases', '0'])).stderr).toMatch(/--cases must be/);
  });

  it('maps every error kind to its code', () => {
    const where = { op: 'relu', caseIndex: 0 };
    expect([
      exitCodeOf(new InputRangeError('x', 'a number', 'y')),
      exitCodeOf(new RefsimError('E_FIXTURE', 'bad fixture')),
      exitCodeOf(new RangeError('bad input from the GPU child')),
      exitCodeOf(new InvalidBufferSizeError(1n, 0n)),
      exitCodeOf(new GpuCrashError(where, 'SIGSEGV', null, '')),
      exitCodeOf(new NoAdapterError('d3d12', null, 'none')),
      exitCodeOf(new GpuDeviceLostError(where, 'destroyed', '')),
      exitCodeOf(new GpuTimeoutError(where, 1, 'wait')),
      exitCodeOf(new RefsimError('E_BUDGET', 'out of states')),
      exitCodeOf(Object.assign(new Error('no space'), { code: 'ENOSPC' })),
      exitCodeOf(new TypeError('internal bug')),
    ]).toEqual([2, 2, 2, 1, 1, 3, 3, 3, 3, 3, 3]);
  });

  it('an unexpected error is one line without a stack unless REFSIM_DEBUG=1', () => {
    const capture = (debug: string | undefined) => {
      const saved = { write: process.stderr.write, debug: process.env['REFSIM_DEBUG'] };
      const err: string[] = [];
      process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
      if (debug === undefined) delete process.env['REFSIM_DEBUG'];
      else process.env['REFSIM_DEBUG'] = debug;
      try {
        return { code: reportFailure(new TypeError('x.y is not a function\nsecond line')), text: err.join('') };
      } finally {
        process.stderr.write = saved.write;
        if (saved.debug === undefined) delete process.env['REFSIM_DEBUG'];
        else process.env['REFSIM_DEBUG'] = saved.debug;
      }
    };
    const quiet = capture(undefined);
    expect(quiet.code).toBe(EXIT.ENVIRONMENT);
    expect(lines(quiet.text)).toEqual(['refsim: unexpected error (TypeError): x.y is not a function (REFSIM_DEBUG=1 shows the stack trace)']);
    const debug = capture('1');
    expect(debug.text).toMatch(STACK_FRAME);
  });

  it('no adapter is the environment (exit 3), one line that says what to install, not a missing README section', async () => {
    const r = await runMain(['probe', '--backend', process.platform === 'win32' ? 'metal' : 'd3d12', '--samples', '16']);
    expect(r.code).toBe(EXIT.ENVIRONMENT);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^refsim: no WebGPU adapter for backend (d3d12|metal)/);
    expect(r.stderr).toMatch(/docs\/backends\.md/);
    expect(r.stderr).not.toMatch(/README/);
  });
});
