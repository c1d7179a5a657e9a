/**
 * The differential suite: every op of the registry on the available adapter (lavapipe in CI,
 * REFSIM_REQUIRE_GPU=1), fast-check cases with pinned seeds, every output element classified
 * against the reference under the probed profile and accuracy. Any violation fails the test with
 * the seed, the fast-check path of the shrunk case, the saved fixture and its elements.
 *
 * Sized for CI (2 cores, lavapipe). Larger campaigns: `npx refsim diff --cases N --shard i/n`, or
 * this file with REFSIM_DIFF_CASES=N REFSIM_DIFF_SHARD=i/n (same seeds, disjoint cases per machine);
 * `vitest run --shard i/n` splits the suite's files across machines.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { diffGpuFrom, judge, type Judgement } from '../../src/diff/gpu.ts';
import { withBrokenKernel } from '../../src/diff/gpuRunner.ts';
import { brokenKernelFromEnv } from '../../src/testHooks.ts';
import { formatRepro } from '../../src/diff/repro.ts';
import { readFixture } from '../../src/diff/fixture.ts';
import { parseShard, runOpDiff, shardRange } from '../../src/diff/run.ts';
import { gpuOps } from '../../src/gpu/registry.ts';
import { opSpecs } from '../../src/ops/registry.ts';
import { OP_NAMES } from '../../src/ops/index.ts';
import { describeGpu } from '../support/gpu.ts';
import { pinnedSeed } from '../support/seed.ts';

const CASES = Number(process.env['REFSIM_DIFF_CASES'] ?? 48);
const SPECIAL_CASES = Math.max(1, Math.floor(CASES / 3));
const BASE_SEED = pinnedSeed ?? 20261126;
const SHARD = parseShard(process.env['REFSIM_DIFF_SHARD'] ?? '1/1', 'REFSIM_DIFF_SHARD');
const fixturesDir = mkdtempSync(join(tmpdir(), 'refsim-differential-'));

describeGpu('differential: GPU kernels vs reference', (gpu) => {
  let judgement: Judgement | null = null;
  const judged = async (): Promise<Judgement> => (judgement ??= await judge(gpu(), 'auto', 1 << 16));

  OP_NAMES.forEach((op, k) => {
    for (const special of [false, true]) {
      it(`${op}${special ? ' (NaN, ±Inf, −0, subnormals)' : ''}`, async () => {
        const spec = opSpecs[op];
        // Every op of the registry must have a GPU kernel: a missing one is a failure, not a skip.
        expect(spec, `no op spec for ${op}`).toBeDefined();
        expect(gpuOps[op], `no GPU kernel for ${op} in src/gpu/registry.ts`).toBeDefined();
        const j = await judged();
        const seed = BASE_SEED + k;
        // REFSIM_TEST_BREAK_KERNEL=<op> shows what a failure here looks like.
        const s = await runOpDiff(spec!, withBrokenKernel(diffGpuFrom(gpu()), brokenKernelFromEnv()), {
          cases: special ? SPECIAL_CASES : CASES, seed, shard: SHARD, batch: 64,
          profile: j.profile, accuracy: j.accuracy, boundOrder: j.boundOrder, gen: { maxElements: 512, specialValues: special },
          fixturesDir, shrinkTimeLimitMs: 30_000,
        });
        const range = shardRange(special ? SPECIAL_CASES : CASES, SHARD);
        expect(s.cases).toBe(range.end - range.start);
        if (s.violations > 0) {
          const sh = s.shrunk;
          const detail = sh?.fixture
            ? formatRepro(spec!, { ...sh, fixture: readFixture(sh.fixture), gpu: { adapter: gpu().adapter, backend: gpu().adapter.backend }, reproduces: sh.verdict.violations > 0, expectedChanged: [] }, { file: sh.fixture, limit: 8 })
            : '(not shrunk)';
          expect.fail(
            `${op}: ${s.violations} violations in ${s.violatingCases} of ${s.cases} cases (profile ${j.profile}, seed ${seed}, first at path ${s.firstViolationIndex})\n` +
              `shrunk: seed ${sh?.seed} path ${sh?.path}${sh?.reproducedAlone === false ? ' (batch-dependent: passes alone)' : ''}\n` +
              `fixture: ${sh?.fixture ?? 'none'}   reproduce: npx refsim repro ${sh?.fixture ?? ''}\n${detail}`,
          );
        }
      });
    }
  });
});
