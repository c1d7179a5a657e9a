/**
 * linear's accepted forms (PyTorch's `linear`): x (*, in) of any rank ≥ 1, weight (out, in) or
 * (in), bias (out) or () or none; the output is (*, out), or (*) for a 1-D weight. The canonical
 * form is x [rows, in] (rows = the product of the leading dims, 1 for a 1-D x), weight [out, in]
 * and bias [out]: the same data in the same order, so the same dot products in the same order.
 */
import { InputRangeError } from '../../errors.ts';
import type { Tensor } from '../../reference/tensor.ts';
import { checkOutputElements, checkTensor } from '../../reference/validate.ts';
import { input, optionalInput } from '../shared/params.ts';
import { rankOf, view } from '../shared/canonical.ts';
import type { CanonicalCase, OpCase } from '../types.ts';
import { linearParams } from './params.ts';

export interface LinearForm {
  readonly x: Tensor;
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly outputShape: number[];
}

/** Validates linear's arguments in any accepted form; returns them in the canonical form and the output shape. */
export function linearForm(x: unknown, weight: unknown, bias: unknown): LinearForm {
  const xRank = rankOf(x, 2);
  if (xRank < 1) throw new InputRangeError('x.shape', 'rank ≥ 1: (*, in_features)', (x as Tensor).shape);
  const xt = checkTensor(x, 'x', xRank);
  const wRank = rankOf(weight, 2);
  if (wRank !== 1 && wRank !== 2) throw new InputRangeError('weight.shape', 'rank 2 (out_features, in_features) or rank 1 (in_features)', (weight as Tensor).shape);
  const wt = checkTensor(weight, 'weight', wRank);
  const inF = xt.shape[xRank - 1]!;
  if (wt.shape[wRank - 1] !== inF) throw new InputRangeError(`weight.shape[${wRank - 1}]`, `${inF} (the in-features of x, x.shape[${xRank - 1}])`, wt.shape[wRank - 1]);
  const outF = wRank === 2 ? wt.shape[0]! : 1;
  const lead = xt.shape.slice(0, -1);
  const outputShape = wRank === 2 ? [...lead, outF] : lead;
  checkOutputElements(outputShape, 'weight.shape[0]', outF);
  return { x: view(xt, [xt.data.length / inF, inF]), weight: view(wt, [outF, inF]), bias: canonicalBias(bias, wRank, outF), outputShape };
}

/** bias (out) as is; a scalar bias () added to every output, as PyTorch broadcasts it: [out] copies of its value. */
function canonicalBias(bias: unknown, wRank: number, outF: number): Tensor | null {
  if (bias === undefined || bias === null) return null;
  const rank = rankOf(bias, 1);
  if (rank === 0) {
    const b = checkTensor(bias, 'bias', 0);
    return { shape: [outF], data: new Float32Array(outF).fill(b.data[0]!) };
  }
  if (rank !== 1 || wRank !== 2) throw new InputRangeError('bias.shape', wRank === 2 ? `[${outF}] (out_features) or [] (a scalar)` : '[] (a scalar: the weight is 1-D)', (bias as Tensor).shape);
  const b = checkTensor(bias, 'bias', 1);
  if (b.shape[0] !== outF) throw new InputRangeError('bias.shape[0]', `${outF} (out_features, weight.shape[0])`, b.shape[0]);
  return b;
}

export function linearCanonical(c: OpCase): CanonicalCase {
  const f = linearForm(input(c, 'x'), input(c, 'weight'), optionalInput(c, 'bias'));
  linearParams.read(c);
  return { case: { op: c.op, params: c.params, inputs: { x: f.x, weight: f.weight, bias: f.bias } }, outputShape: f.outputShape };
}
