/** groupNorm's params: numGroups, and eps (default 1e-5, PyTorch's). */
import { numberParam, opParams } from '../shared/params.ts';

export const groupNormParams = opParams('groupNorm', {
  numGroups: numberParam(),
  eps: numberParam(1e-5),
});
export type GroupNormParams = ReturnType<typeof groupNormParams.read>;
