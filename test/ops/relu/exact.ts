/** relu's exact result (test/support/exact.ts): no rounding to undo. */
import type { OpCase } from '../../../src/ops/types.ts';

export const reluExact = (c: OpCase): Float64Array => Float64Array.from(c.inputs['x']!.data, (v) => (v < 0 ? 0 : v));
