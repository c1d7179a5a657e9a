/** depthwiseConv2d: PyTorch's conv2d with groups = C on (N, C, H, W) and (C, H, W) inputs (./reference.ts states the forms and the order). */
import { type DepthwiseConv2dOptions, depthwiseConv2dCore, depthwiseConv2dGeometry } from './reference.ts';
import { depthwiseConv2dCanonical } from './canonical.ts';
import { depthwiseConv2dBound } from './bounds.ts';
import { type InputTap, type OpCase, type OpDefinition, restoreOutput } from '../types.ts';
import { input, optionalInput } from '../shared/params.ts';
import { depthwiseConv2dCases } from './cases.ts';
import { depthwiseConv2dFast } from './fast.ts';
import { depthwiseConv2dParams } from './params.ts';

/** The arguments of the case's canonical form (./canonical.ts). */
const args = (c0: OpCase) => {
  const c = depthwiseConv2dCanonical(c0).case;
  const [x, weight, bias] = [input(c, 'x'), input(c, 'weight'), optionalInput(c, 'bias')];
  const opts: DepthwiseConv2dOptions = depthwiseConv2dParams.read(c);
  return [x, weight, bias, opts] as const;
};

export const depthwiseConv2dOp: OpDefinition<'depthwiseConv2d'> = {
  name: 'depthwiseConv2d',
  inputNames: ['x', 'weight', 'bias'],
  params: depthwiseConv2dParams,
  canonical: depthwiseConv2dCanonical,
  outputShape: (c) => depthwiseConv2dCanonical(c).outputShape,
  reference: (c, profile) => restoreOutput(depthwiseConv2dCanonical(c), depthwiseConv2dCore(...args(c), { profile })),
  bound: (c, accuracy) => depthwiseConv2dBound(...args(c), { accuracy }),
  anyOrderBound: (c, accuracy) => depthwiseConv2dBound(...args(c), { accuracy, order: 'anyOrder' }),
  cases: depthwiseConv2dCases,
  receptiveField(c, outIndex) {
    const g = depthwiseConv2dGeometry(...args(c));
    const ow = outIndex % g.ow;
    const oh = Math.floor(outIndex / g.ow) % g.oh;
    const oc = Math.floor(outIndex / (g.ow * g.oh)) % g.cout;
    const b = Math.floor(outIndex / (g.ow * g.oh * g.cout));
    const ic = Math.floor(oc / g.multiplier);
    const xs: InputTap[] = [];
    const ws: InputTap[] = [];
    for (let kh = 0; kh < g.kh; kh++) {
      const ih = oh * g.stride[0] - g.padding[0] + kh * g.dilation[0];
      if (ih < 0 || ih >= g.h) continue;
      for (let kw = 0; kw < g.kw; kw++) {
        const iw = ow * g.stride[1] - g.padding[1] + kw * g.dilation[1];
        if (iw < 0 || iw >= g.w) continue;
        xs.push({ input: 'x', index: ((b * g.c + ic) * g.h + ih) * g.w + iw });
        ws.push({ input: 'weight', index: (oc * g.kh + kh) * g.kw + kw });
      }
    }
    const taps = [...xs, ...ws];
    if (optionalInput(c, 'bias') !== null) taps.push({ input: 'bias', index: oc });
    return taps;
  },
  kernel: async () => (await import('./kernel.ts')).depthwiseConv2dKernel,
  fast: depthwiseConv2dFast,
};
