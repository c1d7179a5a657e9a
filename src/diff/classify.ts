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
import { f32FromBits, sameResult, ulpDistanceBits } from '../reference/float32.ts';

/** Ops whose output sign of zero is defined by the op's semantics (a −0/+0 swap is a bug). */
export const ZERO_SIGN_DEFINED: ReadonlySet<OpName> = new Set<OpName>(['relu']);

export type Verdict = 'exact' | 'within' | 'unbounded' | 'violation';
export type ViolationReason = 'bound' | 'nan' | 'inf' | 'signed-zero' | 'shape';
export const VIOLATION_REASONS: readonly ViolationReason[] = ['bound', 'nan', 'inf', 'signed-zero', 'shape'];

/** Zero violations of every reason. */
export const noViolations = (): Record<ViolationReason, number> => ({ bound: 0, nan: 0, inf: 0, 'signed-zero': 0, shape: 0 });

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
  /** Violations per reason (they add up to `violations`). */
  readonly violationReasons: Readonly<Record<ViolationReason, number>>;
  /** Largest |got − expected| / bound over the within elements judged by a finite bound (0 if none): how close to its bound the case came. */
  readonly maxBoundRatio: number;
  /** Differing elements that are both NaN or both zero (see ElementReport.sameValue); within or violation. */
  readonly sameValue: number;
  /**
   * Counts per ULP_BUCKETS entry of the other elements: bucket 0 holds the exact ones (identical
   * bits); exact + sameValue + the other buckets = elements.
   */
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
 * Judges single elements of a case whose outputs have the same shape, without allocating: judge(i)
 * fills the public fields (false when the bits are identical: exact); report() materialises the
 * current element. Bounds and the flushed-input reference are computed at most once, and only
 * when an element needs them.
 */
class ElementJudge {
  index = 0;
  gotBits = 0;
  expectedBits = 0;
  ulp = 0;
  absError = 0;
  bound: number | null = null;
  verdict: Exclude<Verdict, 'exact'> = 'within';
  reason: ViolationReason | null = null;
  /** Both NaN, or +0 against −0: equal as values, different bits. */
  sameValue = false;
  private readonly gb: Uint32Array;
  private readonly rb: Uint32Array;
  private readonly zeroSignDefined: boolean;
  private bounds: ArrayLike<number> | null = null;
  private flushedBits: Uint32Array | null | undefined;

  constructor(private readonly input: ClassifyInput) {
    const n = input.expected.data.length;
    this.gb = new Uint32Array(input.got.data.buffer, input.got.data.byteOffset, n);
    this.rb = new Uint32Array(input.expected.data.buffer, input.expected.data.byteOffset, n);
    this.zeroSignDefined = input.zeroSignDefined ?? ZERO_SIGN_DEFINED.has(input.case.op);
  }

  judge(i: number): boolean {
    const gBits = this.gb[i]!;
    const rBits = this.rb[i]!;
    if (gBits === rBits) return false;
    this.index = i;
    this.gotBits = gBits;
    this.expectedBits = rBits;
    this.bound = null;
    this.reason = null;
    this.sameValue = false;
    const g = f32FromBits(gBits);
    const r = f32FromBits(rBits);
    if (g !== g || r !== r) {
      const both = g !== g && r !== r;
      this.sameValue = both;
      this.ulp = both ? 0 : Infinity;
      this.absError = both ? 0 : NaN;
      this.set(both || this.flushedAgrees(i, gBits) ? 'within' : 'violation', 'nan');
    } else if (!Number.isFinite(g) || !Number.isFinite(r)) {
      this.ulp = Infinity;
      this.absError = Math.abs(g - r);
      this.set(this.flushedAgrees(i, gBits) ? 'within' : 'violation', 'inf');
    } else if (g === 0 && r === 0) {
      this.sameValue = true;
      this.ulp = 0;
      this.absError = 0;
      this.set(this.zeroSignDefined ? 'violation' : 'within', 'signed-zero');
    } else {
      this.bounds ??= this.input.totalBound?.() ?? documentedBound(this.input.spec, this.input.case, this.input.accuracy);
      const bound = this.bounds[i]!;
      this.bound = bound;
      this.absError = Math.abs(g - r);
      this.ulp = ulpDistanceBits(gBits, rBits);
      this.set(bound === Infinity ? 'unbounded' : this.absError <= bound ? 'within' : 'violation', 'bound');
    }
    return true;
  }

  /** The element judged last, as a report. */
  report(): ElementReport {
    const base = {
      index: this.index, got: f32FromBits(this.gotBits), expected: f32FromBits(this.expectedBits), gotBits: this.gotBits,
      expectedBits: this.expectedBits, ulp: this.ulp, absError: this.absError, bound: this.bound, verdict: this.verdict,
    };
    const withReason = this.reason === null ? base : { ...base, reason: this.reason };
    return this.sameValue ? { ...withReason, sameValue: true } : withReason;
  }

  private set(verdict: Exclude<Verdict, 'exact'>, reason: ViolationReason): void {
    this.verdict = verdict;
    if (verdict === 'violation') this.reason = reason;
  }

  /** Whether a flushing backend's value matches the reference on the flushed inputs (non-finite cases). */
  private flushedAgrees(i: number, gBits: number): boolean {
    const { spec, profile } = this.input;
    if (!this.input.accuracy.flushSubnormals || spec.reference === undefined || profile === undefined) return false;
    if (this.flushedBits === undefined) {
      const n = this.rb.length;
      const fc = flushSubnormalInputs(this.input.case);
      const t = fc === null ? null : spec.reference(fc, profile);
      this.flushedBits = t === null || t.data.length !== n ? null : new Uint32Array(t.data.buffer, t.data.byteOffset, n);
    }
    if (this.flushedBits === null) return false;
    const f = this.flushedBits[i]!;
    return sameResult(f, gBits);
  }
}

/** The verdict of element i (null when its bits are identical: exact). */
export function elementClassifier(input: ClassifyInput): (i: number) => ElementReport | null {
  const judge = new ElementJudge(input);
  return (i) => (judge.judge(i) ? judge.report() : null);
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
    const violations = Math.max(n, 1);
    return { elements: n, exact: 0, within: 0, unbounded: 0, violations, violationReasons: { ...noViolations(), shape: violations }, maxBoundRatio: 0, sameValue: 0, histogram, worst: report, differing: [report] };
  }
  const gb = new Uint32Array(got.data.buffer, got.data.byteOffset, n);
  const rb = new Uint32Array(expected.data.buffer, expected.data.byteOffset, n);

  // Pass 1: bits only.
  const diff: number[] = [];
  for (let i = 0; i < n; i++) if (gb[i] !== rb[i]) diff.push(i);
  if (diff.length === 0) {
    histogram[0] = n;
    return { elements: n, exact: n, within: 0, unbounded: 0, violations: 0, violationReasons: noViolations(), maxBoundRatio: 0, sameValue: 0, histogram, worst: null, differing: [] };
  }

  const judge = new ElementJudge(input);
  let within = 0;
  let unbounded = 0;
  let violations = 0;
  const violationReasons = noViolations();
  let maxBoundRatio = 0;
  let sameValue = 0;
  let worst: ElementReport | null = null;
  const select = input.select ?? 'first';
  const kept = new KeptElements(keep, select);
  const keptUnbounded = new KeptElements(keep, select);
  const keptViolations = new KeptElements(keep, select);
  histogram[0] = n - diff.length;
  for (const i of diff) {
    judge.judge(i);
    const ulp = judge.ulp;
    if (judge.sameValue) sameValue++;
    else histogram[bucketOf(ulp)]!++;
    const into = judge.verdict === 'violation' ? keptViolations : judge.verdict === 'unbounded' ? keptUnbounded : kept;
    if (judge.verdict === 'violation') {
      violations++;
      violationReasons[judge.reason!]++;
    } else if (judge.verdict === 'unbounded') unbounded++;
    else {
      within++;
      if (judge.bound !== null && judge.bound > 0) maxBoundRatio = Math.max(maxBoundRatio, judge.absError / judge.bound);
    }
    const worse = isWorseElement(judge, worst);
    if (!worse && !into.wants(ulp)) continue;
    const report = judge.report();
    into.add(report);
    if (worse) worst = report;
  }
  const differing = [...keptViolations.list(), ...keptUnbounded.list(), ...kept.list()].slice(0, keep);
  return { elements: n, exact: n - diff.length, within, unbounded, violations, violationReasons, maxBoundRatio, sameValue, histogram, worst, differing };
}

/** The first `keep` elements added, or the `keep` with the largest ULP distance (ties: lower index). */
class KeptElements {
  private items: ElementReport[] = [];
  /** After a prune with `keep` items: the smallest kept ULP distance (later ties lose to earlier indices). */
  private floor: number | null = null;
  constructor(private readonly keep: number, private readonly select: 'first' | 'worst') {}
  /** Whether an element at this ULP distance would be kept (cheap: called before materialising one). */
  wants(ulp: number): boolean {
    if (this.items.length < this.keep) return true;
    if (this.select === 'first') return false;
    return this.floor === null || ulp > this.floor;
  }

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
    if (this.items.length === this.keep) this.floor = this.items[this.keep - 1]!.ulp;
  }
}

const VERDICT_RANK: Readonly<Record<ElementReport['verdict'], number>> = { within: 0, unbounded: 1, violation: 2 };

/** Larger ULP distance first; at equal distance a violation, then an unbounded element, wins. */
export function isWorseElement(a: Pick<ElementReport, 'ulp' | 'verdict'>, b: Pick<ElementReport, 'ulp' | 'verdict'> | null): boolean {
  return b === null || a.ulp > b.ulp || (a.ulp === b.ulp && VERDICT_RANK[a.verdict] > VERDICT_RANK[b.verdict]);
}

/** bound(case, accuracy) + bound(case, EXACT): a kernel in the op's documented order. */
function documentedBound(spec: Pick<OpSpec, 'bound'>, c: OpCase, accuracy: Accuracy): Float64Array {
  const exact = spec.bound(c, EXACT_ACCURACY);
  if (sameAccuracy(accuracy, EXACT_ACCURACY)) return exact.map((b) => 2 * b);
  const gpu = spec.bound(c, accuracy);
  return exact.map((b, i) => b + gpu[i]!);
}
