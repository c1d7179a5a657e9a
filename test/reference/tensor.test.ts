/** tensor(): the shape and the data checked against each other before anything is allocated. */
import { describe, expect, it } from 'vitest';
import { MAX_TENSOR_ELEMENTS, tensor } from '../../src/reference/tensor.ts';
import { MAX_TENSOR_ELEMENTS as CHECK_CAP } from '../../src/check/safetensors.ts';
import { expectInputRangeError } from '../support/inputErrors.ts';

describe('tensor()', () => {
  it('copies data of exactly numel(shape) values, zeros without data, any rank', () => {
    expect(Array.from(tensor([2, 2], [1, 2, 3, 4]).data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(tensor([3]).data)).toEqual([0, 0, 0]);
    expect(tensor([], [5])).toEqual({ shape: [], data: Float32Array.of(5) });
    expect(tensor([0, 3]).data.length).toBe(0);
  });

  it('rejects data of another length, bad dims and more than 2^30 elements, naming what is wrong', () => {
    expect(expectInputRangeError(() => tensor([4], [1, 2]), 'data.length').message).toBe('data.length must be 4 (the product of shape [4]); got 2');
    expectInputRangeError(() => tensor([1], [1, 2]), 'data.length');
    expectInputRangeError(() => tensor([2, -1]), 'shape[1]');
    expectInputRangeError(() => tensor([1.5]), 'shape[0]');
    expectInputRangeError(() => tensor([1e30]), 'shape[0]');
    const t0 = performance.now();
    expect(expectInputRangeError(() => tensor([65536, 65536]), 'shape').message).toMatch(/at most 1073741824 \(2\^30\) elements/);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('the cap is the one refsim check reads', () => {
    expect(MAX_TENSOR_ELEMENTS).toBe(2 ** 30);
    expect(CHECK_CAP).toBe(MAX_TENSOR_ELEMENTS);
  });
});
