/** linear's GPU kernel: the tiled GEMM of ./gemm.ts (A = X rows, B = Wᵀ), in the documented order. */
export { linearKernel } from './gemm.ts';
