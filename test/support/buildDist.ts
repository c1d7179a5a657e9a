/**
 * vitest globalSetup: compiles src/ into dist/ (scripts/build.ts, incremental: about 2 s when
 * nothing changed) before any test runs. The suite starts its child processes and worker threads
 * from dist/ (REFSIM_TEST_CHILDREN_FROM_DIST=1 in vitest.config.ts; src/util/entry.ts), so dist/
 * must be the code under test. With REFSIM_TEST_CHILDREN_FROM_DIST=0 children run through tsx and
 * nothing is built.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Every project inherits this setup (vitest.config.ts) and loads this file anew, so the mark that
 * the build is done lives on the process: the first call builds, the others find it done.
 */
const BUILT = Symbol.for('refsim.test.distBuilt');

export default function buildDist(): void {
  const marks = globalThis as { [BUILT]?: true };
  // Children through tsx (vitest.config.ts): nothing to build.
  if (marks[BUILT] === true || process.env['REFSIM_TEST_CHILDREN_FROM_DIST'] === '0') return;
  marks[BUILT] = true;
  const script = fileURLToPath(new URL('../../scripts/build.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npm run build failed before the tests (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}
