/** The block's params: its groupNorm's numGroups and eps (default 1e-5); the other stages have fixed params. */
import { numberParam, opParams } from '../shared/params.ts';

export const depthwiseSeparableBlockParams = opParams('depthwiseSeparableBlock', {
  numGroups: numberParam(),
  eps: numberParam(1e-5),
});
export type DepthwiseSeparableBlockCaseParams = ReturnType<typeof depthwiseSeparableBlockParams.read>;
