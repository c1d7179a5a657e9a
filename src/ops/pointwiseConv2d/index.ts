/** pointwiseConv2d: a 1×1 convolution of (N, C, H, W) and (C, H, W) inputs, per pixel y = W·x + bias, with optional padding (./reference.ts states the forms and the order). */
import { pointwiseConv2dCore, pointwiseConv2dGeometry } from './reference.ts';
import { pointwiseConv2dBound } from './bounds.ts';
import { type InputTap, type OpCase, type OpDefinition, restoreOutput } from '../types.ts';
import { input, optionalInput } from '../shared/params.ts';
import { pointwiseConv2dCanonical, pointwiseForm } from './canonical.ts';
import { pointwiseConv2dCases } from './cases.ts';
import { pointwiseConv2dFast } from './fast.ts';
import { pointwiseConv2dParams } from './params.ts';

const inputs = (c: OpCase) => [input(c, 'x'), input(c, 'weight'), optionalInput(c, 'bias')] as const;
const padding = (c: OpCase) => pointwiseConv2dParams.read(c).padding;

export const pointwiseConv2dOp: OpDefinition<'pointwiseConv2d'> = {
  name: 'pointwiseConv2d',
  inputNames: ['x', 'weight', 'bias'],
  params: pointwiseConv2dParams,
  canonical: pointwiseConv2dCanonical,
  outputShape: (c) => pointwiseConv2dCanonical(c).outputShape,
  reference(c, profile) {
    const k = pointwiseConv2dCanonical(c);
    return restoreOutput(k, pointwiseConv2dCore(...inputs(k.case), { profile }));
  },
  bound: (c, accuracy) => pointwiseConv2dBound(...inputs(c), { accuracy, padding: padding(c) }),
  anyOrderBound: (c, accuracy) => pointwiseConv2dBound(...inputs(c), { accuracy, order: 'anyOrder', padding: padding(c) }),
  cases: pointwiseConv2dCases,
  receptiveField(c, outIndex) {
    const [x, weight, bias] = inputs(c);
    const f = pointwiseForm(x, weight, bias, padding(c));
    const [n, cin, h, w, cout] = pointwiseConv2dGeometry(f.x, weight, bias);
    const [ph, pw] = f.border?.padding ?? [0, 0];
    const [H, W] = [h + 2 * ph, w + 2 * pw];
    const [r, q] = [Math.floor(outIndex / W) % H - ph, (outIndex % W) - pw];
    const co = Math.floor(outIndex / (H * W)) % cout;
    const b = Math.floor(outIndex / (H * W * cout));
    const taps: InputTap[] = [];
    // An output in the padding has no taps inside the input: only the bias feeds it.
    if (r >= 0 && r < h && q >= 0 && q < w && b < n) {
      const p = r * w + q;
      for (let ci = 0; ci < cin; ci++) taps.push({ input: 'x', index: (b * cin + ci) * h * w + p });
      for (let ci = 0; ci < cin; ci++) taps.push({ input: 'weight', index: co * cin + ci });
    }
    if (bias !== null) taps.push({ input: 'bias', index: co });
    return taps;
  },
  kernel: async () => (await import('./kernel.ts')).pointwiseConv2dKernel,
  fast: pointwiseConv2dFast,
};
