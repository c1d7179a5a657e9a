/**
 * adaptiveAvgPool2d's accepted forms (PyTorch's `adaptive_avg_pool2d`): x batched (N, C, H, W) or
 * unbatched (C, H, W); outputSize a number (square), or a pair [h, w] whose entries are numbers or
 * null (null keeps that input size). The output is (N, C, h, w), or (C, h, w) for an unbatched x.
 * The canonical form is x (N, C, H, W) (an unbatched x as N = 1, the same data) and outputSize a
 * pair of numbers: the same windows over the same elements in the same order.
 */
import { InputRangeError } from '../../errors.ts';
import type { Tensor } from '../../reference/tensor.ts';
import { checkOutputElements, intPair, positiveInt } from '../../reference/validate.ts';
import { input } from '../shared/params.ts';
import { batchedImage, imageOutputShape } from '../shared/canonical.ts';
import type { CanonicalCase, OpCase } from '../types.ts';
import { adaptiveAvgPool2dParams, type OutputSize } from './params.ts';

export interface PoolForm {
  /** x as (N, C, H, W). */
  readonly x: Tensor;
  readonly outputSize: [number, number];
  readonly outputShape: number[];
}

/** Validates the arguments in any accepted form; returns the canonical form and the output shape. */
export function adaptiveAvgPool2dForm(x: unknown, outputSize: OutputSize | unknown): PoolForm {
  const b = batchedImage(x);
  const [, , h, w] = b.x.shape as [number, number, number, number];
  let size: unknown = outputSize;
  if (Array.isArray(outputSize)) {
    if (outputSize.length !== 2) throw new InputRangeError('outputSize', 'a number or a pair [h, w] (an entry null keeps that input size)', outputSize);
    size = [outputSize[0] ?? h, outputSize[1] ?? w];
  }
  const [n, c] = b.x.shape as [number, number];
  const [oh, ow] = intPair(size, 'outputSize', positiveInt);
  checkOutputElements([n, c, oh, ow], 'outputSize', outputSize);
  return { x: b.x, outputSize: [oh, ow], outputShape: imageOutputShape([n, c, oh, ow], b.unbatched) };
}

export function adaptiveAvgPool2dCanonical(c: OpCase): CanonicalCase {
  const f = adaptiveAvgPool2dForm(input(c, 'x'), adaptiveAvgPool2dParams.read(c).outputSize);
  return { case: { op: c.op, params: { outputSize: f.outputSize }, inputs: { x: f.x } }, outputShape: f.outputShape };
}
