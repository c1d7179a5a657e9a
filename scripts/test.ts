/**
 * `npm test`: the type check (`tsc --noEmit`) and the test suite (`vitest run`) side by side. The
 * suite keeps both cores of the CI machine mostly busy but not always (children starting, timing
 * tests waiting on their clocks); tsc, at the lowest priority, fills those gaps instead of running
 * alone first. vitest's
 * output streams through; tsc's is printed after it, so the two never interleave. Exit status: 0
 * when both pass, else the first failure's (vitest's, then tsc's). Arguments go to vitest.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const tscBin = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const vitestBin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));

const exited = (child: ChildProcess): Promise<number> =>
  new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1))));

const tsc = spawn(process.execPath, [tscBin, '--noEmit', '--pretty'], { stdio: ['ignore', 'pipe', 'pipe'] });
// The lowest CPU priority: the type check takes the cores only when the tests leave them idle, and
// never slows a test whose verdict depends on time.
if (tsc.pid !== undefined) {
  try {
    setPriority(tsc.pid, constants.priority.PRIORITY_LOW);
  } catch {
    // Not permitted here: the check runs at normal priority.
  }
}
const tscOutput: Buffer[] = [];
tsc.stdout.on('data', (b: Buffer) => tscOutput.push(b));
tsc.stderr.on('data', (b: Buffer) => tscOutput.push(b));
const vitest = spawn(process.execPath, [vitestBin, 'run', ...process.argv.slice(2)], { stdio: 'inherit' });

// Ctrl-C reaches both children through the terminal's process group; they stop, and so does this.
process.on('SIGINT', () => {});

const [vitestCode, tscCode] = await Promise.all([exited(vitest), exited(tsc)]);
const text = Buffer.concat(tscOutput).toString('utf8').trimEnd();
process.stdout.write(`\ntype check (tsc --noEmit): ${tscCode === 0 ? 'ok' : `FAILED (exit ${tscCode})`}\n${text === '' ? '' : `${text}\n`}`);
process.exitCode = vitestCode !== 0 ? vitestCode : tscCode;
