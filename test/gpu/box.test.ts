/**
 * Boxes (src/gpu/box.ts) cut chunks' inputs out of a case's tensors and put their outputs back:
 * checked against element-by-element index arithmetic on random views and boxes.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type Box, boxOf, placeBox, ranges, sliceBox } from '../../src/gpu/box.ts';
import { fcParams } from '../support/seed.ts';

/** A view of 1–4 axes and a box in it. */
const arbBox = fc
  .array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 })
  .chain((dims) =>
    fc.tuple(...dims.map((d) => fc.tuple(fc.integer({ min: 0, max: d }), fc.integer({ min: 0, max: d })).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a])))).map((rs) => ({ dims, rs })),
  )
  .map(({ dims, rs }) => boxOf(dims, Object.fromEntries(rs.map((r, i) => [i, r]))));

/** The tensor index of each box element, in the box's row-major order, by plain index arithmetic. */
function naiveIndices(b: Box): number[] {
  const out: number[] = [];
  const walk = (axis: number, at: number): void => {
    if (axis === b.dims.length) {
      out.push(at);
      return;
    }
    for (let i = b.start[axis]!; i < b.start[axis]! + b.extent[axis]!; i++) walk(axis + 1, at * b.dims[axis]! + i);
  };
  walk(0, 0);
  return out;
}

it('sliceBox takes exactly the box elements in row-major order; placeBox writes them back and nothing else', () => {
  fc.assert(
    fc.property(arbBox, (b) => {
      const total = b.dims.reduce((a, d) => a * d, 1);
      const data = Float32Array.from({ length: total }, (_, i) => i + 0.5);
      const idx = naiveIndices(b);
      expect([...sliceBox(data, b)]).toEqual(idx.map((i) => i + 0.5));
      const dst = new Float32Array(total).fill(-1);
      placeBox(dst, b, Float32Array.from(idx, (_, k) => 1000 + k));
      const want = new Float32Array(total).fill(-1);
      idx.forEach((i, k) => (want[i] = 1000 + k));
      expect([...dst]).toEqual([...want]);
    }),
    fcParams(300),
  );
});

it('sliceBox returns a view for one contiguous run and the tensor itself when whole', () => {
  const data = Float32Array.from({ length: 24 }, (_, i) => i);
  expect(sliceBox(data, boxOf([4, 6], {}))).toBe(data);
  const rows = sliceBox(data, boxOf([4, 6], { 0: [1, 3] }));
  expect(rows.buffer).toBe(data.buffer);
  expect([...rows]).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
  expect(sliceBox(data, boxOf([4, 6], { 1: [1, 2] })).buffer).not.toBe(data.buffer);
});

it('boxOf rejects a range outside the view; placeBox a source of the wrong size', () => {
  expect(() => boxOf([4, 6], { 1: [2, 7] })).toThrow(RangeError);
  expect(() => placeBox(new Float32Array(24), boxOf([4, 6], { 0: [0, 1] }), new Float32Array(5))).toThrow(RangeError);
});

it('ranges cover [0, total) in steps of at most per', () => {
  expect(ranges(10, 4)).toEqual([[0, 4], [4, 8], [8, 10]]);
  expect(ranges(0, 4)).toEqual([]);
  expect(() => ranges(10, 0)).toThrow(RangeError);
});
