/**
 * Element-by-element verdicts of a GPU output against the reference output of the same case.
 *
 * Definitions (also in docs/cli.md, refsim diff):
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

export type Verdict = 'exact' | 'within' | 'violation';
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
  /**
   * Both NaN, or +0 against −0: equal as values, different bits. Counted in CaseVerdict.sameValue,
   * not in a ULP bucket (bucket 0 is identical bits only, so it always equals `exact`).
   */
  readonly sameValue?: true;
  /** |got − expected| in float64 (NaN/Infinity for non-finite pairs). */
  readonly absError: number;
  /** The accepted error: bound(gpuAccuracy)[i] + bound(EXACT)[i]; null when not consulted. */
  readonly bound: number | null;
  readonly verdict: Exclude<Verdict, 'exact'>;
  readonly reason?: ViolationReason;
}

export interface CaseVerdict {
  readonly elements: number;
  readonly exact: number;
  readonly within: number;
  readonly violations: number;
  /** Differing elements that are both NaN or both zero (see ElementReport.sameValue); within or violation. */
  readonly sameValue: number;
  /**
   * Counts per ULP_BUCKETS entry of the other elements: bucket 0 holds the exact ones (identical
   * bits); exact + sameValue + the other buckets = elements.
   */
  readonly histogram: number[];
  /** Largest ULP distance among the elements (violations win ties); null when all are exact. */
  readonly worst: ElementReport | null;
  /** The differing elements in index order, at most `keep` of them (violations listed first). */
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
    return { elements: n, exact: 0, within: 0, violations: Math.max(n, 1), sameValue: 0, histogram, worst: report, differing: [report] };
  }
  const gb = new Uint32Array(got.data.buffer, got.data.byteOffset, n);
  const rb = new Uint32Array(expected.data.buffer, expected.data.byteOffset, n);

  // Pass 1: bits only.
  const diff: number[] = [];
  for (let i = 0; i < n; i++) if (gb[i] !== rb[i]) diff.push(i);
  if (diff.length === 0) {
    histogram[0] = n;
    return { elements: n, exact: n, within: 0, violations: 0, sameValue: 0, histogram, worst: null, differing: [] };
  }

  const zeroSignDefined = input.zeroSignDefined ?? ZERO_SIGN_DEFINED.has(input.case.op);
  let bounds: { gpu: Float64Array; exact: Float64Array } | null = null;
  const getBounds = () => {
    if (bounds === null) {
      const exact = input.spec.bound(input.case, EXACT_ACCURACY);
      const gpu = sameAccuracy(input.accuracy, EXACT_ACCURACY) ? exact : input.spec.bound(input.case, input.accuracy);
      bounds = { gpu, exact };
    }
    return bounds;
  };

  // The flushed-input reference's bits, computed at most once, only for a non-finite disagreement.
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

  let within = 0;
  let violations = 0;
  let sameValue = 0;
  let worst: ElementReport | null = null;
  const kept: ElementReport[] = [];
  const keptViolations: ElementReport[] = [];
  histogram[0] = n - diff.length;
  for (const i of diff) {
    const gBits = gb[i]!;
    const rBits = rb[i]!;
    const g = f32FromBits(gBits);
    const r = f32FromBits(rBits);
    let report: ElementReport;
    const base = { index: i, got: g, expected: r, gotBits: gBits, expectedBits: rBits };
    if (Number.isNaN(g) || Number.isNaN(r)) {
      report = Number.isNaN(g) && Number.isNaN(r)
        ? { ...base, ulp: 0, absError: 0, bound: null, verdict: 'within', sameValue: true }
        : flushedAgrees(i, gBits)
          ? { ...base, ulp: Infinity, absError: NaN, bound: null, verdict: 'within' }
          : { ...base, ulp: Infinity, absError: NaN, bound: null, verdict: 'violation', reason: 'nan' };
    } else if (!Number.isFinite(g) || !Number.isFinite(r)) {
      report = flushedAgrees(i, gBits)
        ? { ...base, ulp: Infinity, absError: Math.abs(g - r), bound: null, verdict: 'within' }
        : { ...base, ulp: Infinity, absError: Math.abs(g - r), bound: null, verdict: 'violation', reason: 'inf' };
    } else if (g === 0 && r === 0) {
      report = zeroSignDefined
        ? { ...base, ulp: 0, absError: 0, bound: null, verdict: 'violation', reason: 'signed-zero', sameValue: true }
        : { ...base, ulp: 0, absError: 0, bound: null, verdict: 'within', sameValue: true };
    } else {
      const b = getBounds();
      const bound = b.gpu[i]! + b.exact[i]!;
      const absError = Math.abs(g - r);
      const ulp = ulpDistanceBits(gBits, rBits);
      report = absError <= bound
        ? { ...base, ulp, absError, bound, verdict: 'within' }
        : { ...base, ulp, absError, bound, verdict: 'violation', reason: 'bound' };
    }
    if (report.sameValue === true) sameValue++;
    else histogram[bucketOf(report.ulp)]!++;
    if (report.verdict === 'violation') {
      violations++;
      if (keptViolations.length < keep) keptViolations.push(report);
    } else {
      within++;
      if (kept.length < keep) kept.push(report);
    }
    if (worst === null || report.ulp > worst.ulp || (report.ulp === worst.ulp && report.verdict === 'violation' && worst.verdict !== 'violation')) {
      worst = report;
    }
  }
  const differing = [...keptViolations, ...kept].slice(0, keep);
  return { elements: n, exact: n - diff.length, within, violations, sameValue, histogram, worst, differing };
}
