import fc from 'fast-check';
import { relu } from '../../reference/relu.ts';
import { reluBound } from '../../reference/bounds/relu.ts';
import type { OpCase, OpSpec } from '../types.ts';
import { fitDims, tensorArb } from './values.ts';
import { input } from './params.ts';

export const reluSpec: OpSpec = {
  name: 'relu',
  inputNames: ['x'],
  paramNames: [],
  outputShape: (c) => [...relu(input(c, 'x')).shape],
  reference: (c, profile) => relu(input(c, 'x'), { profile }),
  bound: (c, accuracy) => reluBound(input(c, 'x'), { accuracy }),
  arbitrary: (opts) =>
    fc
      .array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 })
      .map((dims) => fitDims(dims, [dims.map((_, i) => i)], opts.maxElements))
      .chain((shape) => tensorArb(shape, opts))
      .map((x): OpCase => ({ op: 'relu', params: {}, inputs: { x } })),
  receptiveField: (_c, outIndex) => [{ input: 'x', index: outIndex }],
};
