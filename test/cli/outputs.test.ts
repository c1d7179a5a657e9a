/**
 * Output paths are checked before any work (src/cli/outputs.ts), and a fixture that still cannot
 * be written mid-run costs one line, not the report (src/diff/run.ts).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputs, OutputPathError } from '../../src/cli/outputs.ts';
import { formatDiffText } from '../../src/diff/report.ts';
import { runOpDiff } from '../../src/diff/run.ts';
import { EXACT_ACCURACY } from '../../src/ops/types.ts';
import { addUlps, fakeAdapter, fakeGpu, fakeRelu } from '../diff/fakes.ts';
import { runMain } from './inProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'x');
const aDir = join(dir, 'a-dir');
mkdirSync(aDir);
symlinkSync('/proc/self', join(dir, 'to-proc'));

describe('checkOutputs', () => {
  it.each([
    ['--fixtures-dir', aFile, 'dir', /exists and is not a directory/],
    ['--fixtures-dir', '', 'dir', /an empty path/],
    ['--fixtures-dir', '/dev/null', 'dir', /under \/proc, \/sys, \/dev/],
    ['--fixtures-dir', '/proc/foo/bar', 'dir', /under \/proc, \/sys, \/dev/],
    ['--fixtures-dir', join(dir, 'to-proc', 'x'), 'dir', /resolves to \/proc\//],
    ['--fixtures-dir', join(aFile, 'sub'), 'dir', /a-file is a file, so the directory cannot be created under it/],
    ['--json', join(aFile, 'r.json'), 'file', /a-file is a file, so the file cannot be created under it/],
    ['--json', aDir, 'file', /is a directory; give a file name/],
    ['--json', '/dev/null', 'file', /under \/proc, \/sys, \/dev/],
  ] as const)('%s %s is rejected before work (%s)', (option, path, kind, re) => {
    let err: unknown;
    try {
      checkOutputs([{ option, path, kind }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutputPathError);
    expect((err as Error).message).toMatch(re);
    expect((err as Error).message.startsWith(`${option} `)).toBe(true);
  });

  it('a path too long for the file system is one typed error too', () => {
    expect(() => checkOutputs([{ option: '--html', path: `${'x'.repeat(5000)}/r.html`, kind: 'file' }])).toThrow(/^--html "x+\.\.\.": cannot be used \(ENAMETOOLONG\)$/);
  });

  it('accepts new files and directories (any depth) under a writable directory, and existing ones; creates nothing', () => {
    const before = readdirSync(dir).sort();
    checkOutputs([
      { option: '--json', path: join(dir, 'new', 'deeper', 'r.json'), kind: 'file' },
      { option: '--html', path: aFile, kind: 'file' },
      { option: '--fixtures-dir', path: aDir, kind: 'dir' },
      { option: '--fixtures-dir', path: join(dir, 'fx', 'y'), kind: 'dir' },
      null,
    ]);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('two outputs on one path are an error (also through a symlink or a relative path)', () => {
    const f = join(dir, 'same.out');
    expect(() => checkOutputs([{ option: '--json', path: f, kind: 'file' }, { option: '--html', path: f, kind: 'file' }])).toThrow(/--html .*the same path as --json/);
    const link = join(dir, 'link-to-dir');
    symlinkSync(aDir, link);
    expect(() => checkOutputs([{ option: '--json', path: join(aDir, 'r.json'), kind: 'file' }, { option: '--html', path: join(link, 'r.json'), kind: 'file' }])).toThrow(/--html .*same path as --json/);
    expect(() => checkOutputs([{ option: '--fixtures-dir', path: 'fx-rel', kind: 'dir' }, { option: '--json', path: join(process.cwd(), 'fx-rel'), kind: 'file' }])).toThrow(/same path as --fixtures-dir/);
  });
});

describe('refsim diff / stress check their outputs before any work', () => {
  const fast = async (args: string[]) => {
    const t0 = performance.now();
    const r = await runMain(args);
    return { ...r, ms: performance.now() - t0 };
  };

  it.each([
    [['--fixtures-dir', aFile]],
    [['--fixtures-dir', '']],
    [['--fixtures-dir', '/dev/null']],
    [['--fixtures-dir', '/proc/foo/bar']],
    [['--json', join(aFile, 'r.json')]],
    [['--json', join(dir, 'same.json'), '--html', join(dir, 'same.json')]],
  ])('diff %j: exit 2, one line, no GPU opened', async (extra) => {
    // REFSIM_BACKEND names a backend with no adapter here: reaching the GPU would exit 3, not 2.
    const r = await fast(['diff', '--op', 'relu', '--cases', '5', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^refsim: --(fixtures-dir|json|html) /);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('stress --fixtures onto a file: exit 2, one line, before the threads start', async () => {
    const r = await fast(['stress', '--engine', 'fake', '--threads', '1', '--ops', '1', '--shape', '1x2x4x4', '--fixtures', aFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^refsim: --fixtures .*exists and is not a directory\n$/);
  });
});

describe('a fixture that cannot be written mid-run', () => {
  it('costs one line in the report; the run finishes and counts its violations', async () => {
    // The directory is valid when the run starts and gone (a file in its place) when the fixture is saved.
    const fx = join(dir, 'vanishing');
    writeFileSync(fx, 'not a directory any more');
    const gpu = fakeGpu({ relu: fakeRelu }, (out) => addUlps(out, 0, 1));
    const s = await runOpDiff(fakeRelu, gpu, {
      cases: 20, seed: 7, shard: { index: 1, count: 1 }, batch: 8, profile: 'strict', accuracy: EXACT_ACCURACY,
      gen: { maxElements: 16, specialValues: false }, fixturesDir: fx, shrinkTimeLimitMs: 5_000,
    });
    expect(s.violations).toBeGreaterThan(0);
    expect(s.shrunk?.fixture).toBeNull();
    expect(s.shrunk?.fixtureError).toMatch(/^cannot write fixture .*vanishing\/mismatch-relu-[0-9a-f]{12}\.json: /);
    const text = formatDiffText({
      adapter: fakeAdapter, backend: 'vulkan', profile: 'strict', profileSource: 'test', accuracy: EXACT_ACCURACY,
      seed: 7, cases: 20, shard: { index: 1, count: 1 }, batch: 8, gen: { maxElements: 16, specialValues: false }, ops: [s], seconds: 1,
    });
    expect(text.split('\n').filter((l) => l.includes('fixture NOT saved'))).toHaveLength(1);
    expect(text).toMatch(/FAILED: \d+ violations?/);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
