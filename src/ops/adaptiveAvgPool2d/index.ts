/** adaptiveAvgPool2d: PyTorch's adaptive average pooling of NCHW inputs (./reference.ts states the windows and the order). */
import type { InputTap, OpCase, OpDefinition } from '../types.ts';
import { input } from '../shared/params.ts';
import { adaptiveAvgPool2dBound } from './bounds.ts';
import { adaptiveAvgPool2dCases } from './cases.ts';
import { adaptiveAvgPool2dFast } from './fast.ts';
import { adaptiveAvgPool2dParams } from './params.ts';
import { adaptiveAvgPool2d, adaptiveAvgPool2dGeometry, adaptiveWindow } from './reference.ts';

const args = (c: OpCase) => {
  const x = input(c, 'x');
  return [x, adaptiveAvgPool2dParams.read(c).outputSize] as const;
};

export const adaptiveAvgPool2dOp: OpDefinition<'adaptiveAvgPool2d'> = {
  name: 'adaptiveAvgPool2d',
  inputNames: ['x'],
  params: adaptiveAvgPool2dParams,
  canonical: (c) => ({ case: c, outputShape: adaptiveAvgPool2dOp.outputShape(c) }),
  outputShape(c) {
    const [n, ch, , , oh, ow] = adaptiveAvgPool2dGeometry(...args(c));
    return [n, ch, oh, ow];
  },
  reference: (c, profile) => adaptiveAvgPool2d(...args(c), { profile }),
  bound: (c, accuracy) => adaptiveAvgPool2dBound(...args(c), { accuracy }),
  anyOrderBound: (c, accuracy) => adaptiveAvgPool2dBound(...args(c), { accuracy, order: 'anyOrder' }),
  cases: adaptiveAvgPool2dCases,
  receptiveField(c, outIndex) {
    const [, , h, w, oh, ow] = adaptiveAvgPool2dGeometry(...args(c));
    const j = outIndex % ow;
    const i = Math.floor(outIndex / ow) % oh;
    const plane = Math.floor(outIndex / (ow * oh));
    const [r0, r1] = adaptiveWindow(i, h, oh);
    const [c0, c1] = adaptiveWindow(j, w, ow);
    const taps: InputTap[] = [];
    for (let r = r0; r < r1; r++) for (let q = c0; q < c1; q++) taps.push({ input: 'x', index: (plane * h + r) * w + q });
    return taps;
  },
  kernel: async () => (await import('./kernel.ts')).adaptiveAvgPool2dKernel,
  fast: adaptiveAvgPool2dFast,
};
