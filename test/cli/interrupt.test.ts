/**
 * Ctrl-C through the real executable (a signal needs a process of its own). It waits a fixed time
 * for the CLI to load before interrupting, so it runs in the `timing` project, alone on the machine.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STACK_FRAME } from './inProcess.ts';

describe('refsim explore: bounded', () => {
  it('Ctrl-C during a long search: one line "interrupted", exit 130', async () => {
    const bin = fileURLToPath(new URL('../../bin/refsim.js', import.meta.url));
    // Plain enumeration holds no states: with this budget only the time limit (600 s) would end it.
    const child = spawn(process.execPath, [bin, 'explore', 'pool', '--threads', '4', '--ops', '6', '--method', 'plain', '--max-states', '2000000000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    // Wait until the search runs (the CLI has loaded), then interrupt.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code).toBe(130);
    expect(stderr.trim()).toBe('refsim: interrupted');
    expect(stderr).not.toMatch(STACK_FRAME);
  });
});
