/**
 * depthwiseConv2d's params, as PyTorch's conv2d takes them: stride and dilation a number, [n] or
 * an [h, w] pair; padding those or 'valid' / 'same'.
 */
import { opParams, paddingParam, pairParam } from '../shared/params.ts';

export const depthwiseConv2dParams = opParams('depthwiseConv2d', {
  stride: pairParam(1),
  padding: paddingParam(),
  dilation: pairParam(1),
});
export type DepthwiseConv2dParams = ReturnType<typeof depthwiseConv2dParams.read>;
