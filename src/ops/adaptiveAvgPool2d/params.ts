/**
 * adaptiveAvgPool2d's params: outputSize, a number or an [h, w] pair. Absent, it reads as NaN, which
 * the op rejects naming outputSize.
 */
import { opParams, pairParam } from '../shared/params.ts';

export const adaptiveAvgPool2dParams = opParams('adaptiveAvgPool2d', {
  outputSize: pairParam(NaN),
});
export type AdaptiveAvgPool2dParams = ReturnType<typeof adaptiveAvgPool2dParams.read>;
