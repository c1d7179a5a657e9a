/**
 * Shared pieces of the forward error bounds (docs/error-bounds.md): the rounding model of a
 * backend under an `Accuracy`, γ_k, tree-sum rounding depths and the safety margin that keeps the
 * float64 evaluation of a bound from making it unsound.
 *
 * Model of one float32 operation ∘ on float32 operands: fl(a ∘ b) = (a ∘ b)(1 + δ) + η with
 * |δ| ≤ u = 2⁻²⁴. η is the underflow term: |η| ≤ 2⁻¹⁵⁰ for a product or fused multiply-add,
 * η = 0 for an addition (a subnormal sum is exact); when subnormals may be flushed any result may
 * additionally be replaced by 0, |η| < 2⁻¹²⁶ for every operation.
 */
import { InputRangeError } from '../../errors.ts';
import { type Accuracy, EXACT_ACCURACY, validateAccuracy } from '../accuracy.ts';

/** Unit roundoff of float32, round to nearest. */
export const U = 2 ** -24;
/** Smallest normal float32; a flushed value or result is below it in magnitude. */
export const FLT_MIN = 2 ** -126;
/** Largest finite float32. A real value below it in magnitude rounds to a finite float32. */
export const FLT_MAX = 3.4028234663852886e38;
/** Half the subnormal spacing: the underflow error of a correctly rounded product. */
export const ETA = 2 ** -150;

/**
 * Multiplier applied to every finished bound. Each bound is a short formula of non-negative
 * float64 quantities (sums of up to ~2²⁰ terms, products, quotients, square roots), each with
 * relative rounding error ≤ (terms + 40)·2⁻⁵³ ≪ 2⁻²⁰; the float64 "exact" centres it uses
 * (sums of float32 products, exact per product) err by at most n·2⁻⁵³·Σ|terms|, which every
 * bound dominates by a factor ≥ 2²⁹/n through its own u·Σ|terms| part. 1 + 2⁻¹⁶ covers both.
 */
export const SAFE = 1 + 2 ** -16;

/** Evaluation order a bound is for. */
export type BoundOrder =
  /** The order of docs/evaluation-order.md (lane-strided tree sums, sequential dot products). */
  | 'documented'
  /**
   * Any summation order and any association of each reduction (as a BLAS or vectorised CPU kernel
   * may use); groupNorm as PyTorch's CPU kernel structures it (docs/error-bounds.md).
   */
  | 'anyOrder';

/**
 * How an any-order normalisation computes its moments (order 'anyOrder' only).
 * 'stable': two-pass, or Welford updates / Chan merges in any tree (what PyTorch's CPU and CUDA
 * group_norm do): finite on data with a large mean and a small spread.
 * 'one-pass': also admits E[x²] − E[x]², whose error grows with the mean².
 */
export type Moments = 'stable' | 'one-pass';
export const MOMENTS: readonly Moments[] = ['stable', 'one-pass'];

export interface BoundOptions {
  /** The backend's arithmetic (default EXACT_ACCURACY: correctly rounded float32). */
  readonly accuracy?: Accuracy;
  /** Default 'documented'. */
  readonly order?: BoundOrder;
  /** Default 'stable'. */
  readonly moments?: Moments;
}

/** The per-operation error constants derived from an Accuracy. */
export interface ArithModel {
  readonly flush: boolean;
  readonly anyOrder: boolean;
  readonly moments: Moments;
  /** Absolute error of one product / fused multiply-add (underflow, or flush). */
  readonly mulAbs: number;
  /** Absolute error of one addition (0, or flush). */
  readonly addAbs: number;
  /** |fl(a/b) − a/b| ≤ divRel·|a/b| + divAbs. */
  readonly divRel: number;
  readonly divAbs: number;
  readonly sqrtRel: number;
  readonly sqrtAbs: number;
  /** |fl(1/sqrt(w)) − 1/sqrt(w)| ≤ isqRel/sqrt(w) + isqAbs (an any-order kernel may use inverseSqrt). */
  readonly isqRel: number;
  readonly isqAbs: number;
}

/**
 * Relative and absolute error of an operation accurate to `ulp` ULPs. `ulp` is read as the
 * distance from the correctly rounded result (0 = correctly rounded), so the distance from the
 * exact value is at most k = ulp + ½ ULPs, which also covers reading it as the distance from the
 * exact value. One ULP at a result of magnitude y (in either binade it touches) is ≤ 2⁻²³·y for
 * normal y and 2⁻¹⁴⁹ for subnormal y, so |ŷ − y| ≤ k·2⁻²³·max(|y|, |ŷ|) + k·2⁻¹⁴⁹, which gives
 * |ŷ − y| ≤ r/(1 − r)·|y| + k·2⁻¹⁴⁹ with r = k·2⁻²³.
 */
export function ulpError(ulp: number): { rel: number; abs: number } {
  if (!(ulp >= 0) || !Number.isFinite(ulp)) return { rel: Infinity, abs: Infinity };
  if (ulp === 0) return { rel: U, abs: ETA };
  const k = ulp + 0.5;
  const r = k * 2 ** -23;
  return { rel: (r / (1 - r)) * (1 + 2 ** -40), abs: k * 2 ** -149 };
}

/** The rounding model for `accuracy` and `order`. */
export function arithModel(options: BoundOptions | undefined): ArithModel {
  // Every public bound goes through here: a missing or NaN accuracy field must not become an
  // Infinity bound that accepts anything.
  const a = options?.accuracy === undefined ? EXACT_ACCURACY : validateAccuracy(options.accuracy, 'options.accuracy');
  const order = options?.order ?? 'documented';
  if (order !== 'documented' && order !== 'anyOrder') throw new InputRangeError('options.order', "'documented' or 'anyOrder'", order);
  const flush = a.flushSubnormals;
  const div = ulpError(a.divUlp);
  const sq = ulpError(a.sqrtUlp);
  const isq = ulpError(a.inverseSqrtUlp);
  return {
    flush,
    anyOrder: order === 'anyOrder',
    moments: options?.moments ?? 'stable',
    mulAbs: flush ? FLT_MIN : ETA,
    addAbs: flush ? FLT_MIN : 0,
    divRel: div.rel,
    divAbs: div.abs + (flush ? FLT_MIN : 0),
    sqrtRel: sq.rel,
    sqrtAbs: sq.abs + (flush ? FLT_MIN : 0),
    isqRel: isq.rel,
    isqAbs: isq.abs + (flush ? FLT_MIN : 0),
  };
}

/** γ_k = k·u / (1 − k·u), rounded up; Infinity once k·u ≥ ½ (no useful bound). */
export function gamma(k: number): number {
  if (k <= 0) return 0;
  const ku = k * U;
  if (ku >= 0.5) return Infinity;
  return (ku / (1 - ku)) * (1 + 2 ** -50);
}

/** Whether x is a non-zero subnormal float32 value (flushed to ±0 where flushing happens). */
export function isSubnormal(x: number): boolean {
  const a = Math.abs(x);
  return a < FLT_MIN && a !== 0;
}

/** Whether any element of `v` is subnormal. */
export function hasSubnormal(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (a < FLT_MIN && a !== 0) return true;
  }
  return false;
}

/** Number of tree levels (s = 128 … 1) whose addition touches an element, for n elements. */
export function treeDepth(n: number): number {
  if (n <= 1) return 0;
  if (n >= 256) return 8;
  return Math.ceil(Math.log2(n));
}

/**
 * Most roundings any one element undergoes in the lane-strided 256-lane tree sum of n elements:
 * (lane length − 1) lane additions (the first, +0 ⊕ v, is exact) plus the tree depth; one more
 * for a sum of products (the multiplication, or the single rounding of the first fused step).
 */
export function treeRoundings(n: number, products: boolean): number {
  const lane = Math.ceil(n / 256);
  return (products ? lane : lane - 1) + treeDepth(n);
}

/**
 * The constants of one dot product's bound (§dot of docs/error-bounds.md), for `n` product steps
 * and `steps` = n plus one for a bias; computed once per reduction length, so finishing a bound
 * is a handful of multiply-adds.
 *   documented: B = u(1+γ)·(Σ|s_k| + (1+u)·Σ|p_k|) + (n·mulAbs(1+u) + steps·addAbs)(1+γ)
 *                   + inflate·(1 + u(1+γ)(steps+2))
 *   anyOrder:   B = γ·(Σ|p_k| + |b| + inflate) + (n·mulAbs + steps·addAbs)(1+γ) + inflate
 * with γ = γ_steps, Σ|s_k| over the exact partial sums (bias step included), and `inflate` how
 * far the actual inputs' exact dot product may be from the target (Σ|w_k|·r_k for inputs known
 * within r_k of their centres, plus flushed-input error).
 */
export interface DotConstants {
  readonly kS: number;
  readonly kA: number;
  readonly kB: number;
  readonly k0: number;
  readonly kI: number;
}

export function dotConstants(n: number, steps: number, m: ArithModel): DotConstants {
  const g = gamma(steps);
  const under = m.anyOrder ? (n * m.mulAbs + steps * m.addAbs) * (1 + g) : (n * m.mulAbs * (1 + U) + steps * m.addAbs) * (1 + g);
  if (m.anyOrder) return { kS: 0, kA: g * SAFE, kB: g * SAFE, k0: under * SAFE, kI: (1 + g) * SAFE };
  return { kS: U * (1 + g) * SAFE, kA: U * (1 + g) * (1 + U) * SAFE, kB: 0, k0: under * SAFE, kI: (1 + U * (1 + g) * (steps + 2)) * SAFE };
}

/**
 * One dot product's bound from its sums (see dotConstants). Infinity when an intermediate may
 * overflow — every intermediate is at most (Σ|p_k| + |b| + inflate)(1 + u) + B in magnitude —
 * or when a sum is NaN/∞ (a non-finite input).
 */
export function finishDot(sumAbsPartial: number, sumAbsProd: number, absBias: number, inflate: number, k: DotConstants): number {
  const e = k.kS * sumAbsPartial + k.kA * sumAbsProd + k.kB * absBias + k.k0 + k.kI * inflate;
  return (sumAbsProd + absBias + inflate) * (1 + 2 ** -23) + e < FLT_MAX ? e : Infinity;
}

/**
 * A dot-product stage's operands, as a bound core (src/ops/<op>/bounds.ts) takes them: the input
 * as centres (the float32 input itself, or the exact intermediate of a composed block) with
 * optional radii (|actual input − centre| ≤ radius), the weights and the bias (null: none).
 */
export interface DotOperands {
  readonly xc: ArrayLike<number>;
  readonly radius: Float64Array | null;
  readonly wd: Float32Array;
  readonly bd: Float32Array | null;
}

/** Where a bound core writes: the bound per output element and, when given, the float64 value of the exact output. */
export interface BoundTargets {
  readonly out: Float64Array;
  readonly centerOut: Float64Array | null;
}
