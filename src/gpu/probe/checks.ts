/**
 * The relaxed-math detection, as pure functions over measured samples: a check is one WGSL form
 * evaluated on many inputs; per sample the IEEE float32 result of the form as written (what strict
 * math gives) and, where one exists, the result of the rewrite a relaxed compiler may make of it
 * (`(a + b) - b` → `a`, `a / b` → `a * (1 / b)`, …). The backend's result bits decide the check:
 *
 * - rule 'all': strict when every sample gives the IEEE result (NaN matches any NaN);
 * - rule 'majority': relaxed when more informative samples give the rewritten result than the
 *   IEEE one (division: an approximate but not reciprocal division reads strict; its error is
 *   the probe's `div` ULP measurement).
 *
 * Informative samples are those whose IEEE and rewritten results differ (all samples for a check
 * without a rewrite). Evidence lists mismatches first, then informative samples, at most four.
 */
import { z } from 'zod';
import { f32FromBits, isNanBits, sameResult } from '../../reference/float32.ts';
import { f32WithBits } from '../../diff/format.ts';

export const mathWordSchema = z.enum(['strict', 'relaxed']);
export type MathWord = z.infer<typeof mathWordSchema>;

export const evidenceSchema = z.object({
  inputs: z.array(z.string()),
  got: z.string(),
  expected: z.string(),
  /** The rewritten form's result, where the check has one. */
  alternative: z.string().optional(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const checkSchema = z.object({
  /** The WGSL form (over f32 a, b, c), or a description of a loop kernel. */
  expr: z.string(),
  rule: z.enum(['all', 'majority']),
  samples: z.number().int(),
  informative: z.number().int(),
  /** Informative samples with the IEEE result. */
  matchedExpected: z.number().int(),
  /** Informative samples with the rewritten result. */
  matchedAlternative: z.number().int(),
  /** Samples (informative or not) without the IEEE result. */
  mismatches: z.number().int(),
  verdict: mathWordSchema,
  evidence: z.array(evidenceSchema),
});
export type CheckResult = z.infer<typeof checkSchema>;

export const groupSchema = z.object({ summary: mathWordSchema, checks: z.array(checkSchema) });
export type CheckGroup = z.infer<typeof groupSchema>;

/**
 * One relaxed-math property. `checks`: single operations on run-time operands, the forms the
 * kernels compute; they decide `summary` (and the checker's verdicts). `rewrites`: forms with a
 * visible identity or pattern a compiler may legally rewrite under WGSL's rules (self-comparisons,
 * `x * 0.0`, `0.0 + x`, `(a + b) - b`, compare-and-select); kernels must not depend on them.
 */
export const fieldSchema = groupSchema.extend({ rewrites: groupSchema.optional() });
export type RelaxedField = z.infer<typeof fieldSchema>;

export { sameResult };

export const describeBits = (b: number): string => f32WithBits(f32FromBits(b), b >>> 0);
/** An expected result: any NaN matches a NaN, so its payload is not part of the expectation. */
const describeExpected = (b: number): string => (isNanBits(b) ? 'NaN (any payload)' : describeBits(b));

export interface CheckSamples {
  readonly expr: string;
  readonly rule: 'all' | 'majority';
  /** Result bits per sample: the backend's, the IEEE form's and (optional) the rewrite's. */
  readonly got: ArrayLike<number>;
  readonly expected: ArrayLike<number>;
  readonly alternative?: ArrayLike<number>;
  /** The inputs of sample i, for the evidence. */
  inputs(i: number): string[];
}

const MAX_EVIDENCE = 4;

/** Judges one check from its measured samples. */
export function judgeCheck(s: CheckSamples): CheckResult {
  const n = s.got.length;
  let informative = 0;
  let matchedExpected = 0;
  let matchedAlternative = 0;
  let mismatches = 0;
  const mismatching: number[] = [];
  const informing: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = s.got[i]!;
    const e = s.expected[i]!;
    const ok = sameResult(g, e);
    const alt = s.alternative?.[i];
    const inf = alt === undefined || !sameResult(e, alt);
    if (!ok) {
      mismatches++;
      if (mismatching.length < MAX_EVIDENCE) mismatching.push(i);
    }
    if (inf) {
      informative++;
      if (ok) matchedExpected++;
      else if (alt !== undefined && sameResult(g, alt)) matchedAlternative++;
      if (ok && informing.length < MAX_EVIDENCE) informing.push(i);
    }
  }
  const relaxed = s.rule === 'all' ? mismatches > 0 : matchedAlternative > matchedExpected;
  const picked = [...mismatching, ...informing].slice(0, MAX_EVIDENCE);
  if (picked.length === 0 && n > 0) picked.push(0);
  const evidence = picked.map((i): Evidence => ({
    inputs: s.inputs(i),
    got: describeBits(s.got[i]!),
    expected: describeExpected(s.expected[i]!),
    ...(s.alternative === undefined ? {} : { alternative: describeExpected(s.alternative[i]!) }),
  }));
  return { expr: s.expr, rule: s.rule, samples: n, informative, matchedExpected, matchedAlternative, mismatches, verdict: relaxed ? 'relaxed' : 'strict', evidence };
}

/** A group of checks: relaxed as soon as one check is. */
export function group(checks: CheckResult[]): CheckGroup {
  return { summary: checks.some((c) => c.verdict === 'relaxed') ? 'relaxed' : 'strict', checks };
}

/** A property from its run-time checks and (optional) rewrite checks. */
export function field(checks: CheckResult[], rewrites?: CheckResult[]): RelaxedField {
  return { ...group(checks), ...(rewrites === undefined ? {} : { rewrites: group(rewrites) }) };
}
