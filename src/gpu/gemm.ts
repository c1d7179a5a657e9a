/**
 * The tiled shared-memory GEMM behind pointwiseConv2d and linear:
 *   C[m, n] = (Σ_k A(m, k) · B(k, n)) + bias,  per output `acc = +0; for k = 0..K-1: acc = acc + a·b`
 * — exactly the documented per-output order (k ascending, one multiply-add per step, bias last),
 * so tiling changes where operands come from, never the order of the sum. A workgroup computes a
 * TM×TN tile; each of its 256 invocations RM×RN outputs (rows `ty + i·TM/RM`, columns
 * `tx + j·TN/RN`), staging TK-deep slices of A and B in workgroup memory (rows padded by one
 * word so the k-fastest tile stores do not all hit one bank). The last slice is cut
 * at K (no padded zero products are ever added: `+0 + (-0·x)` would change a −0 accumulator).
 *
 * A is always k-contiguous (a weight row, or an activation row of linear); B is n-contiguous for
 * pointwiseConv2d (pixels) and k-contiguous for linear (weight rows), a compile-time choice.
 * Many cases (and many samples of one case) batch into one dispatch through the case table.
 */
import { workgroupGrid } from './dispatch.ts';
import { GRID_BUILTINS, LINEAR_WG, maxPerDim } from './dispatch.ts';
import type { GpuWhere } from './errors.ts';
import { type Encoder, NONE, TableBuilder, tableEncoder, tablePrelude } from './table.ts';
import type { GpuContext } from './types.ts';

export interface TileConfig {
  readonly name: string;
  readonly TM: number;
  readonly TN: number;
  readonly TK: number;
  readonly RM: number;
  readonly RN: number;
}

export type TileName = 'small' | 'medium' | 'wide' | 'large';
export const TILE_NAMES: readonly TileName[] = ['small', 'medium', 'wide', 'large'];

export const TILES: Readonly<Record<TileName, TileConfig>> = {
  small: { name: 'small', TM: 16, TN: 16, TK: 16, RM: 1, RN: 1 },
  medium: { name: 'medium', TM: 64, TN: 64, TK: 16, RM: 4, RN: 4 },
  wide: { name: 'wide', TM: 64, TN: 128, TK: 8, RM: 4, RN: 8 },
  large: { name: 'large', TM: 128, TN: 128, TK: 8, RM: 8, RN: 8 },
};

/** Where A and B live: X (activations) or P (parameters), and B's contiguous axis. */
export interface GemmLayout {
  readonly a: 'X' | 'P';
  readonly b: 'X' | 'P';
  readonly bContiguous: 'k' | 'n';
}

// Record: work start (tiles), aOff, aRow (stride of m), bOff, bK (stride of k), bN (stride of n),
// cOff, cRow (stride of m; n is contiguous), M, N, K, biasOff, biasOnM (1: bias[m], 0: bias[n]),
// aBatch, bBatch, cBatch (per-sample strides), tilesM, tilesN.
const STRIDE = 18;

export interface GemmProblem {
  readonly aOff: number;
  readonly aRow: number;
  readonly bOff: number;
  readonly bK: number;
  readonly bN: number;
  readonly cOff: number;
  readonly cRow: number;
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly biasOff: number;
  readonly biasOnM: boolean;
  readonly batch: number;
  readonly aBatch: number;
  readonly bBatch: number;
  readonly cBatch: number;
}

export function gemmWgsl(t: TileConfig, layout: GemmLayout): string {
  const threadsN = t.TN / t.RN;
  const threadsM = t.TM / t.RM;
  if (threadsM * threadsN !== 256) throw new Error(`tile ${t.name}: ${threadsM}×${threadsN} invocations, need 256`);
  const aLoads = (t.TM * t.TK) / 256;
  const bLoads = (t.TN * t.TK) / 256;
  // A tile load: k fastest (A is k-contiguous). B tile: n fastest when n-contiguous, else k fastest.
  const bLoad =
    layout.bContiguous === 'n'
      ? `let kk = idx / ${t.TN}u; let nn = idx % ${t.TN}u;`
      : `let nn = idx / ${t.TK}u; let kk = idx % ${t.TK}u;`;
  const rows = [...Array(t.RM).keys()];
  const cols = [...Array(t.RN).keys()];
  const decls = rows.map((i) => `  ${cols.map((j) => `var c${i}_${j} = batch.zero;`).join(' ')}`).join('\n');
  const inner = [
    ...rows.map((i) => `      let a${i} = As[kk * ${t.TM + 1}u + ty + ${i * threadsM}u];`),
    ...cols.map((j) => `      let b${j} = Bs[kk * ${t.TN + 1}u + tx + ${j * threadsN}u];`),
    ...rows.flatMap((i) => cols.map((j) => `      c${i}_${j} = c${i}_${j} + a${i} * b${j};`)),
  ].join('\n');
  const epilogue = rows
    .map((i) =>
      [
        `  { let m = m0 + ty + ${i * threadsM}u;`,
        ...cols.map((j) => `    { let n = n0 + tx + ${j * threadsN}u; if (m < M && n < N) { Y[cOff + m * cRow + n] = withBias(c${i}_${j}, biasOff, select(n, m, biasOnM == 1u)); } }`),
        '  }',
      ].join('\n'),
    )
    .join('\n');
  return /* wgsl */ `${tablePrelude(STRIDE)}
fn withBias(acc: f32, biasOff: u32, at: u32) -> f32 {
  if (biasOff == NONE) { return acc; }
  return acc + P[biasOff + at];
}
var<workgroup> As: array<f32, ${t.TK * (t.TM + 1)}>;
var<workgroup> Bs: array<f32, ${t.TK * (t.TN + 1)}>;

@compute @workgroup_size(256)
fn main(${GRID_BUILTINS}) {
  ${LINEAR_WG}
  if (wg >= batch.totalWork) { return; }
  let k = findCase(wg);
  let r = wg - rec(k, 0u);
  let aOff0 = rec(k, 1u); let aRow = rec(k, 2u);
  let bOff0 = rec(k, 3u); let bK = rec(k, 4u); let bN = rec(k, 5u);
  let cOff0 = rec(k, 6u); let cRow = rec(k, 7u);
  let M = rec(k, 8u); let N = rec(k, 9u); let K = rec(k, 10u);
  let biasOff = rec(k, 11u); let biasOnM = rec(k, 12u);
  let tilesM = rec(k, 16u); let tilesN = rec(k, 17u);
  let tn = r % tilesN;
  let tm = (r / tilesN) % tilesM;
  let s = r / (tilesN * tilesM);
  let aOff = aOff0 + s * rec(k, 13u);
  let bOff = bOff0 + s * rec(k, 14u);
  let cOff = cOff0 + s * rec(k, 15u);
  let m0 = tm * ${t.TM}u;
  let n0 = tn * ${t.TN}u;
  let tx = lid % ${threadsN}u;
  let ty = lid / ${threadsN}u;

  // Accumulators, operand fragments and the inner product are unrolled by the builder: plain
  // scalars stay in registers on every backend (dynamically indexed arrays spill on some).
${decls}
  for (var k0 = 0u; k0 < K; k0 += ${t.TK}u) {
    for (var l = 0u; l < ${aLoads}u; l++) {
      let idx = lid + l * 256u;
      let mm = idx / ${t.TK}u; let kk = idx % ${t.TK}u;
      let m = m0 + mm; let kg = k0 + kk;
      As[kk * ${t.TM + 1}u + mm] = select(0.0, ${layout.a}[aOff + min(m, M - 1u) * aRow + min(kg, K - 1u)], m < M && kg < K);
    }
    for (var l = 0u; l < ${bLoads}u; l++) {
      let idx = lid + l * 256u;
      ${bLoad}
      let n = n0 + nn; let kg = k0 + kk;
      Bs[kk * ${t.TN + 1}u + nn] = select(0.0, ${layout.b}[bOff + min(kg, K - 1u) * bK + min(n, N - 1u) * bN], n < N && kg < K);
    }
    workgroupBarrier();
    // Cut at K: the padded part of the last slice is never added.
    let kn = min(${t.TK}u, K - k0);
    for (var kk = 0u; kk < kn; kk++) {
${inner}
    }
    workgroupBarrier();
  }

${epilogue}
}`;
}

/** Test-only: REFSIM_TEST_GEMM_TILES=small|medium|wide|large forces a tile configuration. */
function forcedTiles(): TileConfig | null {
  const v = process.env['REFSIM_TEST_GEMM_TILES'];
  return (TILE_NAMES as readonly string[]).includes(v ?? '') ? TILES[v as TileName] : null;
}

const workgroupsFor = (t: TileConfig, problems: readonly GemmProblem[]): number =>
  problems.reduce((s, p) => s + p.batch * Math.ceil(p.M / t.TM) * Math.ceil(p.N / t.TN), 0);

/**
 * The tile configuration for a batch: large tiles only where every problem fills them and there
 * are still enough workgroups to occupy a big GPU (~256); else medium, else small. Tiles never
 * change an output's summation order (gemmWgsl), so the choice is free to follow speed.
 *
 * Measured on the H100 (Vulkan, driver 580.159.04; bench:gpu rows with forced tiles, same run):
 * - linear 4096→4096, batch 256 (M = 256, N = 4096): medium 0.865 ms, wide 1.09, large 1.23.
 *   Large gives 2×32 = 64 workgroups and wide 4×32 = 128, fewer than the card's 132 SMs; medium
 *   gives 4×64 = 256: the rule picks medium, the fastest.
 * - pointwiseConv2d 256→256 on 32×56×56 (M = 256, N = 3136, 32 samples): large 0.872 ms,
 *   medium 0.918, wide 1.055; large gives 2×25×32 = 1600 workgroups: the rule picks large, the
 *   fastest.
 * The same run's default rows (this choice, i.e. the same pipelines) read 2.53 ms for linear and
 * 0.669 for pointwise: a timing-order effect, not the choice; bench:gpu times the default rows
 * again after the variants to show it. test/gpu/gemmTiles.test.ts pins both choices.
 */
export function pickTiles(problems: readonly GemmProblem[]): TileConfig {
  const minM = Math.min(...problems.map((p) => p.M));
  const minN = Math.min(...problems.map((p) => p.N));
  if (minM >= 128 && minN >= 128 && workgroupsFor(TILES.large, problems) >= 256) return TILES.large;
  if (minM >= 64 && minN >= 128 && workgroupsFor(TILES.wide, problems) >= 256) return TILES.wide;
  if (minM >= 48 && minN >= 48) return TILES.medium;
  return TILES.small;
}

export async function gemmEncoder(
  ctx: GpuContext,
  where: GpuWhere,
  layout: GemmLayout,
  problems: readonly GemmProblem[],
  buffers: { x: GPUBuffer; p: GPUBuffer; y: GPUBuffer },
  tiles: TileConfig = forcedTiles() ?? pickTiles(problems),
): Promise<Encoder> {
  const table = new TableBuilder(STRIDE);
  for (const q of problems) {
    const tilesM = Math.ceil(q.M / tiles.TM);
    const tilesN = Math.ceil(q.N / tiles.TN);
    table.add(q.batch * tilesM * tilesN, [
      q.aOff, q.aRow, q.bOff, q.bK, q.bN, q.cOff, q.cRow, q.M, q.N, q.K,
      q.biasOff, q.biasOnM ? 1 : 0, q.aBatch, q.bBatch, q.cBatch, tilesM, tilesN,
    ]);
  }
  const key = `gemm/${layout.a}${layout.b}${layout.bContiguous}/${tiles.name}`;
  return tableEncoder(ctx, where, key, () => gemmWgsl(tiles, layout), table, buffers, workgroupGrid(table.totalWork, maxPerDim(ctx)));
}

export { NONE };
