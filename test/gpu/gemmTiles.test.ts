/**
 * The automatic GEMM tile choice on the benchmark shapes (the rules in src/gpu/gemm.ts pickTiles;
 * bench:gpu times every configuration on both shapes). Pure host logic: no adapter needed.
 */
import { describe, expect, it } from 'vitest';
import { gemmWgsl, pickTiles, TILE_NAMES, TILES, workgroupBytes } from '../../src/gpu/gemm.ts';
import { linearProblem } from '../../src/ops/linear/gemm.ts';
import { pointwiseProblem } from '../../src/ops/pointwiseConv2d/gemm.ts';

const at = { xOff: 0, wOff: 0, bOff: 0, yOff: 0 };
const linear4096 = linearProblem({ n: 256, inF: 4096, outF: 4096, ...at });
const pointwise256 = pointwiseProblem({ n: 32, cin: 256, hw: 56 * 56, cout: 256, ...at });

describe('GEMM automatic tile choice', () => {
  it('linear 4096→4096, batch 256 gets 64×64 vec4 tiles (4×64 = 256 workgroups; 128×64 tiles would give 128)', () => {
    expect(pickTiles([linear4096]).name).toBe('v4-64x64');
  });

  it('pointwiseConv2d 256→256 on 32×56×56 gets 128×128 vec4 tiles (2×25×32 = 1600 workgroups: enough to fill the GPU)', () => {
    expect(pickTiles([pointwise256]).name).toBe('v4-128x128');
  });

  it('a smaller pointwise problem that would give 128×128 tiles too few workgroups gets 128×64 ones', () => {
    expect(pickTiles([pointwiseProblem({ n: 4, cin: 256, hw: 56 * 56, cout: 256, ...at })]).name).toBe('v4-128x64');
  });

  it('a device with WebGPU’s minimum workgroup memory (16 KB) gets the scalar-fragment tiles', () => {
    expect(pickTiles([linear4096], 16384).name).toBe('medium');
    expect(pickTiles([pointwise256], 16384).name).toBe('large');
    for (const t of [TILES.small, TILES.medium, TILES.wide, TILES.large]) expect(workgroupBytes(t)).toBeLessThanOrEqual(16384);
  });

  it('small problems get small tiles; a batch takes the tiles its smallest problem fills', () => {
    expect(pickTiles([linearProblem({ n: 5, inF: 40, outF: 9, ...at })])).toBe(TILES.small);
    expect(pickTiles([linearProblem({ n: 256, inF: 64, outF: 4096, ...at }), linearProblem({ n: 8, inF: 64, outF: 8, ...at })])).toBe(TILES.small);
  });

  it('every configuration fits the 32 KB of workgroup memory the vec4 tiles are written for, and declares what workgroupBytes says', () => {
    for (const name of TILE_NAMES) {
      const t = TILES[name];
      expect(workgroupBytes(t), name).toBeLessThanOrEqual(32768);
      const wgsl = gemmWgsl(t, { a: 'P', b: 'X', bContiguous: 'n' });
      // Declared workgroup arrays: scalar f32 arrays, or arrays of rows of (TM or TN)/4 vec4s plus one vec4 of padding.
      const scalar = [...wgsl.matchAll(/var<workgroup> \w+: array<f32, (\d+)>/g)].reduce((s, m) => s + 4 * Number(m[1]), 0);
      const rows = [...wgsl.matchAll(/var<workgroup> (A|B)s: array<(A|B)Row, (\d+)>/g)].reduce((s, m) => s + Number(m[3]) * 16 * ((m[1] === 'A' ? t.TM : t.TN) / 4 + 1), 0);
      expect(scalar + rows, name).toBe(workgroupBytes(t));
    }
  });
});
