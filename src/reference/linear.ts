/** Kept for src/gpu/linear.ts until that kernel moves into src/ops/linear (the op lives there). */
export { linearGeometry } from '../ops/linear/reference.ts';
