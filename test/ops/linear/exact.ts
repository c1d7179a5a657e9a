/** linear's exact result (test/support/exact.ts). */
import type { OpCase } from '../../../src/ops/types.ts';
import type { Tensor } from '../../../src/reference/tensor.ts';
import { DD } from '../../support/dd.ts';

/** Any accepted form: x (*, in), weight (out, in) or (in), bias (out), () or none. */
export function exactLinear(x: Tensor, w: Tensor, bias: Tensor | null): Float64Array {
  const IN = w.shape[w.shape.length - 1]!;
  const N = x.data.length / IN;
  const OUT = w.shape.length === 2 ? w.shape[0]! : 1;
  const out = new Float64Array(N * OUT);
  for (let b = 0; b < N; b++)
    for (let o = 0; o < OUT; o++) {
      const acc = new DD();
      for (let i = 0; i < IN; i++) acc.add(x.data[b * IN + i]! * w.data[o * IN + i]!);
      if (bias !== null) acc.add(bias.data[bias.shape.length === 0 ? 0 : o]!);
      out[b * OUT + o] = acc.value();
    }
  return out;
}

export const linearExact = (c: OpCase): Float64Array => exactLinear(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null);
