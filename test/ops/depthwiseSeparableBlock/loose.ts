/** depthwiseSeparableBlock on the loose backend (test/support/perturbed.ts): its stages in order. */
import type { OpCase } from '../../../src/ops/types.ts';
import { type LooseBackend, looseInput } from '../../support/looseBackend.ts';
import { pool } from '../adaptiveAvgPool2d/loose.ts';
import { depthwise } from '../depthwiseConv2d/loose.ts';
import { groupNorm } from '../groupNorm/loose.ts';
import { linear } from '../linear/loose.ts';
import { pointwise } from '../pointwiseConv2d/loose.ts';

export function depthwiseSeparableBlockLoose(c: OpCase, be: LooseBackend): Float32Array {
  const p = c.params;
  const R = (name: string) => looseInput(c, be, name)!;
  const I = (name: string) => looseInput(c, be, name);
  const x = R('x');
  const dw = depthwise(be, x.data, x.shape, R('dwWeight').data, R('dwWeight').shape, I('dwBias')?.data ?? null, [1, 1], [1, 1], [1, 1]);
  const pwW = R('pwWeight');
  const pw = pointwise(be, dw.data, dw.shape, pwW.data, pwW.shape[0]!, I('pwBias')?.data ?? null);
  const gn = groupNorm(be, pw.data, pw.shape, p['numGroups'] as number, I('gnWeight')?.data ?? null, I('gnBias')?.data ?? null, (p['eps'] as number | undefined) ?? 1e-5);
  const r = gn.map((v) => be.ftz(v < 0 ? 0 : v));
  const pooled = pool(be, r, pw.shape, 1, 1);
  const fc = R('fcWeight');
  return linear(be, pooled, pw.shape[0]!, pw.shape[1]!, fc.data, fc.shape[0]!, I('fcBias')?.data ?? null);
}
