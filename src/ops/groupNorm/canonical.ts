/**
 * groupNorm's accepted forms (PyTorch's `group_norm`): x (N, C, *) of any rank ≥ 2, weight and
 * bias (C) or none; the output has x's shape. The canonical form is x [N, C, S] (S = the product
 * of the dims after C, 1 for a 2-D x): the same data in the same order, so each group's elements
 * are the same v[0..n) in the same order.
 */
import { input, optionalInput } from '../shared/params.ts';
import { view } from '../shared/canonical.ts';
import type { CanonicalCase, OpCase } from '../types.ts';
import { groupNormParams } from './params.ts';
import { groupNormGeometry } from './reference.ts';

export function groupNormCanonical(c: OpCase): CanonicalCase {
  const x = input(c, 'x');
  const { numGroups, eps } = groupNormParams.read(c);
  const weight = optionalInput(c, 'weight');
  const bias = optionalInput(c, 'bias');
  const g = groupNormGeometry(x, numGroups, weight, bias, eps);
  return { case: { op: c.op, params: c.params, inputs: { x: view(x, [g.n, g.c, g.spatial]), weight, bias } }, outputShape: [...x.shape] };
}
