/**
 * The stress op: one depthwise-separable block (DepthwiseConv2d 3×3 → PointwiseConv2d → GroupNorm
 * → ReLU → AdaptiveAvgPool2d(1) → Linear) on an N×C×H×W input, with every weight drawn from the
 * op's own seeded stream so each op is a fresh, reproducible case.
 */
import { InputRangeError } from '../errors.ts';
import type { OpCase } from '../ops/types.ts';
import { numel, type Tensor } from '../reference/tensor.ts';
import { Rng } from '../util/rng.ts';
import { opSeed } from './rng.ts';

/** The block's input shape; the rest of the block follows from it (blockDims). */
export interface BlockShape {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

/**
 * Default: 1×16×16×16. The seed report names the layers but not a size; a MobileNet-style block
 * at a small feature map (16 channels, 16×16) is the class of the seed's test (many tiny ops
 * whose cost is dominated by submission and readback, which is what a 4-thread stress exercises),
 * and it is large enough that every layer has real work (2,304 depthwise taps per channel, a
 * 16→32 pointwise, 8 norm groups of 1,024 elements).
 */
export const DEFAULT_BLOCK_SHAPE: BlockShape = { n: 1, c: 16, h: 16, w: 16 };

const MAX_DIM = 4096;
const MAX_ELEMENTS = 1 << 22;

export function parseBlockShape(text: string, param = '--shape'): BlockShape {
  const allowed = `NxCxHxW with positive integers (e.g. 1x16x16x16), at most ${MAX_ELEMENTS} elements`;
  const m = /^\s*(\d{1,5})[x×](\d{1,5})[x×](\d{1,5})[x×](\d{1,5})\s*$/i.exec(text);
  if (m === null) throw new InputRangeError(param, allowed, text);
  const [n, c, h, w] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if ([n, c, h, w].some((d) => d < 1 || d > MAX_DIM) || n * c * h * w > MAX_ELEMENTS) throw new InputRangeError(param, allowed, text);
  return { n, c, h, w };
}

export const formatBlockShape = (s: BlockShape): string => `${s.n}x${s.c}x${s.h}x${s.w}`;

/** The block's other dimensions, derived from the input shape. */
export interface BlockDims extends BlockShape {
  /** Pointwise output channels: 2C (MobileNet's expansion after a depthwise layer). */
  readonly cOut: number;
  /** GroupNorm groups: the largest of 8, 4, 2, 1 that divides cOut. */
  readonly groups: number;
  /** Linear output features. */
  readonly features: number;
}

export function blockDims(s: BlockShape): BlockDims {
  const cOut = 2 * s.c;
  const groups = [8, 4, 2, 1].find((g) => cOut % g === 0) ?? 1;
  return { ...s, cOut, groups, features: 10 };
}

const filled = (rng: Rng, shape: number[], scale: number): Tensor => ({
  shape,
  data: rng.fill(new Float32Array(numel(shape)), -scale, scale),
});

/**
 * The input index of op `op`: the op itself, or with `distinct` input sets per thread, op mod
 * distinct (the same inputs recur, so the reference of each set is computed once and cached).
 */
export const inputIndex = (op: number, distinct: number | null): number => (distinct === null ? op : op % distinct);

/** Inputs number `op` of `thread` in a run seeded with `seed`: the same case in every thread that builds it. */
export function makeBlockCase(shape: BlockShape, seed: number, thread: number, op: number): OpCase {
  const d = blockDims(shape);
  const rng = new Rng(opSeed(seed, thread, op));
  // Weights scaled like a default (Kaiming-uniform) init, so activations stay O(1) through the block.
  return {
    op: 'depthwiseSeparableBlock',
    params: { numGroups: d.groups, eps: 1e-5 },
    inputs: {
      x: filled(rng, [d.n, d.c, d.h, d.w], 1),
      dwWeight: filled(rng, [d.c, 1, 3, 3], 1 / 3),
      dwBias: filled(rng, [d.c], 1 / 3),
      pwWeight: filled(rng, [d.cOut, d.c, 1, 1], 1 / Math.sqrt(d.c)),
      pwBias: filled(rng, [d.cOut], 1 / Math.sqrt(d.c)),
      gnWeight: filled(rng, [d.cOut], 1),
      gnBias: filled(rng, [d.cOut], 0.5),
      fcWeight: filled(rng, [d.features, d.cOut], 1 / Math.sqrt(d.cOut)),
      fcBias: filled(rng, [d.features], 1 / Math.sqrt(d.cOut)),
    },
  };
}
