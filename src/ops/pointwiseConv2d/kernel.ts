/** pointwiseConv2d's GPU kernel: the tiled GEMM of ./gemm.ts (per sample W · X), in the documented order. */
export { pointwiseConv2dKernel } from './gemm.ts';
