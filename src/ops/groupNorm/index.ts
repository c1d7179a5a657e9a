/** groupNorm: PyTorch's group normalisation of (N, C, *) inputs (./reference.ts states the order). */
import { groupNorm, groupNormGeometry } from './reference.ts';
import { groupNormBound } from './bounds.ts';
import { type InputTap, type OpCase, type OpDefinition, restoreOutput } from '../types.ts';
import { groupNormCanonical } from './canonical.ts';
import { input, optionalInput } from '../shared/params.ts';
import { groupNormCases } from './cases.ts';
import { groupNormFast } from './fast.ts';
import { groupNormParams } from './params.ts';

const args = (c: OpCase) => {
  const x = input(c, 'x');
  const { numGroups, eps } = groupNormParams.read(c);
  return [x, numGroups, optionalInput(c, 'weight'), optionalInput(c, 'bias'), eps] as const;
};

export const groupNormOp: OpDefinition<'groupNorm'> = {
  name: 'groupNorm',
  inputNames: ['x', 'weight', 'bias'],
  params: groupNormParams,
  canonical: groupNormCanonical,
  outputShape: (c) => groupNormCanonical(c).outputShape,
  reference(c, profile) {
    const k = groupNormCanonical(c);
    return restoreOutput(k, groupNorm(...args(k.case), { profile }));
  },
  bound: (c, accuracy) => groupNormBound(...args(groupNormCanonical(c).case), { accuracy }),
  anyOrderBound: (c, accuracy, options = {}) => groupNormBound(...args(groupNormCanonical(c).case), { accuracy, order: 'anyOrder', ...options }),
  cases: groupNormCases,
  receptiveField(c, outIndex) {
    const { c: C, spatial, groups } = groupNormGeometry(...args(groupNormCanonical(c).case));
    const cpg = C / groups;
    const ch = Math.floor(outIndex / spatial) % C;
    const b = Math.floor(outIndex / (spatial * C));
    const start = (b * C + Math.floor(ch / cpg) * cpg) * spatial;
    const taps: InputTap[] = [];
    for (let e = start; e < start + cpg * spatial; e++) taps.push({ input: 'x', index: e });
    if (optionalInput(c, 'weight') !== null) taps.push({ input: 'weight', index: ch });
    if (optionalInput(c, 'bias') !== null) taps.push({ input: 'bias', index: ch });
    return taps;
  },
  kernel: async () => (await import('./kernel.ts')).groupNormKernel,
  fast: groupNormFast,
};
