/** pointwiseConv2d: a 1×1 convolution of NCHW inputs, per pixel y = W·x + bias (./reference.ts states the order). */
import { pointwiseConv2d, pointwiseConv2dGeometry } from './reference.ts';
import { pointwiseConv2dBound } from './bounds.ts';
import type { InputTap, OpCase, OpDefinition } from '../types.ts';
import { denseInputs, optionalInput } from '../shared/params.ts';
import { pointwiseConv2dCases } from './cases.ts';
import { pointwiseConv2dFast } from './fast.ts';
import { pointwiseConv2dParams } from './params.ts';

const args = (c: OpCase) => denseInputs(c, pointwiseConv2dParams);

export const pointwiseConv2dOp: OpDefinition<'pointwiseConv2d'> = {
  name: 'pointwiseConv2d',
  inputNames: ['x', 'weight', 'bias'],
  params: pointwiseConv2dParams,
  canonical: (c) => ({ case: c, outputShape: pointwiseConv2dOp.outputShape(c) }),
  outputShape(c) {
    const [n, , h, w, cout] = pointwiseConv2dGeometry(...args(c));
    return [n, cout, h, w];
  },
  reference: (c, profile) => pointwiseConv2d(...args(c), { profile }),
  bound: (c, accuracy) => pointwiseConv2dBound(...args(c), { accuracy }),
  anyOrderBound: (c, accuracy) => pointwiseConv2dBound(...args(c), { accuracy, order: 'anyOrder' }),
  cases: pointwiseConv2dCases,
  receptiveField(c, outIndex) {
    const [, cin, h, w, cout] = pointwiseConv2dGeometry(...args(c));
    const hw = h * w;
    const p = outIndex % hw;
    const co = Math.floor(outIndex / hw) % cout;
    const b = Math.floor(outIndex / (hw * cout));
    const taps: InputTap[] = [];
    for (let ci = 0; ci < cin; ci++) taps.push({ input: 'x', index: (b * cin + ci) * hw + p });
    for (let ci = 0; ci < cin; ci++) taps.push({ input: 'weight', index: co * cin + ci });
    if (optionalInput(c, 'bias') !== null) taps.push({ input: 'bias', index: co });
    return taps;
  },
  kernel: async () => (await import('./kernel.ts')).pointwiseConv2dKernel,
  fast: pointwiseConv2dFast,
};
