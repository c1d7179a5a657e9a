/** relu: `y = (x < 0) ? +0 : x` elementwise, any rank (./reference.ts states the contract). */
import type { OpCase, OpDefinition } from '../types.ts';
import { input } from '../shared/params.ts';
import { reluBound } from './bounds.ts';
import { reluCases } from './cases.ts';
import { reluFast } from './fast.ts';
import { reluParams } from './params.ts';
import { relu } from './reference.ts';
import { reluCanonical } from './canonical.ts';

const args = (c: OpCase) => input(reluCanonical(c).case, 'x');

export const reluOp: OpDefinition<'relu'> = {
  name: 'relu',
  inputNames: ['x'],
  params: reluParams,
  canonical: reluCanonical,
  outputShape: (c) => reluCanonical(c).outputShape,
  reference: (c, profile) => relu(args(c), { profile }),
  bound: (c, accuracy) => reluBound(args(c), { accuracy }),
  // No arithmetic: every order is the documented one.
  anyOrderBound: (c, accuracy) => reluBound(args(c), { accuracy }),
  cases: reluCases,
  receptiveField: (_c, outIndex) => [{ input: 'x', index: outIndex }],
  kernel: async () => (await import('./kernel.ts')).reluKernel,
  fast: reluFast,
};
