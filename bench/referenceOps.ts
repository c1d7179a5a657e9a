/**
 * Reference-op speed against the same loops in C (bench/c/ref_ops.c, built here with
 * gcc -O2 -ffp-contract=off into bench/build/): one mid-size input per op, single thread,
 * strict profile. Each row's ratio is C median time / TS median time (TS speed as a fraction of
 * C's; goal ≥ 0.5). The C program prints a hash of its output bits, and the row is only reported
 * if the TypeScript output hashes the same: both sides computed identical float32 results.
 * Times are process CPU time per call (see cpuNowMs). Extra rows time the 'fma' profile (exactly rounded fma32) against TS strict.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import {
  adaptiveAvgPool2d,
  depthwiseConv2d,
  depthwiseSeparableBlock,
  groupNorm,
  linear,
  pointwiseConv2d,
  type Profile,
  relu,
  type Tensor,
} from '../src/reference/index.ts';
import { mulberry32 } from '../src/util/rng.ts';
import { benchDir, type BenchRow, type BenchSuite, cpuNowMs } from './lib.ts';

const SUITE = 'reference ops';
const TIME_MS = Number(process.env['REFSIM_BENCH_MS'] ?? 1000);

/** mulberry32 as in ref_ops.c: the two sides get identical inputs. */
export function randomTensor(shape: number[], seed: number): Tensor {
  const r = mulberry32(seed);
  return { shape, data: Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => r() * 2 - 1) };
}

export function fnv1a(data: Float32Array): string {
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i]!, 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** The bench shapes and inputs (bench/c/ref_ops.c makes the same). */
export const [C, H, W, G, POOL, LN, LIN, LOUT, CLS] = [64, 56, 56, 32, 7, 64, 1024, 1024, 10];
export const x = randomTensor([1, C, H, W], 1);
export const dwW = randomTensor([C, 1, 3, 3], 2);
export const dwB = randomTensor([C], 3);
export const pwW = randomTensor([C, C, 1, 1], 4);
export const pwB = randomTensor([C], 5);
export const gnG = randomTensor([C], 6);
export const gnB = randomTensor([C], 7);
export const lx = randomTensor([LN, LIN], 8);
export const lw = randomTensor([LOUT, LIN], 9);
export const lb = randomTensor([LOUT], 10);
export const fcW = randomTensor([CLS, C], 11);
export const fcB = randomTensor([CLS], 12);

interface Case {
  key: string;
  label: string;
  run: (profile: Profile) => Tensor;
}

const cases: Case[] = [
  { key: 'depthwiseConv2d', label: 'depthwiseConv2d 1×64×56×56, 3×3 pad 1', run: (p) => depthwiseConv2d(x, dwW, dwB, { padding: 1 }, { profile: p }) },
  { key: 'pointwiseConv2d', label: 'pointwiseConv2d 1×64×56×56 → 64', run: (p) => pointwiseConv2d(x, pwW, pwB, { profile: p }) },
  { key: 'groupNorm', label: 'groupNorm 1×64×56×56, G=32, affine', run: (p) => groupNorm(x, G, gnG, gnB, 1e-5, { profile: p }) },
  { key: 'relu', label: 'relu 1×64×56×56', run: () => relu(x) },
  { key: 'adaptiveAvgPool2d', label: 'adaptiveAvgPool2d 1×64×56×56 → 7×7', run: () => adaptiveAvgPool2d(x, POOL) },
  { key: 'adaptiveAvgPool2d-global', label: 'adaptiveAvgPool2d 1×64×56×56 → 1×1', run: () => adaptiveAvgPool2d(x, 1) },
  { key: 'linear', label: 'linear 64×1024 → 1024', run: (p) => linear(lx, lw, lb, { profile: p }) },
  {
    key: 'depthwiseSeparableBlock',
    label: 'depthwiseSeparableBlock 1×64×56×56 → 10',
    run: (p) =>
      depthwiseSeparableBlock(
        x,
        { dwWeight: dwW, dwBias: dwB, pwWeight: pwW, pwBias: pwB, numGroups: G, gnWeight: gnG, gnBias: gnB, eps: 1e-5, fcWeight: fcW, fcBias: fcB },
        { profile: p },
      ),
  },
];
const FMA_ROWS = new Set(['depthwiseConv2d', 'pointwiseConv2d', 'groupNorm', 'linear']);

/**
 * Builds bench/build/<name> from bench/c/<name>.c with gcc -O2 -ffp-contract=off and `flags`
 * (temp file, then rename); the reason instead when no C compiler works.
 */
export function buildC(name = 'ref_ops', flags: readonly string[] = []): { exe: string } | { error: string } {
  const buildDir = join(benchDir, 'build');
  mkdirSync(buildDir, { recursive: true });
  const exe = join(buildDir, name);
  const tmp = `${exe}.tmp-${process.pid}`;
  try {
    execFileSync('gcc', ['-O2', ...flags, '-ffp-contract=off', '-std=c11', '-o', tmp, join(benchDir, 'c', `${name}.c`), '-lm'], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(tmp, exe);
    return { exe };
  } catch (e) {
    return { error: `gcc failed: ${(e as Error).message.split('\n')[0]}` };
  }
}


export interface Timing {
  medianMs: number;
  madMs: number;
  runs: number;
}

export function runC(exe: string, key: string): Timing & { hash: string } {
  const out = execFileSync(exe, [key, String(TIME_MS)], { encoding: 'utf8' }).trim().split(/\s+/);
  const [, median, mad, runs, hash] = out;
  return { medianMs: Number(median) / 1e6, madMs: Number(mad) / 1e6, runs: Number(runs), hash: hash ?? '' };
}

export async function timeTs(fn: () => unknown): Promise<Timing> {
  const bench = new Bench({ time: TIME_MS, iterations: 10, warmupIterations: 3, now: cpuNowMs });
  bench.add('op', fn);
  await bench.run();
  const r = bench.tasks[0]?.result;
  if (r === undefined || !('latency' in r)) throw new Error('tinybench produced no result');
  return { medianMs: r.latency.p50, madMs: r.latency.mad, runs: r.latency.samplesCount };
}

/**
 * Diagnostic: where the time goes. The multiply-add row loop of pointwiseConv2d, once with the
 * float32 roundings (two Math.fround per step: V8 has no float32 arithmetic, so each is a
 * double→float→double conversion pair) and once in plain float64 (wrong results, same loads,
 * stores and arithmetic otherwise).
 */
function roundingDiagnostic(): [() => void, () => void] {
  const n = 1 << 18;
  const xs = randomTensor([n], 21).data;
  const acc = new Float32Array(n);
  const acc64 = new Float64Array(n);
  const w = Math.fround(0.7);
  return [
    () => {
      for (let i = 0; i < n; i++) acc[i] = Math.fround(Math.fround(acc[i]! + Math.fround(xs[i]! * w)) + Math.fround(xs[i]! * w));
    },
    () => {
      for (let i = 0; i < n; i++) acc64[i] = acc64[i]! + xs[i]! * w + xs[i]! * w;
    },
  ];
}

export const fmt = (t: Timing): string => `${t.medianMs.toFixed(3)} ms median (MAD ±${((100 * t.madMs) / t.medianMs).toFixed(1)}%, ${t.runs} runs)`;

const suite: BenchSuite = async () => {
  const rows: BenchRow[] = [];
  const built = buildC();
  for (const c of cases) {
    const ts = await timeTs(() => c.run('strict'));
    if ('error' in built) {
      rows.push({ suite: SUITE, name: c.label, value: `TS ${fmt(ts)}`, baseline: built.error, ratio: null, ratioLabel: 'TS / C speed' });
      continue;
    }
    const cRes = runC(built.exe, c.key);
    const tsHash = fnv1a(c.run('strict').data);
    if (tsHash !== cRes.hash) throw new Error(`${c.key}: TS output hash ${tsHash} ≠ C ${cRes.hash}: the loops are not computing the same bits`);
    const ratio = cRes.medianMs / ts.medianMs;
    rows.push({
      suite: SUITE,
      name: `${c.label} (strict; output bits identical to C)`,
      value: `TS ${fmt(ts)}`,
      baseline: `C gcc -O2 -ffp-contract=off ${fmt(cRes)}`,
      ratio,
      ratioLabel: 'TS / C speed',
      goal: '≥ 0.5',
      met: ratio >= 0.5,
    });
    if (FMA_ROWS.has(c.key)) {
      const fused = await timeTs(() => c.run('fma'));
      rows.push({
        suite: SUITE,
        name: `${c.label} (profile 'fma', exactly rounded fma32)`,
        value: `TS ${fmt(fused)}`,
        baseline: `TS strict ${fmt(ts)}`,
        ratio: ts.medianMs / fused.medianMs,
        ratioLabel: 'fma / strict speed',
      });
    }
  }
  const [rounded, plain] = roundingDiagnostic();
  const r32 = await timeTs(rounded);
  const r64 = await timeTs(plain);
  rows.push({
    suite: SUITE,
    name: 'diagnostic: 2 multiply-adds per element over 2^18 elements, float32-rounded vs plain float64 (TS)',
    value: `float32 (Math.fround) ${fmt(r32)}`,
    baseline: `float64 ${fmt(r64)}`,
    ratio: r64.medianMs / r32.medianMs,
    ratioLabel: 'float32 / float64 speed',
  });
  return rows;
};

export default suite;
