/**
 * Which arithmetic a dump's backend is judged by (docs/check.md "Accuracy models"): chosen by the
 * dump's `device` metadata unless `--accuracy` names one. Each model says where it comes from.
 */
import { z } from 'zod';
import { InputRangeError } from '../errors.ts';
import { type Accuracy, EXACT_ACCURACY, WGSL_ACCURACY } from '../ops/types.ts';

export interface AccuracyModel {
  readonly accuracy: Accuracy;
  /** One line: the model's name and source. */
  readonly source: string;
}

export const EXACT_MODEL: AccuracyModel = { accuracy: EXACT_ACCURACY, source: 'exact: correctly rounded float32' };
export const CUDA_MODEL: AccuracyModel = {
  accuracy: { ...EXACT_ACCURACY, inverseSqrtUlp: 2 },
  source: "cuda: correctly rounded except 1/sqrt, which PyTorch's CUDA kernels take from rsqrtf (≤ 2 ULP, CUDA math API)",
};
export const WGSL_MODEL: AccuracyModel = {
  accuracy: WGSL_ACCURACY,
  source: 'wgsl: the WGSL accuracy limits (division 2.5 ULP, inverseSqrt 2 ULP, sqrt 5 ULP, subnormals may flush)',
};

/** The default model for a dump's `device` metadata (PyTorch device strings: cpu, cuda:0, mps, …). */
export function accuracyForDevice(device: string | null): AccuracyModel {
  const d = (device ?? '').trim().toLowerCase();
  if (d === 'cpu' || d.startsWith('cpu:')) return { ...EXACT_MODEL, source: `${EXACT_MODEL.source} (device ${device})` };
  if (d === 'cuda' || d.startsWith('cuda:')) return { ...CUDA_MODEL, source: `${CUDA_MODEL.source} (device ${device})` };
  if (d === 'mps' || d.startsWith('mps:')) return { ...WGSL_MODEL, source: `${WGSL_MODEL.source} (device ${device}: Metal's math mode is not known)` };
  return { ...WGSL_MODEL, source: `${WGSL_MODEL.source} (device ${device === null ? 'not given' : JSON.stringify(device)}: unknown, so the loosest model)` };
}

const ulps = z.number().finite().nonnegative().max(2 ** 20);
const accuracySchema = z.strictObject({ divUlp: ulps, sqrtUlp: ulps, inverseSqrtUlp: ulps, flushSubnormals: z.boolean() });

/** `--accuracy exact|wgsl|cuda|<json>`: a named model or an Accuracy object with every field. */
export function parseAccuracyOption(text: string): AccuracyModel {
  const t = text.trim();
  if (t === 'exact') return EXACT_MODEL;
  if (t === 'wgsl') return WGSL_MODEL;
  if (t === 'cuda') return CUDA_MODEL;
  const allowed = 'exact, wgsl, cuda, or a JSON object {"divUlp": …, "sqrtUlp": …, "inverseSqrtUlp": …, "flushSubnormals": …} with non-negative ULP counts';
  let raw: unknown;
  try {
    raw = JSON.parse(t);
  } catch {
    throw new InputRangeError('--accuracy', allowed, text);
  }
  const r = accuracySchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new InputRangeError('--accuracy', `${allowed} (${i.path.join('.') || 'object'}: ${i.message})`, text);
  }
  return { accuracy: r.data, source: `--accuracy ${JSON.stringify(r.data)}` };
}
