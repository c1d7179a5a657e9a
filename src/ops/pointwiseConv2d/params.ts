/**
 * pointwiseConv2d's params: padding, as PyTorch's conv2d takes it (a number, [n], an [h, w] pair,
 * 'valid' or 'same'; for a 1×1 kernel 'same' and 'valid' are both no padding). Stride and
 * dilation are 1.
 */
import { opParams, paddingParam } from '../shared/params.ts';

export const pointwiseConv2dParams = opParams('pointwiseConv2d', {
  padding: paddingParam(),
});
export type PointwiseConv2dParams = ReturnType<typeof pointwiseConv2dParams.read>;
