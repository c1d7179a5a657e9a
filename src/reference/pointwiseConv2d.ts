/** Kept for src/gpu/pointwiseConv2d.ts until that kernel moves into src/ops/pointwiseConv2d (the op lives there). */
export { pointwiseConv2dGeometry } from '../ops/pointwiseConv2d/reference.ts';
