/** The seed's depthwise-separable block: dw(3×3, pad 1) → pw → groupNorm → relu → pool(1) → flatten → linear. */
import { InputRangeError } from '../../errors.ts';
import { adaptiveAvgPool2d } from '../adaptiveAvgPool2d/reference.ts';
import { depthwiseConv2d } from '../depthwiseConv2d/reference.ts';
import { groupNorm } from '../groupNorm/reference.ts';
import { linear } from '../linear/reference.ts';
import { pointwiseConv2d } from '../pointwiseConv2d/reference.ts';
import { relu } from '../relu/reference.ts';
import type { OpOptions, Tensor } from '../../reference/tensor.ts';
import { checkTensor, profileOf } from '../../reference/validate.ts';
import { checkBlockKernel, stage } from './stage.ts';

export interface DepthwiseSeparableBlockParams {
  /** [C·m, 1, 3, 3]: the depthwise kernel (stride 1, padding 1, dilation 1). */
  dwWeight: Tensor;
  /** [C·m] or null. */
  dwBias?: Tensor | null;
  /** [Cout, C·m, 1, 1]. */
  pwWeight: Tensor;
  /** [Cout] or null. */
  pwBias?: Tensor | null;
  /** Groups of the groupNorm; divides Cout. */
  numGroups: number;
  /** [Cout] or null (groupNorm γ). */
  gnWeight?: Tensor | null;
  /** [Cout] or null (groupNorm β). */
  gnBias?: Tensor | null;
  /** groupNorm eps (default 1e-5). */
  eps?: number;
  /** [classes, Cout]. */
  fcWeight: Tensor;
  /** [classes] or null. */
  fcBias?: Tensor | null;
}

/**
 * The block on x [N, C, H, W] → [N, classes].
 *
 * Evaluation order (the contract, docs/evaluation-order.md): the stages
 *   depthwiseConv2d(dwWeight, dwBias, stride 1, padding 1) → pointwiseConv2d(pwWeight, pwBias)
 *   → groupNorm(numGroups, gnWeight, gnBias, eps) → relu → adaptiveAvgPool2d(1) → flatten [N, Cout]
 *   → linear(fcWeight, fcBias),
 * each exactly as its own doc comment states, every intermediate stored as float32, all under
 * the same profile.
 */
export function depthwiseSeparableBlock(x: Tensor, params: DepthwiseSeparableBlockParams, options?: OpOptions): Tensor {
  if (typeof params !== 'object' || params === null) throw new InputRangeError('params', 'an object of block parameters', params);
  const profile = profileOf(options);
  const opts = { profile };
  // (N, C, H, W) only: the stages' unbatched forms would read a (C, H, W) input's C as N.
  checkTensor(x, 'x', 4);
  checkBlockKernel(params);
  const dw = stage({ weight: 'params.dwWeight', bias: 'params.dwBias' }, () =>
    depthwiseConv2d(x, params.dwWeight, params.dwBias ?? null, { stride: 1, padding: 1, dilation: 1 }, opts),
  );
  const pw = stage({ weight: 'params.pwWeight', bias: 'params.pwBias' }, () => pointwiseConv2d(dw, params.pwWeight, params.pwBias ?? null, opts));
  const gn = stage({ numGroups: 'params.numGroups', weight: 'params.gnWeight', bias: 'params.gnBias', eps: 'params.eps' }, () =>
    groupNorm(pw, params.numGroups, params.gnWeight ?? null, params.gnBias ?? null, params.eps ?? 1e-5, opts),
  );
  const pooled = adaptiveAvgPool2d(relu(gn), 1, opts);
  const [n, c] = pooled.shape as [number, number];
  return stage({ weight: 'params.fcWeight', bias: 'params.fcBias' }, () =>
    linear({ shape: [n, c], data: pooled.data }, params.fcWeight, params.fcBias ?? null, opts),
  );
}
