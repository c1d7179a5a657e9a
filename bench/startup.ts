/**
 * `npm run bench -- startup`: how long `refsim align 100 16` takes as a whole process, as the
 * installed package runs it (bin/refsim.js on the compiled dist/, no sources beside it) next to a bare
 * `node -e 0` timed in the same rounds, and as a checkout runs it (the sources through tsx).
 * dist/ is rebuilt first (incrementally), so the figure is for this tree.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchRow, type BenchSuite, median } from './lib.ts';

const SUITE = 'startup';
const ROUNDS = 21;
const DEV_ROUNDS = 5;
/** The goal for `refsim align 100 16` from the installed package. */
const GOAL_MS = 300;

const root = fileURLToPath(new URL('..', import.meta.url));

/** Wall time of one process, in ms; throws when it fails. */
function timeProcess(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}`);
  return ms;
}

const fmt = (xs: readonly number[]): string => `${median(xs).toFixed(0)} ms median (min ${Math.min(...xs).toFixed(0)}, ${xs.length} runs)`;

/**
 * The installed layout without installing: bin/refsim.js and package.json copied into a temporary
 * package root whose dist/ links to this tree's, and no src/ beside them, so the bin takes the
 * installed path (dependencies resolve from dist's real location, as node does by default).
 */
function installedLayout(): { bin: string; remove(): void } {
  const dir = mkdtempSync(join(os.tmpdir(), 'refsim-startup-'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(root, 'bin', 'refsim.js'), join(dir, 'bin', 'refsim.js'));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(root, 'dist'), join(dir, 'dist'), 'dir');
  return { bin: join(dir, 'bin', 'refsim.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const suite: BenchSuite = async () => {
  const build = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'scripts', 'build.ts')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('startup bench: npm run build failed');
  const installed = installedLayout();
  const align = ['align', '100', '16'];
  const bare: number[] = [];
  const dist: number[] = [];
  const help: number[] = [];
  const dev: number[] = [];
  try {
    // One warm-up of each (file cache), then the rounds interleaved so load changes hit all alike.
    timeProcess(['-e', '0']);
    timeProcess([installed.bin, ...align]);
    for (let i = 0; i < ROUNDS; i++) {
      bare.push(timeProcess(['-e', '0']));
      dist.push(timeProcess([installed.bin, ...align]));
      help.push(timeProcess([installed.bin, '--help']));
    }
    for (let i = 0; i < DEV_ROUNDS; i++) dev.push(timeProcess([join(root, 'bin', 'refsim.js'), ...align]));
  } finally {
    installed.remove();
  }
  const load = `load ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`;
  const rows: BenchRow[] = [
    {
      suite: SUITE, name: `\`refsim align 100 16\`, installed package (bin on dist/, no tsx), whole process (${load})`,
      value: fmt(dist), baseline: `\`node -e 0\`: ${fmt(bare)}`, ratio: median(dist) / median(bare), ratioLabel: 'refsim / bare node time',
      goal: `< ${GOAL_MS} ms`, met: median(dist) < GOAL_MS,
    },
    {
      suite: SUITE, name: `\`refsim --help\`, installed package, whole process (${load})`,
      value: fmt(help), baseline: `\`node -e 0\`: ${fmt(bare)}`, ratio: median(help) / median(bare), ratioLabel: 'refsim / bare node time',
    },
    {
      suite: SUITE, name: `\`refsim align 100 16\` in a checkout (bin on the sources through tsx), whole process (${load})`,
      value: fmt(dev), baseline: `installed package: ${fmt(dist)}`, ratio: median(dev) / median(dist), ratioLabel: 'checkout / installed time',
    },
  ];
  return rows;
};

export default suite;
