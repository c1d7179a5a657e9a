/**
 * The block's canonical form: the case as given (x is (N, C, H, W) only; the block is refsim's own
 * composition, not a PyTorch function with other accepted forms), validated stage by stage without
 * evaluating it, and its output shape [N, classes].
 */
import type { Tensor } from '../../reference/tensor.ts';
import { type DepthwiseGeometry, depthwiseConv2dGeometry } from '../depthwiseConv2d/reference.ts';
import { groupNormGeometry } from '../groupNorm/reference.ts';
import { linearGeometry } from '../linear/reference.ts';
import { pointwiseConv2dGeometry } from '../pointwiseConv2d/reference.ts';
import { input, optionalInput } from '../shared/params.ts';
import type { CanonicalCase, OpCase } from '../types.ts';
import { depthwiseSeparableBlockParams } from './params.ts';
import type { DepthwiseSeparableBlockParams } from './reference.ts';
import { checkBlockKernel, stage } from './stage.ts';

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

/** The block's dimensions, every stage validated (errors named as the block's parameters) without evaluating it. */
export interface BlockGeometry {
  /** The depthwise stage's geometry (x is (n, c, h, w); its output has cm = c·multiplier channels). */
  readonly dw: DepthwiseGeometry;
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly cm: number;
  readonly cout: number;
  readonly classes: number;
  readonly numGroups: number;
  readonly eps: number;
}

export function blockGeometry(c: OpCase): BlockGeometry {
  const [x, p] = blockArgs(c);
  checkBlockKernel(p);
  const dw = stage({ weight: 'params.dwWeight', bias: 'params.dwBias' }, () => depthwiseConv2dGeometry(x, p.dwWeight, p.dwBias ?? null, { stride: 1, padding: 1, dilation: 1 }));
  const [, , , , cout] = stage({ weight: 'params.pwWeight', bias: 'params.pwBias' }, () => pointwiseConv2dGeometry(shaped([1, dw.cout, 1, 1]), p.pwWeight, p.pwBias ?? null));
  const eps = p.eps ?? 1e-5;
  stage({ numGroups: 'params.numGroups', weight: 'params.gnWeight', bias: 'params.gnBias', eps: 'params.eps' }, () =>
    groupNormGeometry(shaped([1, cout, 1, 1]), p.numGroups, p.gnWeight ?? null, p.gnBias ?? null, eps),
  );
  const [, , classes] = stage({ weight: 'params.fcWeight', bias: 'params.fcBias' }, () => linearGeometry(shaped([1, cout]), p.fcWeight, p.fcBias ?? null));
  return { dw, n: dw.n, c: dw.c, h: dw.h, w: dw.w, cm: dw.cout, cout, classes, numGroups: p.numGroups, eps };
}

export function depthwiseSeparableBlockCanonical(c: OpCase): CanonicalCase {
  const g = blockGeometry(c);
  return { case: c, outputShape: [g.n, g.classes] };
}
