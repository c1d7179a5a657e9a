/**
 * The packed package (docs/packaging.md): `npm pack` of this checkout, installed offline into a
 * temporary project (test/support/packed.ts), then used the way a user would, from plain `node`
 * with no tsx installed: every entry point imported, the bin run, each worker thread and child
 * process started from the compiled dist/, and a TypeScript user type-checked against the
 * declarations. One pack and install serve every test here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpuRequired } from '../support/gpu.ts';
import { type Installed, installPackedProject, plainEnv, repoRoot } from '../support/packed.ts';

let p: Installed;

beforeAll(() => {
  p = installPackedProject();
  process.stderr.write(`[pack test] npm pack ${p.packSeconds.toFixed(1)} s, offline install ${p.installSeconds.toFixed(1)} s\n`);
}, 300_000);
afterAll(() => p?.remove());

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs a command in the temporary project with plain node first on PATH. */
function runIn(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const path = `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`;
  const r = spawnSync(cmd, args, { cwd: p.project, encoding: 'utf8', timeout: 120_000, env: plainEnv({ PATH: path, ...env }) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const refsim = (...args: string[]): Run => runIn(join(p.project, 'node_modules', '.bin', 'refsim'), args);

/** Runs an ES module script, written into the temporary project, with plain node. */
function nodeScript(name: string, source: string, env: NodeJS.ProcessEnv = {}): Run {
  const file = join(p.project, name);
  writeFileSync(file, source);
  return runIn(process.execPath, [file], env);
}

const show = (r: Run): string => `exit ${r.code}\nstdout: ${r.stdout.slice(-2000)}\nstderr: ${r.stderr.slice(-2000)}`;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

/** A GPU command: 0 with an adapter; without one (allowed unless REFSIM_REQUIRE_GPU=1) exit 3 naming the missing adapter. A child that failed to start exits 1. */
function expectGpuCommand(r: Run): void {
  if (r.code === 3 && !gpuRequired()) expect(r.stderr, show(r)).toMatch(/no WebGPU adapter/);
  else expect(r.code, show(r)).toBe(0);
}

describe('npm pack', () => {
  it('ships compiled JavaScript with declarations for every module, the worker scripts and the bin, and no sources', () => {
    const files = new Set(p.files);
    const build = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.build.json'), 'utf8')) as { exclude?: string[] };
    const excluded = new Set(build.exclude ?? []);
    const problems: string[] = [];
    for (const rel of sourceFiles(join(repoRoot, 'src'))) {
      if (excluded.has(`src/${rel}`) || rel.endsWith('.d.ts')) continue;
      const want = rel.endsWith('.ts') ? [`dist/${rel.slice(0, -3)}.js`, `dist/${rel.slice(0, -3)}.d.ts`] : /\.(js|mjs|cjs)$/.test(rel) ? [`dist/${rel}`] : [];
      for (const w of want) if (!files.has(w)) problems.push(`missing ${w} (from src/${rel})`);
    }
    for (const f of p.files) {
      if (/^(src|test|bench|scripts)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.includes('tsbuildinfo')) problems.push(`ships ${f}`);
    }
    for (const [key, target] of Object.entries(p.pkg.exports)) {
      if (key === './package.json') continue;
      if (typeof target === 'string') {
        problems.push(`export ${key} has no types condition`);
        continue;
      }
      if (!target['types']?.endsWith('.d.ts') || !files.has(target['types'].slice(2))) problems.push(`export ${key}: types ${target['types']} not shipped`);
      if (!target['default']?.endsWith('.js') || !files.has(target['default'].slice(2))) problems.push(`export ${key}: default ${target['default']} not shipped`);
    }
    for (const [name, target] of Object.entries(p.pkg.bin)) if (!files.has(target.replace(/^\.\//, ''))) problems.push(`bin ${name}: ${target} not shipped`);
    expect(problems).toEqual([]);
  });

  it('installs without tsx or any other dev dependency', () => {
    const own = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(Object.keys(own.devDependencies)).toContain('tsx');
    const present = Object.keys(own.devDependencies).filter((d) => existsSync(join(p.project, 'node_modules', d)));
    expect(present).toEqual([]);
  });

  it('imports every entry point from plain node', () => {
    const specifiers = Object.keys(p.pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? p.pkg.name : `${p.pkg.name}/${k.slice(2)}`));
    expect(specifiers).toEqual(expect.arrayContaining(['mps-refsim', 'mps-refsim/reference', 'mps-refsim/gpu']));
    const r = nodeScript('entries.mjs', [
      'const out = {};',
      `for (const s of ${JSON.stringify(specifiers)}) out[s] = Object.keys(await import(s));`,
      "const { alignUp } = await import('mps-refsim');",
      'out.alignUp = String(alignUp(100n, 16n));',
      'console.log(JSON.stringify(out));',
    ].join('\n'));
    expect(r.code, show(r)).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, string[] | string>;
    const empty = specifiers.filter((s) => (out[s]?.length ?? 0) === 0);
    expect(empty, 'entry points with no exports').toEqual([]);
    expect(out['mps-refsim/reference']).toContain('alignUp');
    expect(out['mps-refsim/gpu']).toEqual(expect.arrayContaining(['IsolatedGpu', 'openGpu', 'gpuOps']));
    // 100 rounded up to a multiple of 16.
    expect(out['alignUp']).toBe('112');
  });

  it('runs `refsim align 100 16`, `refsim --help` and a usage error from the installed bin', () => {
    const align = refsim('align', '100', '16');
    expect(align.code, show(align)).toBe(0);
    expect(align.stdout).toContain('result: 112 (0x0000000000000070)');
    const help = refsim('--help');
    expect(help.code, show(help)).toBe(0);
    expect(help.stdout).toMatch(/^Usage: refsim/);
    const commands = ['align', 'alloc', 'counter', 'pool', 'probe', 'explore', 'stress', 'diff', 'check', 'repro'];
    expect(commands.filter((c) => !new RegExp(`^\\s+${c}\\b`, 'm').test(help.stdout)), 'commands missing from --help').toEqual([]);
    const usage = refsim('align', '100');
    expect(usage.code, show(usage)).toBe(2);
  });

  it('starts its worker threads and child processes from dist/', () => {
    const fixtures = join(p.project, 'fixtures');
    mkdirSync(fixtures, { recursive: true });
    const counter = refsim('counter', '--workers', '2', '--ids-per-worker', '1000');
    expect(counter.code, show(counter)).toBe(0);
    expect(counter.stdout).toMatch(/verdict: ok/);
    const stress = refsim('stress', '--engine', 'fake', '--threads', '2', '--ops', '4', '--shape', '1x4x4x4', '--seed', '1', '--fixtures', fixtures);
    expect(stress.code, show(stress)).toBe(0);
    expect(stress.stdout).toMatch(/PASS/);
    // The fast path's threads: startThreads waits until each worker has loaded its script and is ready.
    const fast = nodeScript('fast.mjs', [
      `const f = await import(${JSON.stringify(join(p.installed, 'dist', 'fast', 'index.js'))});`,
      'console.log(f.startThreads(3, 60000));',
      'await f.stopThreads();',
    ].join('\n'));
    expect(fast.code, show(fast)).toBe(0);
    expect(fast.stdout.trim()).toBe('2');
    // The isolated GPU process (src/gpu/isolateChild.ts) and a soak run's own process (src/stress/runChild.ts).
    expectGpuCommand(refsim('probe', '--samples', '1024'));
    expectGpuCommand(refsim('stress', '--repeat', '1', '--isolation', 'thread', '--threads', '1', '--ops', '1', '--shape', '1x4x4x4', '--seed', '1', '--fixtures', fixtures));
  });

  it('type-checks a TypeScript user of every entry point against the shipped declarations', () => {
    const typeRoots = join(repoRoot, 'node_modules', '@types');
    writeFileSync(join(p.project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [typeRoots] },
      files: ['user.mts'],
    }));
    writeFileSync(join(p.project, 'user.mts'), [
      "import { alignUp } from 'mps-refsim';",
      "import { alignUp as alignUpToo } from 'mps-refsim/reference';",
      "import { type GpuContext, IsolatedGpu } from 'mps-refsim/gpu';",
      'export const aligned: bigint = alignUp(100n, 16n) + alignUpToo(1n, 8n);',
      '// @ts-expect-error sizes are bigints: declarations that typed it `any` would let this through',
      'alignUp(100, 16);',
      '// GPUDevice comes from @webgpu/types, which the declarations reference themselves.',
      'export const device = (c: GpuContext): GPUDevice => c.device;',
      'export const open: typeof IsolatedGpu.open = IsolatedGpu.open;',
    ].join('\n'));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const r = runIn(process.execPath, [tsc, '-p', p.project]);
    expect(r.code, show(r)).toBe(0);
  });
});
