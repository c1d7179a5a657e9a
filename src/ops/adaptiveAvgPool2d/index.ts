/** adaptiveAvgPool2d: PyTorch's adaptive average pooling of (N, C, H, W) and (C, H, W) inputs (./reference.ts states the forms, the windows and the order). */
import { type InputTap, type OpCase, type OpDefinition, restoreOutput } from '../types.ts';
import { input } from '../shared/params.ts';
import { adaptiveAvgPool2dCanonical } from './canonical.ts';
import { adaptiveAvgPool2dBound } from './bounds.ts';
import { adaptiveAvgPool2dCases } from './cases.ts';
import { adaptiveAvgPool2dFast } from './fast.ts';
import { adaptiveAvgPool2dParams } from './params.ts';
import { adaptiveAvgPool2dCore, adaptiveAvgPool2dGeometry, adaptiveWindow } from './reference.ts';

/** The canonical case's x and outputSize (a pair). */
const args = (c: OpCase) => {
  const k = adaptiveAvgPool2dCanonical(c).case;
  return [input(k, 'x'), adaptiveAvgPool2dParams.read(k).outputSize as [number, number]] as const;
};

export const adaptiveAvgPool2dOp: OpDefinition<'adaptiveAvgPool2d'> = {
  name: 'adaptiveAvgPool2d',
  inputNames: ['x'],
  params: adaptiveAvgPool2dParams,
  canonical: adaptiveAvgPool2dCanonical,
  outputShape: (c) => adaptiveAvgPool2dCanonical(c).outputShape,
  reference(c, profile) {
    const k = adaptiveAvgPool2dCanonical(c);
    return restoreOutput(k, adaptiveAvgPool2dCore(...args(k.case), { profile }));
  },
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
