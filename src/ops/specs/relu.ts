import fc from 'fast-check';
import { relu } from '../../reference/relu.ts';
import { reluBound } from '../../reference/bounds/relu.ts';
import type { OpCase, OpSpec } from '../types.ts';
import { fitDims, tensorArb } from '../shared/values.ts';
import { input } from '../shared/params.ts';
import { reluParams } from '../relu/params.ts';

const args = (c: OpCase) => {
  const x = input(c, 'x');
  reluParams.read(c);
  return x;
};

export const reluSpec: OpSpec = {
  name: 'relu',
  inputNames: ['x'],
  paramNames: reluParams.names,
  outputShape: (c) => [...relu(args(c)).shape],
  reference: (c, profile) => relu(args(c), { profile }),
  bound: (c, accuracy) => reluBound(args(c), { accuracy }),
  arbitrary: (opts) =>
    fc
      .array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 })
      .map((dims) => fitDims(dims, [dims.map((_, i) => i)], opts.maxElements))
      .chain((shape) => tensorArb(shape, opts))
      .map((x): OpCase => ({ op: 'relu', params: {}, inputs: { x } })),
  receptiveField: (_c, outIndex) => [{ input: 'x', index: outIndex }],
};
