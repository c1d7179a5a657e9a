import { expect, test } from 'vitest';
import { getOpSpec } from '../../../src/ops/registry.ts';
import { EXACT_ACCURACY } from '../../../src/ops/types.ts';
import { standardBoundSuite } from '../../support/bounds/gen.ts';

standardBoundSuite('depthwiseSeparableBlock', { sound: 20, special: 15, tight: 20 });

test('a NaN input gives an Infinity bound for its whole sample only', async () => {
  const fc = (await import('fast-check')).default;
  const spec = getOpSpec('depthwiseSeparableBlock');
  const [c] = fc.sample(spec.arbitrary({ maxElements: 256, specialValues: false }).filter((k) => k.inputs['x']!.shape[0] === 2), { numRuns: 1, seed: 5 });
  const x = c!.inputs['x']!;
  const data = x.data.slice();
  data[0] = NaN;
  const b = spec.bound({ ...c!, inputs: { ...c!.inputs, x: { shape: x.shape, data } } }, EXACT_ACCURACY);
  const classes = b.length / 2;
  for (let k = 0; k < classes; k++) {
    expect(b[k]).toBe(Infinity);
    expect(Number.isFinite(b[classes + k]!)).toBe(true);
  }
});
