/** The record `refsim probe --json` prints (and the checker reads). */
import { z } from 'zod';
import { adapterReportSchema } from '../types.ts';
import { fieldSchema } from './checks.ts';

export const fusionSchema = z.object({
  verdict: z.enum(['fused', 'unfused', 'mixed']),
  /** Samples whose fused and unfused float32 results differ (the informative ones). */
  informative: z.number().int(),
  matchedFused: z.number().int(),
  matchedUnfused: z.number().int(),
});
export type FusionResult = z.infer<typeof fusionSchema>;

export const ulpSchema = z.object({ maxUlp: z.number(), samples: z.number().int(), worstInput: z.string() });
export type UlpResult = z.infer<typeof ulpSchema>;

const bitsPairSchema = z.object({ negZero: z.string(), nan: z.string() });

/** Result bits for x = −0 and x = NaN (0x7fc00001). PyTorch relu wants 0x80000000 and the NaN. */
export const reluLikeSchema = z.object({
  'max(x, 0.0)': bitsPairSchema,
  'select(x, 0.0, x < 0.0)': bitsPairSchema,
  /** Does `0.0 + x` keep IEEE's +0 for x = −0 (a compiler folding it to `x` would return −0)? */
  '0.0 + x': z.object({ negZero: z.string() }),
});
export type ReluLike = z.infer<typeof reluLikeSchema>;

/**
 * What relaxed math (Dawn's default on Metal; WGSL permits it everywhere) changes, one field per
 * property, each with a one-word summary from its run-time checks and the evidence.
 */
export const relaxedMathSchema = z.object({
  /** NaN and ±Inf through arithmetic, comparisons, max/min; rewrites: x != x, x * 0.0, x − x, … */
  nanInf: fieldSchema,
  /** −0 through + − × and negation; rewrites: 0.0 + x, 0.0 − x, x * 0.0, x * 1.0, −(a − b). */
  signedZero: fieldSchema,
  /** a / b against a * (1 / b); rewrite: division by a constant. */
  reciprocalDivision: fieldSchema,
  /** Sums and products in written order, in loops like the kernels'; rewrites: (a + b) − b, … */
  reassociation: fieldSchema,
  /** a·b ± c rounded twice (strict) or fused (relaxed); the checker's profile comes from mulAdd. */
  contraction: fieldSchema,
});
export type RelaxedMath = z.infer<typeof relaxedMathSchema>;
export const RELAXED_FIELDS = ['nanInf', 'signedZero', 'reciprocalDivision', 'reassociation', 'contraction'] as const satisfies readonly (keyof RelaxedMath)[];
export type RelaxedFieldName = (typeof RELAXED_FIELDS)[number];

export const probeResultSchema = z.object({
  adapter: adapterReportSchema,
  samples: z.number().int(),
  seed: z.number().int(),
  mulAdd: fusionSchema,
  fma: fusionSchema,
  div: ulpSchema,
  sqrt: ulpSchema,
  inverseSqrt: ulpSchema,
  subnormals: z.object({
    /** A subnormal operand of a multiply read as 0. */
    flushInputs: z.boolean(),
    /** A multiply whose exact result is subnormal returned 0. */
    flushOutputs: z.boolean(),
  }),
  reluLike: reluLikeSchema,
  relaxedMath: relaxedMathSchema,
  profile: z.enum(['strict', 'fma']),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;
