/**
 * depthwiseConv2d's accepted forms (PyTorch's conv2d with groups = C): x (N, C, H, W) or unbatched
 * (C, H, W); stride and dilation a number, [n] or [h, w]; padding those, 'valid' or 'same'. The
 * canonical form is x (N, C, H, W) (an unbatched x as N = 1, the same data), stride and dilation
 * pairs, and padding a pair or 'same': 'same' stays a word because its padding after the input
 * can exceed the padding before (an odd total), which a pair cannot say; the geometry
 * (reference.ts) resolves it to the padding before plus the output size, all the evaluation reads.
 */
import { input, optionalInput } from '../shared/params.ts';
import { batchedImage, imageOutputShape } from '../shared/canonical.ts';
import type { CanonicalCase, OpCase } from '../types.ts';
import { depthwiseConv2dParams } from './params.ts';
import { depthwiseConv2dGeometry } from './reference.ts';

export function depthwiseConv2dCanonical(c: OpCase): CanonicalCase {
  const b = batchedImage(input(c, 'x'));
  const weight = input(c, 'weight');
  const bias = optionalInput(c, 'bias');
  const p = depthwiseConv2dParams.read(c);
  const g = depthwiseConv2dGeometry(b.x, weight, bias, p);
  return {
    case: { op: c.op, params: { stride: g.stride, padding: p.padding === 'same' ? 'same' : g.padding, dilation: g.dilation }, inputs: { x: b.x, weight, bias } },
    outputShape: imageOutputShape([g.n, g.cout, g.oh, g.ow], b.unbatched),
  };
}
