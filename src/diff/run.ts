/**
 * The differential run of one op: fast-check-generated cases, run in batches on the GPU and one by
 * one on the reference, every element classified (classify.ts), and the first violating case
 * shrunk to a minimal one and saved as a fixture.
 *
 * Case k of a campaign is the value fast-check generates at run index k for `seed` (exactly what
 * `fc.check(…, { seed, path: String(k) })` would test), so a shard is a contiguous range of k,
 * shards are disjoint, and any case is replayable from (seed, path) alone.
 */
import fc from 'fast-check';
import { InputRangeError, RefsimError } from '../errors.ts';
import { type Accuracy, type CaseGenOptions, type OpCase, type OpName, type OpSpec, validateAccuracy } from '../ops/types.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import { classifyCase, type CaseVerdict, type ElementReport, isWorseElement, noViolations, ULP_BUCKETS, VIOLATION_REASONS, type ViolationReason } from './classify.ts';
import { hex8 } from '../reference/float32.ts';
import { makeFixture, writeFixture } from './fixture.ts';
import type { DiffGpu } from './gpuRunner.ts';
import { type BoundOrder, verdictBound } from './relaxed.ts';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export interface DiffRunOptions {
  /** Cases in the whole campaign (all shards together). */
  readonly cases: number;
  readonly seed: number;
  readonly shard: Shard;
  /** Cases per GPU submission. */
  readonly batch: number;
  readonly profile: Profile;
  readonly accuracy: Accuracy;
  /** Bound family of the verdicts (default 'documented'; 'anyOrder' on a reassociating backend, src/diff/relaxed.ts). */
  readonly boundOrder?: BoundOrder;
  readonly gen: CaseGenOptions;
  /** Shrink the first violating case and save it (default true). */
  readonly shrink?: boolean;
  /** Where fixtures go; null: shrink but save nothing. */
  readonly fixturesDir: string | null;
  /** Stop shrinking after this long (default 60 s); the smallest case so far is kept. */
  readonly shrinkTimeLimitMs?: number;
  readonly onProgress?: (casesDone: number) => void;
}

export interface WorstElement extends ElementReport {
  readonly caseIndex: number;
}

export interface ShrinkResult {
  readonly seed: number;
  /** fast-check path of the minimal counterexample. */
  readonly path: string;
  /** false when the case passed when re-run alone (a batch-dependent failure): saved unshrunk. */
  readonly reproducedAlone: boolean;
  readonly case: OpCase;
  readonly verdict: CaseVerdict;
  /** GPU and reference outputs of the final (shrunk) case. */
  readonly got: Tensor;
  readonly expected: Tensor;
  readonly fixture: string | null;
  /** Why the fixture could not be saved (the run goes on and reports it); null when saved or not asked for. */
  readonly fixtureError: string | null;
}

export interface OpDiffSummary {
  readonly op: OpName;
  readonly cases: number;
  readonly elements: number;
  readonly exact: number;
  readonly within: number;
  readonly unbounded: number;
  readonly violations: number;
  readonly violatingCases: number;
  /** Violations per reason (names a relaxed-math cause in the report). */
  readonly violationReasons: Readonly<Record<ViolationReason, number>>;
  /** Elements whose bits differ but that are both NaN or both zero (CaseVerdict.sameValue). */
  readonly sameValue: number;
  /** Counts per ULP_BUCKETS entry (bucket 0: identical bits, equal to `exact`). */
  readonly histogram: number[];
  readonly worst: WorstElement | null;
  /** Run index (path) of the first violating case. */
  readonly firstViolationIndex: number | null;
  readonly shrunk: ShrinkResult | null;
  /** The case holding the worst element, with both outputs (for the HTML heatmap). */
  readonly worstCase: { readonly index: number; readonly case: OpCase; readonly got: Tensor; readonly expected: Tensor } | null;
  readonly seconds: number;
}

/** Parses "i/n" (1 ≤ i ≤ n), e.g. from --shard. */
export function parseShard(text: string, param = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (!(count >= 1 && index >= 1 && index <= count && count <= 1_000_000)) {
    throw new InputRangeError(param, 'i/n with 1 ≤ i ≤ n (e.g. 2/4)', text);
  }
  return { index, count };
}

/** Run indices [start, end) of `shard` in a campaign of `cases`. */
export function shardRange(cases: number, shard: Shard): { start: number; end: number } {
  return {
    start: Math.floor(((shard.index - 1) * cases) / shard.count),
    end: Math.floor((shard.index * cases) / shard.count),
  };
}

/** The cases at run indices [start, start + count) for `seed` (fast-check's own generation order). */
export function generateCases(arb: fc.Arbitrary<OpCase>, seed: number, start: number, count: number): OpCase[] {
  if (count <= 0) return [];
  return fc.sample(arb, { seed, path: String(start), numRuns: count });
}

/** A campaign's running totals over the cases checked so far (the counting part of OpDiffSummary). */
interface Tally {
  elements: number; exact: number; within: number; unbounded: number; violations: number; violatingCases: number; sameValue: number;
  violationReasons: Record<ViolationReason, number>;
  histogram: number[];
  worst: WorstElement | null;
  worstCase: OpDiffSummary['worstCase'];
  firstViolationIndex: number | null;
}

const newTally = (): Tally => ({
  elements: 0, exact: 0, within: 0, unbounded: 0, violations: 0, violatingCases: 0, sameValue: 0,
  violationReasons: noViolations(), histogram: new Array<number>(ULP_BUCKETS.length).fill(0), worst: null, worstCase: null, firstViolationIndex: null,
});

/** Adds the verdict of case `c` (run index `index`) to the tally. */
function addVerdict(t: Tally, v: CaseVerdict, index: number, c: OpCase, got: Tensor | undefined, expected: Tensor): void {
  for (const k of ['elements', 'exact', 'within', 'unbounded', 'violations', 'sameValue'] as const) t[k] += v[k];
  for (const r of VIOLATION_REASONS) t.violationReasons[r] += v.violationReasons[r];
  for (let b = 0; b < t.histogram.length; b++) t.histogram[b]! += v.histogram[b]!;
  if (v.violations > 0) {
    t.violatingCases++;
    t.firstViolationIndex ??= index;
  }
  if (v.worst !== null && isWorseElement(v.worst, t.worst)) {
    t.worst = { ...v.worst, caseIndex: index };
    t.worstCase = { index, case: c, got: got ?? expected, expected };
  }
}

/** Runs one op's share of the campaign. */
export async function runOpDiff(spec: OpSpec, gpu: DiffGpu, opts: DiffRunOptions): Promise<OpDiffSummary> {
  const t0 = performance.now();
  validateAccuracy(opts.accuracy, 'accuracy');
  const arb = spec.arbitrary(opts.gen);
  const { start, end } = shardRange(opts.cases, opts.shard);
  const t = newTally();
  const batch = Math.max(1, opts.batch);
  // Pipelined: batch k+1 is generated and submitted before batch k is checked, so the GPU (its
  // own process, and on lavapipe its own CPU threads) works while this process runs the reference.
  const submit = (k0: number) => {
    const cases = generateCases(arb, opts.seed, k0, Math.min(batch, end - k0));
    const outs = gpu.run(spec.name, cases);
    outs.catch(() => {}); // awaited below; never an unhandled rejection while batch k is checked
    return { k0, cases, outs };
  };
  let next = start < end ? submit(start) : null;
  while (next !== null) {
    const { k0, cases } = next;
    const pending = next.outs;
    next = k0 + batch < end ? submit(k0 + batch) : null;
    let outs: Tensor[];
    try {
      outs = await pending;
    } catch (e) {
      if (next !== null) await next.outs.catch(() => {});
      throw e;
    }
    cases.forEach((c, j) => {
      const got = outs[j];
      const expected = spec.reference(c, opts.profile);
      const v = classifyCase({
        spec, case: c, accuracy: opts.accuracy, profile: opts.profile, expected,
        got: got ?? { shape: [], data: new Float32Array(0) }, ...verdictBound(c, opts.accuracy, opts.boundOrder ?? 'documented'),
      });
      addVerdict(t, v, k0 + j, c, got, expected);
    });
    opts.onProgress?.(Math.min(k0 + batch, end) - start);
  }
  const shrunk = t.firstViolationIndex !== null && (opts.shrink ?? true) ? await shrinkAndSave(spec, gpu, opts, arb, t.firstViolationIndex) : null;
  return {
    op: spec.name, cases: end - start, elements: t.elements, exact: t.exact, within: t.within, unbounded: t.unbounded, violations: t.violations,
    violatingCases: t.violatingCases, violationReasons: t.violationReasons, sameValue: t.sameValue, histogram: t.histogram,
    worst: t.worst, firstViolationIndex: t.firstViolationIndex, shrunk, worstCase: t.worstCase, seconds: (performance.now() - t0) / 1000,
  };
}

/** Checks one case alone (one GPU submission of one case). */
export async function checkOne(spec: OpSpec, gpu: DiffGpu, c: OpCase, profile: Profile, accuracy: Accuracy, boundOrder: BoundOrder = 'documented'): Promise<{ verdict: CaseVerdict; got: Tensor; expected: Tensor }> {
  const [got] = await gpu.run(spec.name, [c]);
  const expected = spec.reference(c, profile);
  const out = got ?? { shape: [], data: new Float32Array(0) };
  return { verdict: classifyCase({ spec, case: c, got: out, expected, accuracy, profile, ...verdictBound(c, accuracy, boundOrder) }), got: out, expected };
}

/**
 * fast-check shrinking of the violating case at run index `index`: the property re-runs the GPU
 * on the single case, so the minimal counterexample is one that fails on its own.
 */
async function shrinkAndSave(spec: OpSpec, gpu: DiffGpu, opts: DiffRunOptions, arb: fc.Arbitrary<OpCase>, index: number): Promise<ShrinkResult> {
  const result = await fc.check(
    fc.asyncProperty(arb, async (c) => (await checkOne(spec, gpu, c, opts.profile, opts.accuracy, opts.boundOrder)).verdict.violations === 0),
    { seed: opts.seed, path: String(index), numRuns: 1, interruptAfterTimeLimit: opts.shrinkTimeLimitMs ?? 60_000, markInterruptAsFailure: false },
  );
  let c: OpCase;
  let path: string;
  let reproducedAlone: boolean;
  if (result.failed && result.counterexample !== null && result.counterexamplePath !== null) {
    [c] = result.counterexample;
    path = result.counterexamplePath;
    reproducedAlone = true;
  } else {
    [c] = generateCases(arb, opts.seed, index, 1) as [OpCase];
    path = String(index);
    reproducedAlone = false;
  }
  const { verdict, got, expected } = await checkOne(spec, gpu, c, opts.profile, opts.accuracy, opts.boundOrder);
  let fixture: string | null = null;
  let fixtureError: string | null = null;
  if (opts.fixturesDir !== null) {
    const f = makeFixture(c, {
      backend: gpu.backend,
      adapter: gpu.adapter,
      profile: opts.profile,
      accuracy: opts.accuracy,
      generator: { seed: opts.seed, path, maxElements: opts.gen.maxElements, specialValues: opts.gen.specialValues },
      observed: {
        violations: verdict.violations,
        first: verdict.differing.filter((e) => e.verdict === 'violation').slice(0, 8).map((e) => ({
          index: e.index, gotBits: hex8(e.gotBits), expectedBits: hex8(e.expectedBits),
          ulp: Number.isFinite(e.ulp) ? e.ulp : null, bound: e.bound !== null && Number.isFinite(e.bound) ? e.bound : null,
          reason: e.reason ?? 'bound',
        })),
      },
    });
    try {
      fixture = writeFixture(opts.fixturesDir, f);
    } catch (e) {
      // A full disk or a directory removed mid-run must not lose the report of the whole run.
      if (!(e instanceof RefsimError && e.code === 'E_FIXTURE_WRITE')) throw e;
      fixtureError = e.message;
    }
  }
  return { seed: opts.seed, path, reproducedAlone, case: c, verdict, got, expected, fixture, fixtureError };
}
