/** linear's GPU kernel: the tiled GEMM of ./gemm.ts (A = X rows, B = Wᵀ), in the documented order. */
import { linear, prepareLinear } from './gemm.ts';
import type { OpKernel } from '../types.ts';

export const linearKernel: OpKernel = { run: linear, prepare: (ctx, cases) => prepareLinear(ctx, cases) };
