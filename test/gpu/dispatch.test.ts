import fc from 'fast-check';
import { expect, it } from 'vitest';
import { invocationGrid, workgroupGrid } from '../../src/gpu/dispatch.ts';
import { fcParams } from '../support/seed.ts';

it('workgroupGrid covers every work unit within the per-dimension limit', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 65535 }), (n, max) => {
      fc.pre(Math.ceil(Math.max(1, n) / max) <= max);
      const g = workgroupGrid(n, max);
      expect(g.x).toBeLessThanOrEqual(max);
      expect(g.y).toBeLessThanOrEqual(max);
      expect(g.x * g.y).toBeGreaterThanOrEqual(Math.max(1, n));
      // No whole spare row: the fold wastes less than one row of workgroups.
      expect(g.x * (g.y - 1)).toBeLessThan(Math.max(1, n));
    }),
    fcParams(500),
  );
});

it('invocationGrid rounds invocations up to whole workgroups', () => {
  expect(invocationGrid(257, 256)).toEqual({ x: 2, y: 1 });
  expect(invocationGrid(0, 256)).toEqual({ x: 1, y: 1 });
  expect(invocationGrid(65536 * 256, 256)).toEqual({ x: 32768, y: 2 });
});

it('refuses a dispatch beyond the two-dimensional limit', () => {
  expect(() => workgroupGrid(10 * 10 + 1, 10)).toThrow(RangeError);
});
