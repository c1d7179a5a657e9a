/**
 * Differential throughput (issue 6): property cases per second per op, the whole pipeline of
 * `refsim diff` (fast-check generation, GPU through the crash-isolated child, reference,
 * classification), small shapes (every input ≤ 2048 elements = 1×8×16×16). Batched (256 cases per
 * submission) against one submission per case, measured in the same run. Goal ≥ 2,000 cases/s.
 * Runs on whatever adapter Dawn finds (lavapipe on the CPU machines). tinybench runs each variant
 * after a warm-up (pipeline compilation, JIT) several times; the figure is the median run.
 */
import { openDiffGpu, judge } from '../src/diff/gpu.ts';
import { runOpDiff, type DiffRunOptions } from '../src/diff/run.ts';
import { NoAdapterError } from '../src/gpu/errors.ts';
import { gpuOps } from '../src/gpu/registry.ts';
import { opSpecs } from '../src/ops/registry.ts';
import { OP_NAMES } from '../src/ops/index.ts';
import { Bench } from 'tinybench';
import type { BenchRow } from './lib.ts';

const BATCHED_CASES = Number(process.env['REFSIM_BENCH_DIFF_CASES'] ?? 4096);
const SINGLE_CASES = Math.max(32, Math.floor(BATCHED_CASES / 16));
const BATCH = 256;
const GOAL = 2000;

export async function diffBench(): Promise<BenchRow[]> {
  let gpu: Awaited<ReturnType<typeof openDiffGpu>>;
  try {
    gpu = await openDiffGpu();
  } catch (e) {
    if (e instanceof NoAdapterError) {
      return [{ suite: 'diff', name: 'differential throughput', value: `skipped: ${e.message}`, baseline: '–', ratio: null, ratioLabel: '' }];
    }
    throw e;
  }
  const rows: BenchRow[] = [];
  try {
    const j = await judge(gpu.isolated, 'auto');
    const adapter = gpu.adapter.description || gpu.adapter.device;
    for (const op of OP_NAMES) {
      const spec = opSpecs[op];
      if (spec === undefined || gpuOps[op] === undefined) continue;
      const base: DiffRunOptions = {
        cases: 0, seed: 20261126, shard: { index: 1, count: 1 }, batch: BATCH, profile: j.profile, accuracy: j.accuracy,
        gen: { maxElements: 2048, specialValues: false }, fixturesDir: null, shrink: false,
      };
      let violations = 0;
      const bench = new Bench({ iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 });
      bench.add('batched', async () => {
        violations += (await runOpDiff(spec, gpu, { ...base, cases: BATCHED_CASES })).violations;
      });
      bench.add('single', async () => {
        violations += (await runOpDiff(spec, gpu, { ...base, cases: SINGLE_CASES, batch: 1 })).violations;
      });
      await bench.run();
      const perSecond = (name: string, cases: number): number => {
        const r = bench.getTask(name)?.result;
        if (r === undefined || r.state !== 'completed') throw new Error(`bench diff ${op} ${name}: ${r?.state ?? 'missing'}`);
        return cases / (r.latency.p50 / 1000);
      };
      const b = perSecond('batched', BATCHED_CASES);
      const s = perSecond('single', SINGLE_CASES);
      rows.push({
        suite: 'diff',
        name: `${op}: property cases/s, ${BATCH} cases per submit, inputs ≤ 1×8×16×16 (${adapter}, ${BATCHED_CASES} cases, median of 3; ${violations} violations)`,
        value: `${b.toFixed(0)} cases/s`,
        baseline: `one submit per case: ${s.toFixed(0)} cases/s (${SINGLE_CASES} cases)`,
        ratio: b / s,
        ratioLabel: 'batched / per-case',
        goal: `≥ ${GOAL} cases/s`,
        met: b >= GOAL,
      });
    }
  } finally {
    await gpu.close();
  }
  return rows;
}
