import { describe, expect, it } from 'vitest';
import { alignUp } from '../../src/reference/index.ts';

describe('alignUp smoke', () => {
  it('rounds up to the alignment', () => {
    expect(alignUp(100n, 16n)).toBe(112n);
    expect(alignUp(112n, 16n)).toBe(112n);
  });
});
