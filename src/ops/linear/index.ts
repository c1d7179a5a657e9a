/** linear: y = x·Wᵀ + bias on [N, in] inputs (./reference.ts states the order). */
import { linear, linearGeometry } from './reference.ts';
import { linearBound } from './bounds.ts';
import type { InputTap, OpCase, OpDefinition } from '../types.ts';
import { denseInputs, optionalInput } from '../shared/params.ts';
import { linearCases } from './cases.ts';
import { linearFast } from './fast.ts';
import { linearParams } from './params.ts';

const args = (c: OpCase) => denseInputs(c, linearParams);

export const linearOp: OpDefinition<'linear'> = {
  name: 'linear',
  inputNames: ['x', 'weight', 'bias'],
  params: linearParams,
  outputShape(c) {
    const [n, , out] = linearGeometry(...args(c));
    return [n, out];
  },
  reference: (c, profile) => linear(...args(c), { profile }),
  bound: (c, accuracy) => linearBound(...args(c), { accuracy }),
  anyOrderBound: (c, accuracy) => linearBound(...args(c), { accuracy, order: 'anyOrder' }),
  cases: linearCases,
  receptiveField(c, outIndex) {
    const [, inF, outF] = linearGeometry(...args(c));
    const b = Math.floor(outIndex / outF);
    const o = outIndex % outF;
    const taps: InputTap[] = [];
    for (let i = 0; i < inF; i++) taps.push({ input: 'x', index: b * inF + i });
    for (let i = 0; i < inF; i++) taps.push({ input: 'weight', index: o * inF + i });
    if (optionalInput(c, 'bias') !== null) taps.push({ input: 'bias', index: o });
    return taps;
  },
  kernel: async () => (await import('./kernel.ts')).linearKernel,
  fast: linearFast,
};
