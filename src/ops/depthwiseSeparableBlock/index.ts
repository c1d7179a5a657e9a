/**
 * depthwiseSeparableBlock: the seed's block, depthwise 3×3 → pointwise → groupNorm → relu →
 * adaptiveAvgPool2d(1) → linear (./reference.ts states the order).
 */
import { depthwiseSeparableBlock } from './reference.ts';
import { blockArgs, depthwiseSeparableBlockCanonical } from './canonical.ts';
import { depthwiseSeparableBlockBound } from './bounds.ts';
import { InputRangeError } from '../../errors.ts';
import type { InputTap, OpCase, OpDefinition } from '../types.ts';
import { optionalInput } from '../shared/params.ts';
import { depthwiseSeparableBlockCases } from './cases.ts';
import { depthwiseSeparableBlockFast } from './fast.ts';
import { depthwiseSeparableBlockParams } from './params.ts';

const NAMES = ['x', 'dwWeight', 'dwBias', 'pwWeight', 'pwBias', 'gnWeight', 'gnBias', 'fcWeight', 'fcBias'] as const;

export const depthwiseSeparableBlockOp: OpDefinition<'depthwiseSeparableBlock'> = {
  name: 'depthwiseSeparableBlock',
  inputNames: NAMES,
  params: depthwiseSeparableBlockParams,
  canonical: depthwiseSeparableBlockCanonical,
  outputShape: (c) => depthwiseSeparableBlockCanonical(c).outputShape,
  reference: (c, profile) => depthwiseSeparableBlock(...blockArgs(c), { profile }),
  bound: (c, accuracy) => depthwiseSeparableBlockBound(...blockArgs(c), { accuracy }),
  anyOrderBound: (c, accuracy, options = {}) => depthwiseSeparableBlockBound(...blockArgs(c), { accuracy, order: 'anyOrder', ...options }),
  cases: depthwiseSeparableBlockCases,
  receptiveField(c, outIndex) {
    const [x, p] = blockArgs(c);
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const classes = p.fcWeight.shape[0]!;
    const cm = p.dwWeight.shape[0]!;
    const cout = p.pwWeight.shape[0]!;
    if (!(outIndex >= 0 && outIndex < N * classes)) throw new InputRangeError('outIndex', `an integer in [0, ${N * classes})`, outIndex);
    const b = Math.floor(outIndex / classes);
    const k = outIndex % classes;
    // groupNorm mixes each group, pooling every pixel and linear every channel: the whole sample
    // feeds every output, and every parameter does too, except the depthwise taps that only ever
    // land in the padding (rows/columns 0 and 2 of the 3×3 kernel when H or W is 1).
    const taps: InputTap[] = [];
    for (let i = b * C * H * W; i < (b + 1) * C * H * W; i++) taps.push({ input: 'x', index: i });
    for (let oc = 0; oc < cm; oc++)
      for (let kh = 0; kh < 3; kh++)
        for (let kw = 0; kw < 3; kw++)
          if ((kh === 1 || H > 1) && (kw === 1 || W > 1)) taps.push({ input: 'dwWeight', index: (oc * 3 + kh) * 3 + kw });
    const all = (name: string, count: number) => {
      if (optionalInput(c, name) !== null) for (let i = 0; i < count; i++) taps.push({ input: name, index: i });
    };
    all('dwBias', cm);
    all('pwWeight', cout * cm);
    all('pwBias', cout);
    all('gnWeight', cout);
    all('gnBias', cout);
    for (let i = 0; i < cout; i++) taps.push({ input: 'fcWeight', index: k * cout + i });
    if (optionalInput(c, 'fcBias') !== null) taps.push({ input: 'fcBias', index: k });
    return taps;
  },
  kernel: async () => (await import('./kernel.ts')).depthwiseSeparableBlockKernel,
  fast: depthwiseSeparableBlockFast,
};
