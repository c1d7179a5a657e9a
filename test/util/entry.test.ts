/**
 * Entries of child processes and worker threads (src/util/entry.ts): from the sources they are the
 * TypeScript files, run through tsx; with REFSIM_TEST_CHILDREN_FROM_DIST=1 (the test suite) the
 * compiled files of dist/; from dist/ itself, the .js beside the caller.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { entryUrl, loaderArgs } from '../../src/util/entry.ts';

const root = new URL('../../', import.meta.url).href;
const caller = `${root}src/gpu/isolate.ts`;
const saved = process.env['REFSIM_TEST_CHILDREN_FROM_DIST'];
afterEach(() => {
  if (saved === undefined) delete process.env['REFSIM_TEST_CHILDREN_FROM_DIST'];
  else process.env['REFSIM_TEST_CHILDREN_FROM_DIST'] = saved;
});

describe('entryUrl', () => {
  it('from the sources: the TypeScript entry beside the caller, run with tsx', () => {
    delete process.env['REFSIM_TEST_CHILDREN_FROM_DIST'];
    const u = entryUrl('./isolateChild.ts', caller);
    expect(u.href).toBe(`${root}src/gpu/isolateChild.ts`);
    expect(loaderArgs(u)).toEqual(['--import', expect.stringContaining('tsx')]);
  });

  // REFSIM_TEST_CHILDREN_FROM_DIST=0 (a machine without the compiler) builds no dist/ to map to.
  it.skipIf(saved === '0')('with REFSIM_TEST_CHILDREN_FROM_DIST=1: the compiled file in dist/, run without a loader', () => {
    process.env['REFSIM_TEST_CHILDREN_FROM_DIST'] = '1';
    const u = entryUrl('../stress/runChild.ts', caller);
    expect(u.href).toBe(`${root}dist/stress/runChild.js`);
    expect(loaderArgs(u)).toEqual([]);
    expect(() => entryUrl('./noSuchChild.ts', caller)).toThrow(/dist\/gpu\/noSuchChild\.js is missing: run npm run build/);
  });

  it('from compiled JavaScript: the .js beside the caller', () => {
    expect(entryUrl('./worker.ts', `${root}dist/stress/run.js`).href).toBe(`${root}dist/stress/worker.js`);
  });
});

describe('children through tsx', () => {
  it('a stress run from the sources starts its worker threads from the TypeScript entries', () => {
    // The rest of the suite starts children from dist/; this keeps the development path tested.
    const env = { ...process.env };
    delete env['REFSIM_TEST_CHILDREN_FROM_DIST'];
    const bin = fileURLToPath(new URL('../../bin/refsim.js', import.meta.url));
    const fixtures = mkdtempSync(join(tmpdir(), 'refsim-entry-'));
    const r = spawnSync(process.execPath, [bin, 'stress', '--engine', 'fake', '--threads', '2', '--ops', '2', '--shape', '1x4x4x4', '--seed', '1', '--mode', 'shared', '--fixtures', fixtures], { encoding: 'utf8', env, timeout: 120_000 });
    rmSync(fixtures, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/DepthwiseConv\+GroupNorm stress test: PASS/);
  });
});
