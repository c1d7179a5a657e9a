/**
 * The GEMM keeps each output's sequential k order (docs/evaluation-order.md) at every vec4 tile
 * configuration, at ragged edges (M, N, K not multiples of the tile; K = 2·TK + 3 uses both shared
 * stages and a partial last slice) and at exact multiples. The values make the order visible: for
 * each reordering a tiled GEMM could plausibly make — k reversed, split at a slice boundary, the
 * partial last slice first, the two shared stages swapped, four k lanes summed apart, the bias
 * added first — at least 98 % of the outputs change bits. The test checks that on the host
 * first (so a reordering kernel cannot pass), then that the GPU equals the sequential order bit
 * for bit.
 */
import { describe, expect, it } from 'vitest';
import { TILES, type TileConfig } from '../../src/gpu/gemm.ts';
import type { OpCase } from '../../src/ops/types.ts';
import { mulberry32 } from '../../src/util/rng.ts';
import { f32, fma32 } from '../../src/reference/float32.ts';
import { linear } from '../../src/ops/linear/reference.ts';
import { pointwiseConv2d } from '../../src/ops/pointwiseConv2d/reference.ts';
import type { Profile, Tensor } from '../../src/reference/tensor.ts';
import { checkInOrder, describeGpu, gpuArithmetic, sharedGpu } from '../support/gpu.ts';

const VEC4_TILES = Object.values(TILES).filter((t) => t.kind === 'vec4');

/**
 * Operand values that make the order visible. Along k, the first product of every output is
 * large, H ∈ [1, 1.41) (operands 1 + j/256), and every later product lies strictly between half
 * an ulp of H and one ulp (operands 2⁻¹²·(1 + j/64), products in (2⁻²⁴, 2⁻²³)), all exact. In the
 * sequential order each later product rounds the sum up by exactly one ulp; any order that adds
 * some of them to each other first rounds differently, and a bias added first moves the sum to a
 * binade where they round away. Rows of A are negated every third row (signs follow the order
 * symmetrically). Bias values: [1, 2), 12 bits. All normal-range (gpuCases.ts NORMAL_MIN).
 */
function orderValue(k: number, r: () => number): number {
  return k === 0 ? 1 + Math.floor(r() * 48) / 256 : 2 ** -12 * (1 + (1 + Math.floor(r() * 23)) / 64);
}

/** A tensor of `shape` whose element i has k index kOf(i); rows with negate(i) true are negated. */
function operand(shape: number[], seed: number, kOf: (i: number) => number, negate: (i: number) => boolean = () => false): Tensor {
  const r = mulberry32(seed);
  const n = shape.reduce((x, y) => x * y, 1);
  return { shape, data: Float32Array.from({ length: n }, (_, i) => (negate(i) ? -1 : 1) * orderValue(kOf(i), r)) };
}

function biasOf(n: number, seed: number): Tensor {
  const r = mulberry32(seed);
  return { shape: [n], data: Float32Array.from({ length: n }, () => 1 + Math.floor(r() * 4096) / 4096) };
}

type Step = (acc: number, a: number, b: number) => number;
const stepOf = (profile: Profile): Step => (profile === 'fma' ? (acc, a, b) => fma32(a, b, acc) : (acc, a, b) => f32(acc + f32(a * b)));

/** acc = +0, one multiply-add per k of `ks` in the order given. */
function chain(step: Step, a: (k: number) => number, b: (k: number) => number, ks: readonly number[], start = 0): number {
  let acc = start;
  for (const k of ks) acc = step(acc, a(k), b(k));
  return acc;
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/** The sequential order and the reorderings a tiled kernel could make, each giving an output value. */
type Order = (step: Step, a: (k: number) => number, b: (k: number) => number, bias: number) => number;

function orders(TK: number, K: number): { sequential: Order } & Record<string, Order> {
  const slices = range(0, Math.ceil(K / TK)).map((s) => range(s * TK, Math.min(K, (s + 1) * TK)));
  const half = Math.floor(slices.length / 2) * TK;
  // Slices taken pairwise in swapped order (1, 0, 3, 2, ...; an odd last slice stays last).
  const stagesSwapped = slices.flatMap((_, s) => slices[s % 2 === 1 ? s - 1 : Math.min(s + 1, slices.length - 1)] ?? []);
  const add = (x: number, y: number) => f32(x + y);
  return {
    sequential: (st, a, b, bias) => add(chain(st, a, b, range(0, K)), bias),
    'k reversed': (st, a, b, bias) => add(chain(st, a, b, range(0, K).reverse()), bias),
    'split at a slice boundary': (st, a, b, bias) => add(add(chain(st, a, b, range(0, half)), chain(st, a, b, range(half, K))), bias),
    'last slice first': (st, a, b, bias) => add(chain(st, a, b, [...(slices.at(-1) ?? []), ...slices.slice(0, -1).flat()]), bias),
    'stages swapped': (st, a, b, bias) => add(chain(st, a, b, stagesSwapped), bias),
    'four k lanes': (st, a, b, bias) => {
      const lane = (l: number) => chain(st, a, b, range(0, K).filter((k) => k % 4 === l));
      return add(add(add(lane(0), lane(1)), add(lane(2), lane(3))), bias);
    },
    'bias first': (st, a, b, bias) => chain(st, a, b, range(0, K), bias),
  };
}

interface Geometry {
  readonly M: number;
  readonly N: number;
  readonly K: number;
}

const geometries = (t: TileConfig): Geometry[] => [
  { M: t.TM + 3, N: t.TN + 5, K: 2 * t.TK + 3 },
  { M: t.TM, N: t.TN, K: 3 * t.TK },
];

/** linear with x [M, K], weight [N, K]: output (m, n) multiplies x[m, k]·w[n, k]. */
function linearCase(g: Geometry, seed: number): OpCase {
  const x = operand([g.M, g.K], seed, (i) => i % g.K, (i) => Math.floor(i / g.K) % 3 === 0);
  return { op: 'linear', params: {}, inputs: { x, weight: operand([g.N, g.K], seed + 1, (i) => i % g.K), bias: biasOf(g.N, seed + 2) } };
}

/** pointwiseConv2d with 2 samples, Cout = M, Cin = K, H·W = N (H = 1): output (co, p) multiplies w[co, k]·x[k, p]. */
function pointwiseCase(g: Geometry, seed: number): OpCase {
  const weight = operand([g.M, g.K, 1, 1], seed + 1, (i) => i % g.K, (i) => Math.floor(i / g.K) % 3 === 0);
  return { op: 'pointwiseConv2d', params: {}, inputs: { x: operand([2, g.K, 1, g.N], seed, (i) => Math.floor(i / g.N) % g.K), weight, bias: biasOf(g.M, seed + 2) } };
}

/** For each reordering, how many of the linear case's outputs keep the sequential bits. */
function unchangedByReordering(c: OpCase, TK: number, profile: Profile): { outputs: number; unchanged: Record<string, number> } {
  const x = c.inputs['x']!;
  const w = c.inputs['weight']!;
  const bias = c.inputs['bias']!;
  const [M = 0, K = 0] = x.shape;
  const N = w.shape[0] ?? 0;
  const step = stepOf(profile);
  const { sequential, ...others } = orders(TK, K);
  const unchanged = Object.fromEntries(Object.keys(others).map((k) => [k, 0]));
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      const a = (k: number) => x.data[m * K + k]!;
      const b = (k: number) => w.data[n * K + k]!;
      const want = sequential(step, a, b, bias.data[n]!);
      for (const [name, order] of Object.entries(others)) if (Object.is(order(step, a, b, bias.data[n]!), want)) unchanged[name]!++;
    }
  }
  return { outputs: M * N, unchanged };
}

describe('GEMM k-order test values', () => {
  it.each(VEC4_TILES.map((t) => [t.name, t] as const))('the values make every modelled reordering visible (%s tiles, host only)', (_name, t) => {
    for (const profile of ['strict', 'fma'] as const) {
      for (const g of geometries(t)) {
        const { outputs, unchanged } = unchangedByReordering(linearCase(g, 11), t.TK, profile);
        // A kernel making any of these reorderings would differ from the reference in ≥ 98 % of the outputs.
        const tooQuiet = Object.entries(unchanged).filter(([, n]) => n > 0.02 * outputs);
        expect(tooQuiet, `${profile} ${JSON.stringify(g)}: outputs unchanged by a reordering (of ${outputs})`).toEqual([]);
      }
    }
  });
});

describeGpu('gpu GEMM k order', (gpu) => {
  it.each(VEC4_TILES.map((t) => [t.name, t] as const))('linear and pointwiseConv2d equal the sequential k order bit for bit at ragged and exact edges (%s tiles)', async (name, t) => {
    const arith = await gpuArithmetic(gpu());
    if (arith.reassociates) {
      process.stderr.write(`[SKIP] GEMM k-order test on ${name}: the probe saw this backend reassociate sums (no order is bit-exact there)\n`);
      return;
    }
    const forced = await sharedGpu({ REFSIM_TEST_GEMM_TILES: name });
    const linearCases = geometries(t).map((g, i) => linearCase(g, 100 + 10 * i));
    const pointwiseCases = geometries(t).map((g, i) => pointwiseCase(g, 200 + 10 * i));
    const bad = [
      ...checkInOrder(arith, linearCases, await forced.runBatch('linear', linearCases), linearCases.map((c) => linear(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'], { profile: arith.profile }))),
      ...checkInOrder(arith, pointwiseCases, await forced.runBatch('pointwiseConv2d', pointwiseCases), pointwiseCases.map((c) => pointwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'], { profile: arith.profile }))),
    ];
    expect(bad, bad.join('\n')).toEqual([]);
  });
});
