/** linear on the loose backend (test/support/perturbed.ts), in the documented order. */
import type { OpCase } from '../../../src/ops/types.ts';
import { type LooseBackend, looseInput } from '../../support/looseBackend.ts';

type Arr = Float32Array;

export function linear(be: LooseBackend, x: Arr, N: number, IN: number, w: Arr, OUT: number, b: Arr | null) {
  const out = new Float32Array(N * OUT);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < OUT; o++) {
      const acc = be.chain(IN, (a, i) => be.madd(a, x[n * IN + i]!, w[o * IN + i]!));
      out[n * OUT + o] = b === null ? acc : be.add(acc, b[b.length === 1 ? 0 : o]!);
    }
  return out;
}

export function linearLoose(c: OpCase, be: LooseBackend): Float32Array {
  const x = looseInput(c, be, 'x')!;
  const w = looseInput(c, be, 'weight')!;
  // Any accepted form: x (*, in) as rows of in; a 1-D weight is one output; a scalar bias is added to each.
  const IN = w.shape[w.shape.length - 1]!;
  return linear(be, x.data, x.data.length / IN, IN, w.data, w.shape.length === 2 ? w.shape[0]! : 1, looseInput(c, be, 'bias')?.data ?? null);
}
