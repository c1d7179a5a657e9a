/**
 * The stress run's bindings to the rest of refsim: the GPU device and the block's kernel, the
 * block's op spec (reference and bound), the differential checker's verdict rules and fixture
 * format, and the event-id checker. Keeping them in one file makes it plain that a stress op is
 * judged exactly as `refsim diff` judges a case.
 *
 * STAND-IN until src/ops/registry.ts is on main: blockSpec() evaluates the reference block
 * directly and has a zero bound (every differing element is a violation, the strictest rule).
 */
import { RefsimError } from '../errors.ts';
import type { Accuracy, OpCase, OpSpec } from '../ops/types.ts';
import { depthwiseSeparableBlock } from '../reference/depthwiseSeparableBlock.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import { openGpu, type RefsimGpu } from '../gpu/device.ts';
import { gpuOps } from '../gpu/registry.ts';
import type { GpuOp, OpenGpuOptions } from '../gpu/types.ts';

export { classifyCase, type CaseVerdict, type ElementReport } from '../diff/classify.ts';
export { makeFixture, writeFixture } from '../diff/fixture.ts';
export { checkIds } from '../reference/eventIdCheck.ts';

export type StressGpu = RefsimGpu;

export function openStressGpu(opts: OpenGpuOptions): Promise<StressGpu> {
  return openGpu(opts);
}

export function blockGpuOp(): GpuOp {
  const op = gpuOps.depthwiseSeparableBlock;
  if (op === undefined) throw new RefsimError('E_NO_KERNEL', 'the GPU has no depthwiseSeparableBlock kernel in src/gpu/registry.ts yet');
  return op;
}

const tensorIn = (c: OpCase, name: string): Tensor => {
  const t = c.inputs[name];
  if (t === undefined || t === null) throw new RefsimError('E_CASE', `block case without input ${name}`);
  return t;
};
const optIn = (c: OpCase, name: string): Tensor | null => c.inputs[name] ?? null;

/** STAND-IN (see the module comment). */
const standInBlockSpec: Pick<OpSpec, 'reference' | 'bound'> = {
  reference: (c: OpCase, profile: Profile) =>
    depthwiseSeparableBlock(
      tensorIn(c, 'x'),
      {
        dwWeight: tensorIn(c, 'dwWeight'), dwBias: optIn(c, 'dwBias'), pwWeight: tensorIn(c, 'pwWeight'), pwBias: optIn(c, 'pwBias'),
        numGroups: Number(c.params['numGroups']), gnWeight: optIn(c, 'gnWeight'), gnBias: optIn(c, 'gnBias'),
        eps: Number(c.params['eps'] ?? 1e-5), fcWeight: tensorIn(c, 'fcWeight'), fcBias: optIn(c, 'fcBias'),
      },
      { profile },
    ),
  bound: (c: OpCase, _accuracy: Accuracy) => new Float64Array(Number(tensorIn(c, 'x').shape[0]) * tensorIn(c, 'fcWeight').shape[0]!),
};

export function blockSpec(): Pick<OpSpec, 'reference' | 'bound'> {
  return standInBlockSpec;
}
