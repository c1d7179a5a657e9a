/**
 * Judging one dump: the reference recomputes the op in its documented order, and every element of
 * the backend's `output` is classified by the differential checker's classifier (src/diff/classify.ts):
 * exact, within |got − ref| ≤ B_documented(ref, EXACT) + B_anyOrder(backend, accuracy, moments),
 * unbounded (that bound is infinite), or a violation.
 */
import { classifyCase, type CaseVerdict, type ClassifyInput } from '../diff/classify.ts';
import { HEATMAP_MAX_CELLS } from '../diff/html.ts';
import { anyOrderTotalBound, getOpSpec } from '../ops/registry.ts';
import type { OpCase, OpName } from '../ops/types.ts';
import type { Moments } from '../reference/bounds/common.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import { type AccuracyModel, accuracyForDevice } from './accuracy.ts';
import type { Dump } from './dump.ts';

export interface CheckOptions {
  /** Overrides the per-dump model chosen from its `device` metadata. */
  readonly accuracy?: AccuracyModel;
  readonly moments: Moments;
  /** The profile the reference is evaluated under (its own bound covers either). */
  readonly profile: Profile;
  /** Differing elements kept per file (worst-first lists are cut to this). */
  readonly keep: number;
  /**
   * Whether a −0/+0 swap is a violation. PyTorch defines no sign for an exact zero, relu's
   * included (its CPU kernel keeps relu(−0) = −0, its CUDA kernel returns +0), so by default
   * ('any') a swap is within; 'strict' holds every op to the reference's sign.
   */
  readonly signedZero?: 'any' | 'strict';
}

/** What the report keeps of a judged dump (not its tensors: a directory of large dumps stays small in memory). */
export interface FileCheck {
  readonly file: string;
  readonly op: OpName;
  readonly params: OpCase['params'];
  readonly device: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly widened: Dump['widened'];
  readonly inputShapes: Readonly<Record<string, readonly number[] | null>>;
  readonly outputShape: readonly number[];
  readonly model: AccuracyModel;
  readonly verdict: CaseVerdict;
  /** The first HEATMAP_MAX_CELLS elements of both outputs, for the HTML heatmap (shape: the full output's). */
  readonly heat: { readonly got: Tensor; readonly expected: Tensor } | null;
  readonly seconds: number;
}

export interface JudgedDump {
  readonly check: FileCheck;
  /** The reference output and the element classifier's input, for --explain. */
  readonly expected: Tensor;
  readonly classifyInput: ClassifyInput;
}

const head = (t: Tensor): Tensor => ({ shape: [...t.shape], data: t.data.slice(0, HEATMAP_MAX_CELLS) });

export function checkDump(dump: Dump, opts: CheckOptions): JudgedDump {
  const t0 = performance.now();
  const spec = getOpSpec(dump.op);
  const model = opts.accuracy ?? accuracyForDevice(dump.device);
  const expected = spec.reference(dump.case, opts.profile);
  let bound: Float64Array | null = null;
  const classifyInput: ClassifyInput = {
    spec,
    case: dump.case,
    got: dump.output,
    expected,
    accuracy: model.accuracy,
    profile: opts.profile,
    keep: opts.keep,
    select: 'worst',
    zeroSignDefined: opts.signedZero === 'strict',
    totalBound: () => (bound ??= anyOrderTotalBound(dump.case, model.accuracy, { moments: opts.moments })),
  };
  const verdict = classifyCase(classifyInput);
  const check: FileCheck = {
    file: dump.file,
    op: dump.op,
    params: dump.case.params,
    device: dump.device,
    metadata: dump.metadata,
    widened: dump.widened,
    inputShapes: Object.fromEntries(Object.entries(dump.case.inputs).map(([k, t]) => [k, t === null ? null : [...t.shape]])),
    outputShape: [...dump.output.shape],
    model,
    verdict,
    heat: verdict.exact === verdict.elements ? null : { got: head(dump.output), expected: head(expected) },
    seconds: (performance.now() - t0) / 1000,
  };
  return { check, expected, classifyInput };
}
