/**
 * Progress (src/cli/progress.ts): drawn on a terminal, silent on pipes and with --quiet, always
 * stopped; and the long steps of the commands use it.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startProgress, stopAllProgress, withElapsed } from '../../src/cli/progress.ts';
import { runMain } from './inProcess.ts';

function stream(tty: boolean) {
  const s = Object.assign(new PassThrough(), { isTTY: tty, columns: 100 });
  const chunks: string[] = [];
  s.on('data', (d: Buffer) => chunks.push(d.toString()));
  return { s, text: () => chunks.join('') };
}

/** Runs `f` with process.stderr claiming to be a terminal (the in-process runner captures what is drawn). */
async function asTerminal<T>(f: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
  try {
    return await f();
  } finally {
    if (saved === undefined) delete (process.stderr as { isTTY?: boolean }).isTTY;
    else Object.defineProperty(process.stderr, 'isTTY', saved);
  }
}

describe('progress helper', () => {
  it('draws on a terminal and clears when stopped', () => {
    const t = stream(true);
    const p = startProgress({ format: 'work {value}/{total} {what}', total: 10, payload: { what: 'cases' }, stream: t.s });
    p.update(4, { what: 'cases' });
    p.stop();
    p.stop();
    expect(t.text()).toMatch(/work 0\/10 cases/);
    // Cursor hidden while drawing, shown again after.
    expect(t.text()).toContain('\x1B[?25l');
    expect(t.text().endsWith('\x1B[?25h') || t.text().includes('\x1B[?25h')).toBe(true);
  });

  it('is silent on a pipe and with quiet', () => {
    const pipe = stream(false);
    startProgress({ format: 'x {value}', total: 3, stream: pipe.s }).update(1);
    const quiet = stream(true);
    startProgress({ format: 'x {value}', total: 3, stream: quiet.s, quiet: true }).update(1);
    stopAllProgress();
    expect(pipe.text()).toBe('');
    expect(quiet.text()).toBe('');
  });

  it('withElapsed shows a label while the work runs and passes its result and errors through', async () => {
    const t = stream(true);
    await expect(withElapsed('probe: measuring', new Promise((r) => setTimeout(() => r(42), 150)), { stream: t.s })).resolves.toBe(42);
    expect(t.text()).toMatch(/probe: measuring … \d+s/);
    await expect(withElapsed('x', Promise.reject(new Error('boom')), { stream: stream(true).s })).rejects.toThrow('boom');
  });

  it('stopAllProgress stops every bar still drawn (an error or Ctrl-C ends the command)', () => {
    const t = stream(true);
    startProgress({ format: 'a {value}', total: 2, stream: t.s });
    startProgress({ format: 'b {value}', total: 2, stream: t.s });
    stopAllProgress();
    const shown = t.text().split('\x1B[?25h').length - 1;
    expect(shown).toBe(2);
  });
});

describe('long steps show progress on a terminal, nothing on a pipe', () => {
  it('explore: states, depth and rate', async () => {
    const args = ['explore', 'pool', '--threads', '4', '--ops', '6', '--max-states', '30000'];
    const tty = await asTerminal(() => runMain(args));
    expect(tty.code).toBe(3);
    expect(tty.stderr).toMatch(/explore \d+ states \| depth \d+ \| \d+ states\/s \| 0 violation\(s\) \| \d+s/);
    const pipe = await runMain(args);
    expect(pipe.stderr).toBe('');
    // --json keeps stderr clean even on a terminal.
    expect((await asTerminal(() => runMain([...args, '--json']))).stderr).toBe('');
  });

  it('probe: opening the GPU, then measuring (GPU)', async (ctx) => {
    const r = await asTerminal(() => runMain(['probe', '--samples', '4096']));
    if (r.code === 3 && process.env['REFSIM_REQUIRE_GPU'] !== '1') return ctx.skip(`no GPU: ${r.stderr.trim()}`);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/probe: opening the GPU … \d+s/);
    expect(r.stderr).toMatch(/probe: measuring 4096 samples per operation … \d+s/);
    expect(r.stdout).toMatch(/^profile: (strict|fma)/m);
  });

  it('stress: start-up and run (fake engine)', async () => {
    const r = await asTerminal(() => runMain(['stress', '--engine', 'fake', '--threads', '1', '--ops', '2', '--shape', '1x2x4x4', '--seed', '1']));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/stress: 1 thread\(s\) starting and running 2 ops … \d+s/);
  });
});
