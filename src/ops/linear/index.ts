/** linear: y = x·Wᵀ + bias on (*, in) inputs (./reference.ts states the forms and the order). */
import { linearCore, linearGeometry } from './reference.ts';
import { linearBound } from './bounds.ts';
import { type CanonicalCase, type InputTap, type OpCase, type OpDefinition, restoreOutput } from '../types.ts';
import { input, optionalInput } from '../shared/params.ts';
import { linearCanonical } from './canonical.ts';
import { linearCases } from './cases.ts';
import { linearFast } from './fast.ts';
import { linearParams } from './params.ts';

const args = (k: CanonicalCase) => [input(k.case, 'x'), input(k.case, 'weight'), optionalInput(k.case, 'bias')] as const;

export const linearOp: OpDefinition<'linear'> = {
  name: 'linear',
  inputNames: ['x', 'weight', 'bias'],
  params: linearParams,
  canonical: linearCanonical,
  outputShape: (c) => linearCanonical(c).outputShape,
  reference(c, profile) {
    const k = linearCanonical(c);
    return restoreOutput(k, linearCore(...args(k), { profile }));
  },
  bound: (c, accuracy) => linearBound(...args(linearCanonical(c)), { accuracy }),
  anyOrderBound: (c, accuracy) => linearBound(...args(linearCanonical(c)), { accuracy, order: 'anyOrder' }),
  cases: linearCases,
  receptiveField(c, outIndex) {
    const [, inF, outF] = linearGeometry(...args(linearCanonical(c)));
    const b = Math.floor(outIndex / outF);
    const o = outIndex % outF;
    const taps: InputTap[] = [];
    for (let i = 0; i < inF; i++) taps.push({ input: 'x', index: b * inF + i });
    for (let i = 0; i < inF; i++) taps.push({ input: 'weight', index: o * inF + i });
    // A scalar bias () is one element, added to every output.
    const bias = optionalInput(c, 'bias');
    if (bias !== null) taps.push({ input: 'bias', index: bias.shape.length === 0 ? 0 : o });
    return taps;
  },
  kernel: async () => (await import('./kernel.ts')).linearKernel,
  fast: linearFast,
};
