/**
 * The reference's WebAssembly fast path (src/fast) on the reference-ops suite's inputs, against
 * the TypeScript reference, the scalar C of bench/c/ref_ops.c (gcc -O2) and a C build of the fast
 * path's own 4-wide algorithm (bench/c/ref_ops_simd4.c, SSE): per op and profile, single thread,
 * process CPU time. A row is only reported when every route's output hashes the same (NaN-free
 * inputs, so bit-identical). Then threads 1 → N (wall time), and the size thresholds of
 * src/fast/select.ts checked at their own size.
 */
import os from 'node:os';
import { Bench } from 'tinybench';
import { adaptiveAvgPoolInto } from '../src/ops/adaptiveAvgPool2d/fast.ts';
import type { FastContext } from '../src/fast/context.ts';
import { depthwiseInto } from '../src/ops/depthwiseConv2d/fast.ts';
import { groupNormInto } from '../src/ops/groupNorm/fast.ts';
import { FAST_OPS, fastContext, runFast, startThreads, stopThreads } from '../src/fast/index.ts';
import { linearInto } from '../src/ops/linear/fast.ts';
import { pointwiseInto } from '../src/ops/pointwiseConv2d/fast.ts';
import { reluInto } from '../src/ops/relu/fast.ts';
import { depthwiseConv2dGeometry } from '../src/ops/depthwiseConv2d/reference.ts';
import { FAST_MIN_WORK, THREAD_MIN_WORK } from '../src/fast/select.ts';
import { perOp } from '../src/ops/index.ts';
import { type OpCase, type OpName, type OpSpec, specOf } from '../src/ops/types.ts';
import type { Profile } from '../src/reference/tensor.ts';
import type { BenchRow, BenchSuite } from './lib.ts';
import { buildC, dwB, dwW, fcB, fcW, fmt, fnv1a, G, gnB, gnG, lb, lw, lx, POOL, pwB, pwW, randomTensor, runC, type Timing, timeTs, x } from './referenceOps.ts';

const SUITE = 'fast reference';
const TIME_MS = Number(process.env['REFSIM_BENCH_MS'] ?? 1000);
const specs: Record<OpName, OpSpec> = perOp(specOf);

interface Case {
  /** ref_ops key */
  key: string;
  label: string;
  c: OpCase;
  fma: boolean;
  /** Has a 4-wide C twin and the goals. */
  goal: boolean;
}

const conv = { stride: [1, 1], padding: [1, 1], dilation: [1, 1] };
const cases: Case[] = [
  { key: 'linear', label: 'linear 64×1024 → 1024', c: { op: 'linear', params: {}, inputs: { x: lx, weight: lw, bias: lb } }, fma: true, goal: true },
  { key: 'pointwiseConv2d', label: 'pointwiseConv2d 1×64×56×56 → 64', c: { op: 'pointwiseConv2d', params: {}, inputs: { x, weight: pwW, bias: pwB } }, fma: true, goal: true },
  { key: 'depthwiseConv2d', label: 'depthwiseConv2d 1×64×56×56, 3×3 pad 1', c: { op: 'depthwiseConv2d', params: conv, inputs: { x, weight: dwW, bias: dwB } }, fma: true, goal: true },
  { key: 'groupNorm', label: 'groupNorm 1×64×56×56, G=32, affine', c: { op: 'groupNorm', params: { numGroups: G, eps: 1e-5 }, inputs: { x, weight: gnG, bias: gnB } }, fma: true, goal: false },
  { key: 'relu', label: 'relu 1×64×56×56', c: { op: 'relu', params: {}, inputs: { x } }, fma: false, goal: false },
  { key: 'adaptiveAvgPool2d', label: 'adaptiveAvgPool2d 1×64×56×56 → 7×7', c: { op: 'adaptiveAvgPool2d', params: { outputSize: POOL }, inputs: { x } }, fma: false, goal: false },
  { key: 'adaptiveAvgPool2d-global', label: 'adaptiveAvgPool2d 1×64×56×56 → 1×1', c: { op: 'adaptiveAvgPool2d', params: { outputSize: 1 }, inputs: { x } }, fma: false, goal: false },
  {
    key: 'depthwiseSeparableBlock',
    label: 'depthwiseSeparableBlock 1×64×56×56 → 10',
    c: {
      op: 'depthwiseSeparableBlock',
      params: { numGroups: G, eps: 1e-5 },
      inputs: { x, dwWeight: dwW, dwBias: dwB, pwWeight: pwW, pwBias: pwB, gnWeight: gnG, gnBias: gnB, fcWeight: fcW, fcBias: fcB },
    },
    fma: true,
    goal: false,
  },
];

const ts = (c: OpCase, p: Profile) => specs[c.op].reference(c, p);
function fast(c: OpCase, p: Profile, threads = 1) {
  const y = runFast(c.op, c, p, threads);
  if (y === null) throw new Error(`${c.op}: not covered by the fast path`);
  return y;
}

/** Wall-clock timing (for threads, whose CPU time adds up across cores). */
async function timeWall(fn: () => unknown): Promise<Timing> {
  const bench = new Bench({ time: TIME_MS, iterations: 10, warmupIterations: 3 });
  bench.add('op', fn);
  await bench.run();
  const r = bench.tasks[0]?.result;
  if (r === undefined || !('latency' in r)) throw new Error('tinybench produced no result');
  return { medianMs: r.latency.p50, madMs: r.latency.mad, runs: r.latency.samplesCount };
}

/**
 * The op with its tensors resident in wasm memory (placed once; each run is everything after:
 * packing, promotion, padding and the kernels), as the block chain runs its stages and as the C
 * programs run: no copy in, no copy out, no fresh output array. Null for the block (its stages
 * are resident already; its call copies only the input and a 1×10 output).
 */
function resident(c: Case, profile: Profile): { run: () => void; output: () => Float32Array } | null {
  const ctx = fastContext(1) as FastContext;
  const { arena } = ctx;
  const i = c.c.inputs;
  const t = (name: string) => i[name]!;
  const put = (name: string) => arena.putF32(t(name).data);
  const xp = put('x');
  let y = 0;
  let size = 0;
  let body: () => void;
  switch (c.c.op) {
    case 'linear': {
      const [n, inF] = t('x').shape as [number, number];
      const outF = t('weight').shape[0]!;
      const w = put('weight');
      const b = put('bias');
      size = n * outF;
      y = arena.alloc(size * 4);
      body = () => linearInto(ctx, profile, xp, w, b, y, n, inF, outF);
      break;
    }
    case 'pointwiseConv2d': {
      const [n, cin, h, w] = t('x').shape as [number, number, number, number];
      const cout = t('weight').shape[0]!;
      size = n * cout * h * w;
      y = arena.alloc(size * 4);
      body = () => pointwiseInto(ctx, profile, xp, t('weight').data, t('bias').data, y, n, cin, h * w, cout);
      break;
    }
    case 'depthwiseConv2d': {
      const g = depthwiseConv2dGeometry(t('x'), t('weight'), t('bias'), { padding: 1 });
      size = g.n * g.cout * g.oh * g.ow;
      y = arena.alloc(size * 4);
      body = () => depthwiseInto(ctx, profile, g, xp, t('weight').data, t('bias').data, y);
      break;
    }
    case 'groupNorm': {
      const [n, ch, h, w] = t('x').shape as [number, number, number, number];
      size = n * ch * h * w;
      y = arena.alloc(size * 4);
      body = () => groupNormInto(ctx, profile, { n, c: ch, spatial: h * w, groups: c.c.params['numGroups'] as number }, xp, t('weight').data, t('bias').data, 1e-5, y);
      break;
    }
    case 'relu':
      size = t('x').data.length;
      y = arena.alloc(size * 4);
      body = () => reluInto(ctx, xp, y, size);
      break;
    case 'adaptiveAvgPool2d': {
      const [n, ch, h, w] = t('x').shape as [number, number, number, number];
      const o = c.c.params['outputSize'] as number;
      size = n * ch * o * o;
      y = arena.alloc(size * 4);
      body = () => adaptiveAvgPoolInto(ctx, n * ch, h, w, o, o, xp, y);
      break;
    }
    default:
      return null;
  }
  const mark = arena.mark();
  return {
    run: () => {
      arena.release(mark);
      body();
    },
    output: () => arena.readF32(y, size),
  };
}

function sameBits(label: string, hashes: Record<string, string>): void {
  const values = new Set(Object.values(hashes));
  if (values.size !== 1) throw new Error(`${label}: outputs differ between routes: ${JSON.stringify(hashes)}`);
}

async function opRows(c: Case, scalarC: { exe: string } | { error: string }, simd4: { exe: string } | { error: string }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cStrict = 'exe' in scalarC ? runC(scalarC.exe, c.key) : null;
  for (const profile of c.fma ? (['strict', 'fma'] as const) : (['strict'] as const)) {
    const hashes: Record<string, string> = { ts: fnv1a(ts(c.c, profile).data), fast: fnv1a(fast(c.c, profile).data) };
    if (profile === 'strict' && cStrict !== null) hashes['C -O2'] = cStrict.hash;
    const c4 = c.goal && 'exe' in simd4 ? runC(simd4.exe, profile === 'fma' ? `${c.key}-fma` : c.key) : null;
    if (c4 !== null) hashes['C 4-wide'] = c4.hash;
    sameBits(`${c.label} (${profile})`, hashes);
    const tFast = await timeTs(() => fast(c.c, profile));
    const tTs = await timeTs(() => ts(c.c, profile));
    const res = resident(c, profile);
    let tRes: Timing | null = null;
    if (res !== null) {
      res.run();
      sameBits(`${c.label} (${profile}, resident)`, { ts: hashes['ts']!, resident: fnv1a(res.output()) });
      tRes = await timeTs(res.run);
    }
    const name = `${c.label}, ${profile}`;
    rows.push({ suite: SUITE, name: `${name}: fast path call (copies in and out, fresh output array) vs TS reference (bits identical)`, value: `fast ${fmt(tFast)}`, baseline: `TS ${fmt(tTs)}`, ratio: tTs.medianMs / tFast.medianMs, ratioLabel: 'fast / TS speed' });
    if (cStrict === null) continue;
    const goal = c.goal ? (profile === 'strict' ? 2 : 0.35) : undefined;
    const vsC = (label: string, t: Timing, withGoal: boolean): BenchRow => {
      const ratio = cStrict.medianMs / t.medianMs;
      return {
        suite: SUITE,
        name: `${name}: ${label}, 1 thread, vs scalar C -O2 strict`,
        value: `fast ${fmt(t)}`,
        baseline: `C -O2 strict ${fmt(cStrict)}`,
        ratio,
        ratioLabel: 'fast / C speed',
        ...(goal === undefined || !withGoal ? {} : { goal: `≥ ${goal}`, met: ratio >= goal }),
      };
    };
    if (tRes !== null) rows.push(vsC('fast path, tensors resident in wasm memory (as C)', tRes, true));
    rows.push(vsC('fast path call (copies in and out, fresh output array)', tFast, tRes === null));
    if (c4 !== null) {
      rows.push({ suite: SUITE, name: `${name}: C, same 4-wide algorithm (SSE -O2), vs scalar C -O2 strict`, value: `C 4-wide ${fmt(c4)}`, baseline: `C -O2 strict ${fmt(cStrict)}`, ratio: cStrict.medianMs / c4.medianMs, ratioLabel: 'C 4-wide / C speed' });
      const t = tRes ?? tFast;
      rows.push({ suite: SUITE, name: `${name}: fast path (resident) vs C 4-wide`, value: `fast ${fmt(t)}`, baseline: `C 4-wide ${fmt(c4)}`, ratio: c4.medianMs / t.medianMs, ratioLabel: 'fast / C 4-wide speed' });
    }
  }
  return rows;
}

async function threadRows(threads: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const ready = startThreads(threads);
  for (const c of cases.filter((k) => k.goal || k.c.op === 'depthwiseSeparableBlock')) {
    const one = await timeWall(() => fast(c.c, 'strict', 1));
    for (const n of [2, threads].filter((v, i, a) => v <= threads && a.indexOf(v) === i)) {
      const many = await timeWall(() => fast(c.c, 'strict', n));
      rows.push({
        suite: SUITE,
        name: `${c.label}, strict: ${n} threads vs 1 (wall time; ${ready + 1} threads ready, ${os.availableParallelism()} cores, load ${os.loadavg()[0]!.toFixed(1)})`,
        value: `${n} threads ${fmt(many)}`,
        baseline: `1 thread ${fmt(one)}`,
        ratio: one.medianMs / many.medianMs,
        ratioLabel: 'speed-up',
      });
    }
  }
  return rows;
}

/** Each op at its 'auto' threshold: the fast path (copies included) should not be slower there. */
async function thresholdRows(): Promise<BenchRow[]> {
  const side = (work: number) => Math.max(1, Math.round(Math.sqrt(work)));
  const at: OpCase[] = [
    { op: 'linear', params: {}, inputs: { x: randomTensor([4, 32], 31), weight: randomTensor([32, 32], 32), bias: randomTensor([32], 33) } },
    { op: 'pointwiseConv2d', params: {}, inputs: { x: randomTensor([1, 16, 4, 4], 34), weight: randomTensor([16, 16, 1, 1], 35), bias: null } },
    { op: 'depthwiseConv2d', params: conv, inputs: { x: randomTensor([1, 8, 8, 8], 36), weight: randomTensor([8, 1, 3, 3], 37), bias: null } },
    { op: 'groupNorm', params: { numGroups: 4, eps: 1e-5 }, inputs: { x: randomTensor([1, 16, 16, 16], 38), weight: null, bias: null } },
    { op: 'adaptiveAvgPool2d', params: { outputSize: 2 }, inputs: { x: randomTensor([1, 4, side(FAST_MIN_WORK.adaptiveAvgPool2d / 4), side(FAST_MIN_WORK.adaptiveAvgPool2d / 4)], 39) } },
    { op: 'relu', params: {}, inputs: { x: randomTensor([FAST_MIN_WORK.relu], 40) } },
  ];
  const rows: BenchRow[] = [];
  for (const c of at) {
    const work = FAST_OPS[c.op]!.work(c);
    const tFast = await timeTs(() => fast(c, 'strict'));
    const tTs = await timeTs(() => ts(c, 'strict'));
    rows.push({
      suite: SUITE,
      name: `${c.op} at its 'auto' threshold (work ${work}, threshold ${FAST_MIN_WORK[c.op]}): fast path incl. copies vs TS`,
      value: `fast ${fmt(tFast)}`,
      baseline: `TS ${fmt(tTs)}`,
      ratio: tTs.medianMs / tFast.medianMs,
      ratioLabel: 'fast / TS speed',
      goal: '≥ 1',
      met: tTs.medianMs >= tFast.medianMs,
    });
  }
  const n = Math.ceil(THREAD_MIN_WORK / (256 * 128));
  const big: OpCase = { op: 'linear', params: {}, inputs: { x: randomTensor([n, 256], 41), weight: randomTensor([128, 256], 42), bias: null } };
  const one = await timeWall(() => fast(big, 'strict', 1));
  const two = await timeWall(() => fast(big, 'strict', 2));
  rows.push({
    suite: SUITE,
    name: `linear ${n}×256 → 128 at the thread threshold (${THREAD_MIN_WORK} multiply-adds): 2 threads vs 1 (wall)`,
    value: `2 threads ${fmt(two)}`,
    baseline: `1 thread ${fmt(one)}`,
    ratio: one.medianMs / two.medianMs,
    ratioLabel: 'speed-up',
    goal: '≥ 1',
    met: one.medianMs >= two.medianMs,
  });
  return rows;
}

const suite: BenchSuite = async () => {
  const scalarC = buildC('ref_ops');
  const simd4 = buildC('ref_ops_simd4', ['-msse4.1']);
  const rows: BenchRow[] = [];
  for (const c of cases) rows.push(...(await opRows(c, scalarC, simd4)));
  rows.push(...(await thresholdRows()));
  rows.push(...(await threadRows(Math.max(2, Math.min(os.availableParallelism(), 8)))));
  await stopThreads();
  return rows;
};

export default suite;
