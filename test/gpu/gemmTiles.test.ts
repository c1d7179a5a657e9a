/**
 * The automatic GEMM tile choice on the benchmark shapes is the variant measured fastest on the
 * H100 (figures in src/gpu/gemm.ts pickTiles). Pure host logic: no adapter needed.
 */
import { describe, expect, it } from 'vitest';
import { pickTiles, TILES } from '../../src/gpu/gemm.ts';
import { linearProblem } from '../../src/gpu/linear.ts';
import { pointwiseProblem } from '../../src/gpu/pointwiseConv2d.ts';

const at = { xOff: 0, wOff: 0, bOff: 0, yOff: 0 };

describe('GEMM automatic tile choice', () => {
  it('linear 4096→4096, batch 256 gets medium tiles (H100: medium 0.865 ms, wide 1.09, large 1.23)', () => {
    expect(pickTiles([linearProblem({ n: 256, inF: 4096, outF: 4096, ...at })]).name).toBe('medium');
  });

  it('pointwiseConv2d 256→256 on 32×56×56 gets large tiles (H100: large 0.872 ms, medium 0.918, wide 1.055)', () => {
    expect(pickTiles([pointwiseProblem({ n: 32, cin: 256, hw: 56 * 56, cout: 256, ...at })]).name).toBe('large');
  });

  it('small problems get small tiles; a batch takes the tiles its smallest problem fills', () => {
    expect(pickTiles([linearProblem({ n: 5, inF: 40, outF: 9, ...at })])).toBe(TILES.small);
    expect(pickTiles([linearProblem({ n: 256, inF: 64, outF: 4096, ...at }), linearProblem({ n: 8, inF: 64, outF: 8, ...at })])).toBe(TILES.small);
  });
});
