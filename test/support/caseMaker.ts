/**
 * Cases from named input shapes, filled from a seeded Rng with multiples of 1/250 in [−4, 4]
 * (test/gpu/chunking, boundaries and fold): values whose products and short sums stay exact enough
 * for bit comparisons, reproducible from the seed.
 */
import type { OpCase, OpName } from '../../src/ops/types.ts';
import { Rng } from '../../src/util/rng.ts';

export type CaseMaker = (op: OpName, params: OpCase['params'], shapes: Record<string, number[] | null>) => OpCase;

/** A maker drawing from `new Rng(seed)`: each call continues the same sequence. */
export function caseMaker(seed: number): CaseMaker {
  const rng = new Rng(seed);
  const next = (): number => Math.floor(rng.next() * 2001) / 250 - 4;
  return (op, params, shapes) => ({
    op,
    params,
    inputs: Object.fromEntries(
      Object.entries(shapes).map(([k, s]) => [k, s === null ? null : { shape: s, data: Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, next) }]),
    ),
  });
}
