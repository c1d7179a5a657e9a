/**
 * vitest globalSetup: compiles src/ into dist/ (scripts/build.ts, incremental: about 2 s when
 * nothing changed) before any test runs. The suite starts its child processes and worker threads
 * from dist/ (REFSIM_TEST_CHILDREN_FROM_DIST=1 in vitest.config.ts; src/util/entry.ts), so dist/
 * must be the code under test. With REFSIM_TEST_CHILDREN_FROM_DIST=0 children run through tsx and
 * nothing is built.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildDist(): void {
  // Children through tsx (vitest.config.ts): nothing to build.
  if (process.env['REFSIM_TEST_CHILDREN_FROM_DIST'] === '0') return;
  const script = fileURLToPath(new URL('../../scripts/build.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npm run build failed before the tests (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}
