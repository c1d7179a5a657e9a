/**
 * The block's canonical form: the case as given (x is (N, C, H, W) only; the block is refsim's own
 * composition, not a PyTorch function with other accepted forms), validated stage by stage without
 * evaluating it, and its output shape [N, classes].
 */
import type { Tensor } from '../../reference/tensor.ts';
import { depthwiseConv2dGeometry } from '../depthwiseConv2d/reference.ts';
import { groupNormGeometry } from '../groupNorm/reference.ts';
import { linearGeometry } from '../linear/reference.ts';
import { pointwiseConv2dGeometry } from '../pointwiseConv2d/reference.ts';
import { input, optionalInput } from '../shared/params.ts';
import type { CanonicalCase, OpCase } from '../types.ts';
import { depthwiseSeparableBlockParams } from './params.ts';
import { type DepthwiseSeparableBlockParams, checkBlockKernel, stage } from './reference.ts';

/** The block's input and parameters from a case. */
export function blockArgs(c: OpCase): [Tensor, DepthwiseSeparableBlockParams] {
  const x = input(c, 'x');
  const { numGroups, eps } = depthwiseSeparableBlockParams.read(c);
  return [
    x,
    {
      dwWeight: input(c, 'dwWeight'),
      dwBias: optionalInput(c, 'dwBias'),
      pwWeight: input(c, 'pwWeight'),
      pwBias: optionalInput(c, 'pwBias'),
      numGroups,
      gnWeight: optionalInput(c, 'gnWeight'),
      gnBias: optionalInput(c, 'gnBias'),
      eps,
      fcWeight: input(c, 'fcWeight'),
      fcBias: optionalInput(c, 'fcBias'),
    },
  ];
}

/** A shape-only stand-in for an intermediate (only its dims matter to the stage checks). */
const shaped = (shape: number[]): Tensor => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });

export function depthwiseSeparableBlockCanonical(c: OpCase): CanonicalCase {
  const [x, p] = blockArgs(c);
  checkBlockKernel(p);
  const dw = stage({ weight: 'params.dwWeight', bias: 'params.dwBias' }, () => depthwiseConv2dGeometry(x, p.dwWeight, p.dwBias ?? null, { stride: 1, padding: 1, dilation: 1 }));
  const [, , , , cout] = stage({ weight: 'params.pwWeight', bias: 'params.pwBias' }, () => pointwiseConv2dGeometry(shaped([1, dw.cout, 1, 1]), p.pwWeight, p.pwBias ?? null));
  stage({ numGroups: 'params.numGroups', weight: 'params.gnWeight', bias: 'params.gnBias', eps: 'params.eps' }, () =>
    groupNormGeometry(shaped([1, cout, 1, 1]), p.numGroups, p.gnWeight ?? null, p.gnBias ?? null, p.eps ?? 1e-5),
  );
  const [, , classes] = stage({ weight: 'params.fcWeight', bias: 'params.fcBias' }, () => linearGeometry(shaped([1, cout]), p.fcWeight, p.fcBias ?? null));
  return { case: c, outputShape: [dw.n, classes] };
}
