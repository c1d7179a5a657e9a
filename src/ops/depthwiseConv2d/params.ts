/** depthwiseConv2d's params: stride, padding and dilation, each a number or an [h, w] pair. */
import { opParams, pairParam } from '../shared/params.ts';

export const depthwiseConv2dParams = opParams('depthwiseConv2d', {
  stride: pairParam(1),
  padding: pairParam(0),
  dilation: pairParam(1),
});
export type DepthwiseConv2dParams = ReturnType<typeof depthwiseConv2dParams.read>;
