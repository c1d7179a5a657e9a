/** pointwiseConv2d's GPU kernel: the tiled GEMM of ./gemm.ts (per sample W · X), in the documented order. */
import { pointwiseConv2d, preparePointwiseConv2d } from './gemm.ts';
import type { OpKernel } from '../types.ts';

export const pointwiseConv2dKernel: OpKernel = { run: pointwiseConv2d, prepare: (ctx, cases) => preparePointwiseConv2d(ctx, cases) };
