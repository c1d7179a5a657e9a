/**
 * Element-by-element verdicts of a GPU output against the reference output of the same case.
 *
 * Definitions (also in README "refsim diff"):
 * - exact: the two float32 bit patterns are identical.
 * - within bound: the bits differ but the values agree in the checker's sense:
 *     finite g, r with |g − r| ≤ bound(c, gpuAccuracy)[i] + bound(c, EXACT_ACCURACY)[i]
 *     (the op's derived bounds, OpSpec.bound); or both NaN (payload and NaN sign are not part of
 *     any op's contract); or +0 vs −0 in an op whose zero sign is not defined (arithmetic ops:
 *     PyTorch promises no sign of an exact-zero sum).
 *   On a backend that may flush subnormals (Accuracy.flushSubnormals) a non-finite disagreement
 *   is also within when the GPU value equals (bits, or NaN vs NaN) the reference evaluated on the
 *   case's inputs with every subnormal replaced by a zero of the same sign: a flushed subnormal
 *   times ±Inf is 0·Inf = NaN where the unflushed reference has ±Inf. Finite effects of flushing
 *   are inside the op's bound (the bound's flush terms); only non-finite ones need this.
 * - unbounded: a finite pair with differing bits whose bound is +Infinity (the op's bound has no
 *   finite value there, e.g. an intermediate may overflow): no verdict is possible, and it is never
 *   counted as a pass.
 * - violation: anything else: NaN on one side only, ±Inf on either side with different bits
 *   (an infinity is never "close" to anything), +0 vs −0 where the op defines the sign (relu
 *   passes −0 through), a finite pair outside the bound (or a NaN bound), or an output of the
 *   wrong shape (every element is a violation).
 *
 * Cost: bits are compared first through Uint32Array views; the bounds (which may be expensive)
 * are computed only when some finite pair differs, once per case.
 */
import { EXACT_ACCURACY, type Accuracy, type OpCase, type OpName, type OpSpec } from '../ops/types.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import { f32FromBits, ulpDistanceBits } from './bits.ts';

/** Ops whose output sign of zero is defined by the op's semantics (a −0/+0 swap is a bug). */
export const ZERO_SIGN_DEFINED: ReadonlySet<OpName> = new Set<OpName>(['relu']);

export type Verdict = 'exact' | 'within' | 'unbounded' | 'violation';
export type ViolationReason = 'bound' | 'nan' | 'inf' | 'signed-zero' | 'shape';

/** ULP histogram buckets, inclusive upper edges. Non-finite disagreements count as > 256. */
export const ULP_BUCKETS: ReadonlyArray<{ readonly label: string; readonly max: number }> = [
  { label: '0', max: 0 },
  { label: '1', max: 1 },
  { label: '2', max: 2 },
  { label: '3-4', max: 4 },
  { label: '5-16', max: 16 },
  { label: '17-256', max: 256 },
  { label: '>256', max: Infinity },
];

export function bucketOf(ulp: number): number {
  for (let b = 0; b < ULP_BUCKETS.length - 1; b++) if (ulp <= ULP_BUCKETS[b]!.max) return b;
  return ULP_BUCKETS.length - 1;
}

/** One classified output element (kept only for differing elements). */
export interface ElementReport {
  readonly index: number;
  readonly got: number;
  readonly expected: number;
  readonly gotBits: number;
  readonly expectedBits: number;
  /** ULP distance (Infinity for NaN/Inf disagreements, 0 for NaN vs NaN and ±0). */
  readonly ulp: number;
  /** |got − expected| in float64 (NaN/Infinity for non-finite pairs). */
  readonly absError: number;
  /** The accepted error (see ClassifyInput.totalBound); null when not consulted. */
  readonly bound: number | null;
  readonly verdict: Exclude<Verdict, 'exact'>;
  readonly reason?: ViolationReason;
}

export interface CaseVerdict {
  readonly elements: number;
  readonly exact: number;
  readonly within: number;
  /** Differing finite elements whose bound is infinite: neither a pass nor a violation. */
  readonly unbounded: number;
  readonly violations: number;
  /** Counts per ULP_BUCKETS entry (exact elements are in bucket 0). */
  readonly histogram: number[];
  /** Largest ULP distance among the elements (violations win ties); null when all are exact. */
  readonly worst: ElementReport | null;
  /**
   * At most `keep` differing elements: violations first, then unbounded, then within; in index
   * order, or worst ULP distance first with `select: 'worst'`.
   */
  readonly differing: ElementReport[];
}

export interface ClassifyInput {
  /** `reference` is needed (with `profile`) only for the flushed-input comparison of a flushing backend. */
  readonly spec: Pick<OpSpec, 'bound'> & Partial<Pick<OpSpec, 'reference'>>;
  readonly case: OpCase;
  readonly got: Tensor;
  readonly expected: Tensor;
  /** The GPU's measured (or assumed) arithmetic accuracy. */
  readonly accuracy: Accuracy;
  /** The profile `expected` was computed under; with spec.reference it enables the flushed-input comparison. */
  readonly profile?: Profile;
  /** Whether ±0 disagreements are violations (default: ZERO_SIGN_DEFINED has the op). */
  readonly zeroSignDefined?: boolean;
  /** How many differing elements to keep in `differing` (default 16). */
  readonly keep?: number;
  /** Which differing elements to keep: the first in index order (default) or the worst by ULP distance. */
  readonly select?: 'first' | 'worst';
  /**
   * The accepted error per element, computed at most once and only when a finite pair differs.
   * Default: spec.bound(case, accuracy) + spec.bound(case, EXACT_ACCURACY) (a kernel in the
   * documented order); `refsim check` adds the any-order bound of the backend's algorithm family.
   */
  readonly totalBound?: () => ArrayLike<number>;
}

const sameAccuracy = (a: Accuracy, b: Accuracy): boolean =>
  a.divUlp === b.divUlp && a.sqrtUlp === b.sqrtUlp && a.inverseSqrtUlp === b.inverseSqrtUlp && a.flushSubnormals === b.flushSubnormals;

const isSubnormalF32 = (x: number): boolean => x !== 0 && Math.abs(x) < 2 ** -126;

/** The case with every subnormal input element replaced by a zero of the same sign (what a flushing backend reads). */
export function flushSubnormalInputs(c: OpCase): OpCase | null {
  let any = false;
  const inputs: { [name: string]: Tensor | null } = {};
  for (const [name, t] of Object.entries(c.inputs)) {
    if (t === null || !t.data.some(isSubnormalF32)) {
      inputs[name] = t;
      continue;
    }
    any = true;
    inputs[name] = { shape: [...t.shape], data: t.data.map((v) => (isSubnormalF32(v) ? (v < 0 ? -0 : 0) : v)) };
  }
  return any ? { ...c, inputs } : null;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The verdict of element i of a case whose outputs have the same shape (null when the bits are
 * identical: exact). Bounds and the flushed-input reference are computed at most once, and only
 * when an element needs them.
 */
export function elementClassifier(input: ClassifyInput): (i: number) => ElementReport | null {
  const n = input.expected.data.length;
  const gb = new Uint32Array(input.got.data.buffer, input.got.data.byteOffset, n);
  const rb = new Uint32Array(input.expected.data.buffer, input.expected.data.byteOffset, n);
  const zeroSignDefined = input.zeroSignDefined ?? ZERO_SIGN_DEFINED.has(input.case.op);
  let bounds: ArrayLike<number> | null = null;
  const getBounds = (): ArrayLike<number> => {
    bounds ??= input.totalBound?.() ?? documentedBound(input.spec, input.case, input.accuracy);
    return bounds;
  };

  // The flushed-input reference's bits, only for a non-finite disagreement.
  let flushedBits: Uint32Array | null | undefined;
  const flushedAgrees = (i: number, gBits: number): boolean => {
    const { spec, profile } = input;
    if (!input.accuracy.flushSubnormals || spec.reference === undefined || profile === undefined) return false;
    if (flushedBits === undefined) {
      const fc = flushSubnormalInputs(input.case);
      const t = fc === null ? null : spec.reference(fc, profile);
      flushedBits = t === null || t.data.length !== n ? null : new Uint32Array(t.data.buffer, t.data.byteOffset, n);
    }
    if (flushedBits === null) return false;
    const f = flushedBits[i]!;
    const isNan = (b: number) => (b & 0x7fffffff) > 0x7f800000;
    return f === gBits || (isNan(f) && isNan(gBits));
  };

  return (i) => {
    const gBits = gb[i]!;
    const rBits = rb[i]!;
    if (gBits === rBits) return null;
    const g = f32FromBits(gBits);
    const r = f32FromBits(rBits);
    const base = { index: i, got: g, expected: r, gotBits: gBits, expectedBits: rBits };
    if (Number.isNaN(g) || Number.isNaN(r)) {
      return Number.isNaN(g) && Number.isNaN(r)
        ? { ...base, ulp: 0, absError: 0, bound: null, verdict: 'within' }
        : flushedAgrees(i, gBits)
          ? { ...base, ulp: Infinity, absError: NaN, bound: null, verdict: 'within' }
          : { ...base, ulp: Infinity, absError: NaN, bound: null, verdict: 'violation', reason: 'nan' };
    }
    if (!Number.isFinite(g) || !Number.isFinite(r)) {
      return flushedAgrees(i, gBits)
        ? { ...base, ulp: Infinity, absError: Math.abs(g - r), bound: null, verdict: 'within' }
        : { ...base, ulp: Infinity, absError: Math.abs(g - r), bound: null, verdict: 'violation', reason: 'inf' };
    }
    if (g === 0 && r === 0) {
      return zeroSignDefined
        ? { ...base, ulp: 0, absError: 0, bound: null, verdict: 'violation', reason: 'signed-zero' }
        : { ...base, ulp: 0, absError: 0, bound: null, verdict: 'within' };
    }
    const bound = getBounds()[i]!;
    const absError = Math.abs(g - r);
    const ulp = ulpDistanceBits(gBits, rBits);
    return bound === Infinity
      ? { ...base, ulp, absError, bound, verdict: 'unbounded' }
      : absError <= bound
        ? { ...base, ulp, absError, bound, verdict: 'within' }
        : { ...base, ulp, absError, bound, verdict: 'violation', reason: 'bound' };
  };
}

/** Classifies every element of `got` against `expected`. */
export function classifyCase(input: ClassifyInput): CaseVerdict {
  const { got, expected } = input;
  const n = expected.data.length;
  const keep = input.keep ?? 16;
  const histogram = new Array<number>(ULP_BUCKETS.length).fill(0);
  if (!sameShape(got.shape, expected.shape) || got.data.length !== n) {
    histogram[ULP_BUCKETS.length - 1] = n;
    const report: ElementReport = {
      index: 0, got: NaN, expected: expected.data[0] ?? NaN, gotBits: 0, expectedBits: 0,
      ulp: Infinity, absError: Infinity, bound: null, verdict: 'violation', reason: 'shape',
    };
    return { elements: n, exact: 0, within: 0, unbounded: 0, violations: Math.max(n, 1), histogram, worst: report, differing: [report] };
  }
  const gb = new Uint32Array(got.data.buffer, got.data.byteOffset, n);
  const rb = new Uint32Array(expected.data.buffer, expected.data.byteOffset, n);

  // Pass 1: bits only.
  const diff: number[] = [];
  for (let i = 0; i < n; i++) if (gb[i] !== rb[i]) diff.push(i);
  if (diff.length === 0) {
    histogram[0] = n;
    return { elements: n, exact: n, within: 0, unbounded: 0, violations: 0, histogram, worst: null, differing: [] };
  }

  const element = elementClassifier(input);
  let within = 0;
  let unbounded = 0;
  let violations = 0;
  let worst: ElementReport | null = null;
  const kept = new KeptElements(keep, input.select ?? 'first');
  const keptUnbounded = new KeptElements(keep, input.select ?? 'first');
  const keptViolations = new KeptElements(keep, input.select ?? 'first');
  histogram[0] = n - diff.length;
  for (const i of diff) {
    const report = element(i)!;
    histogram[bucketOf(report.ulp)]!++;
    if (report.verdict === 'violation') {
      violations++;
      keptViolations.add(report);
    } else if (report.verdict === 'unbounded') {
      unbounded++;
      keptUnbounded.add(report);
    } else {
      within++;
      kept.add(report);
    }
    if (isWorseElement(report, worst)) worst = report;
  }
  const differing = [...keptViolations.list(), ...keptUnbounded.list(), ...kept.list()].slice(0, keep);
  return { elements: n, exact: n - diff.length, within, unbounded, violations, histogram, worst, differing };
}

/** The first `keep` elements added, or the `keep` with the largest ULP distance (ties: lower index). */
class KeptElements {
  private items: ElementReport[] = [];
  constructor(private readonly keep: number, private readonly select: 'first' | 'worst') {}
  add(e: ElementReport): void {
    if (this.select === 'first') {
      if (this.items.length < this.keep) this.items.push(e);
      return;
    }
    this.items.push(e);
    if (this.items.length >= 2 * this.keep + 64) this.prune();
  }
  list(): ElementReport[] {
    if (this.select === 'worst') this.prune();
    return this.items;
  }
  private prune(): void {
    this.items.sort((a, b) => b.ulp - a.ulp || a.index - b.index);
    this.items.length = Math.min(this.items.length, this.keep);
  }
}

const VERDICT_RANK: Readonly<Record<ElementReport['verdict'], number>> = { within: 0, unbounded: 1, violation: 2 };

/** Larger ULP distance first; at equal distance a violation, then an unbounded element, wins. */
export function isWorseElement(a: ElementReport, b: ElementReport | null): boolean {
  return b === null || a.ulp > b.ulp || (a.ulp === b.ulp && VERDICT_RANK[a.verdict] > VERDICT_RANK[b.verdict]);
}

/** bound(case, accuracy) + bound(case, EXACT): a kernel in the op's documented order. */
function documentedBound(spec: Pick<OpSpec, 'bound'>, c: OpCase, accuracy: Accuracy): Float64Array {
  const exact = spec.bound(c, EXACT_ACCURACY);
  if (sameAccuracy(accuracy, EXACT_ACCURACY)) return exact.map((b) => 2 * b);
  const gpu = spec.bound(c, accuracy);
  return exact.map((b, i) => b + gpu[i]!);
}
