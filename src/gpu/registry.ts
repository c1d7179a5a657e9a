/**
 * Every op's GPU kernel family, by the same name as its reference op, derived from the op list
 * (src/ops/index.ts). A kernel module (and with it Dawn) loads on its op's first batch. Cases reach
 * the kernels in their op's canonical form (src/ops/<op>/canonical.ts) and outputs come back in
 * the form the case was given in.
 */
import { InputRangeError } from '../errors.ts';
import { OPS, perOp } from '../ops/index.ts';
import { type CanonicalCase, type OpCase, type OpName, restoreOutput } from '../ops/types.ts';
import { checkBatchInputs, type PreparedBatch } from './kernel.ts';
import type { GpuContext, GpuOp } from './types.ts';

type Op = (typeof OPS)[number];

/** Each case checked (an OpCase of `op`, well-formed inputs) and in its canonical form. */
function canonicalBatch(op: Op, cases: readonly OpCase[]): CanonicalCase[] {
  checkBatchInputs(op.name, cases);
  return cases.map((c, i) => {
    if (c.op !== op.name) throw new InputRangeError(`${op.name} cases[${i}].op`, `'${op.name}' (a batch holds one op's cases)`, c.op);
    return op.canonical(c);
  });
}

export const gpuOps: Record<OpName, GpuOp> = perOp((op) => ({
  name: op.name,
  async runBatch(ctx, cases) {
    const canon = canonicalBatch(op, cases);
    const outs = await (await op.kernel()).run.runBatch(ctx, canon.map((k) => k.case));
    return outs.map((y, i) => restoreOutput(canon[i]!, y));
  },
}));

/**
 * Each op's batch preparation (inputs uploaded, dispatches ready to encode): for callers that time
 * or repeat dispatches without re-uploading (the benchmark, stress runs). The slots carry each
 * case's own output shape; a case whose output is more than a reshape of its canonical case's
 * (pointwiseConv2d with padding) has no prepared form.
 */
export const gpuPrepare: Record<OpName, (ctx: GpuContext, cases: readonly OpCase[]) => Promise<PreparedBatch>> = perOp((op) => async (ctx, cases) => {
  const canon = canonicalBatch(op, cases);
  canon.forEach((k, i) => {
    if (k.restore !== undefined) throw new InputRangeError(`${op.name} cases[${i}]`, 'a case whose output is its canonical output reshaped (run it through runBatch)', cases[i]!.params);
  });
  const batch = await (await op.kernel()).prepare(ctx, canon.map((k) => k.case));
  return { ...batch, slots: batch.slots.map((s, i) => ({ offset: s.offset, shape: [...canon[i]!.outputShape] })) };
});
