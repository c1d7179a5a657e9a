/** pointwiseConv2d takes no params (a 1×1 kernel, stride 1, no padding). */
import { opParams } from '../shared/params.ts';

export const pointwiseConv2dParams = opParams('pointwiseConv2d', {});
