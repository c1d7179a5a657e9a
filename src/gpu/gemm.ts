/**
 * The tiled shared-memory GEMM behind pointwiseConv2d and linear:
 *   C[m, n] = (Σ_k A(m, k) · B(k, n)) + bias,  per output `acc = +0; for k = 0..K-1: acc = acc + a·b`
 * — exactly the documented per-output order (k ascending, one multiply-add per step, bias last),
 * so tiling changes where operands come from, never the order of the sum. A workgroup computes a
 * TM×TN tile; each of its 256 invocations owns RM×RN outputs and walks k outermost, one
 * multiply-add per owned output per k. K is cut into TK-deep slices staged in workgroup memory;
 * the last slice is cut at K (no padded zero products are ever added: `+0 + (-0·x)` would change
 * a −0 accumulator). Rows and columns past M and N read clamped (valid, unused) operands and are
 * never written.
 *
 * Two kernel shapes (TileConfig.kind):
 * - 'scalar': one shared slice; an invocation's outputs are rows `ty + i·TM/RM`, columns
 *   `tx + j·TN/RN`, and every operand is one 32-bit shared-memory read.
 * - 'vec4': two shared stages (the next slice's global loads are issued before this slice's
 *   multiply-adds and stored to the other stage after them, one barrier per slice); an
 *   invocation's outputs are groups of 4 consecutive rows and 4 consecutive columns, so each
 *   operand fragment is one 128-bit shared-memory read (RM/4 + RN/4 reads per k for RM·RN
 *   multiply-adds). The k loop of a full slice is unrolled by the builder, so every shared
 *   index except the invocation's own row/column group is a constant (docs/gpu-performance.md).
 *
 * A is always k-contiguous (a weight row, or an activation row of linear); B is n-contiguous for
 * pointwiseConv2d (pixels) and k-contiguous for linear (weight rows), a compile-time choice.
 * Many cases (and many samples of one case) batch into one dispatch through the case table.
 */
import { workgroupGrid } from './dispatch.ts';
import { maxPerDim } from './dispatch.ts';
import { tableMain } from './entry.ts';
import type { GpuWhere } from './errors.ts';
import { tableReads, tableRecord } from './record.ts';
import { type Encoder, NONE, TableBuilder, tableEncoder, tablePrelude } from './table.ts';
import { forcedGemmTiles } from '../testHooks.ts';
import type { GpuContext } from './types.ts';

export interface TileConfig {
  readonly name: string;
  readonly TM: number;
  readonly TN: number;
  readonly TK: number;
  readonly RM: number;
  readonly RN: number;
  /** The kernel shape (see the file comment): 'scalar' or 'vec4' (double-buffered, 128-bit fragments). */
  readonly kind: 'scalar' | 'vec4';
}

export type TileName = 'small' | 'medium' | 'wide' | 'large' | 'v4-64x64' | 'v4-128x64' | 'v4-128x128';
export const TILE_NAMES: readonly TileName[] = ['small', 'medium', 'wide', 'large', 'v4-64x64', 'v4-128x64', 'v4-128x128'];

export const TILES: Readonly<Record<TileName, TileConfig>> = {
  small: { name: 'small', TM: 16, TN: 16, TK: 16, RM: 1, RN: 1, kind: 'scalar' },
  medium: { name: 'medium', TM: 64, TN: 64, TK: 16, RM: 4, RN: 4, kind: 'scalar' },
  wide: { name: 'wide', TM: 64, TN: 128, TK: 8, RM: 4, RN: 8, kind: 'scalar' },
  large: { name: 'large', TM: 128, TN: 128, TK: 8, RM: 8, RN: 8, kind: 'scalar' },
  'v4-64x64': { name: 'v4-64x64', TM: 64, TN: 64, TK: 16, RM: 4, RN: 4, kind: 'vec4' },
  'v4-128x64': { name: 'v4-128x64', TM: 128, TN: 64, TK: 16, RM: 8, RN: 4, kind: 'vec4' },
  'v4-128x128': { name: 'v4-128x128', TM: 128, TN: 128, TK: 8, RM: 8, RN: 8, kind: 'vec4' },
};

/** Invocations per workgroup, every configuration. */
const THREADS = 256;

/** Workgroup memory a configuration's kernel declares, in bytes (checked against the device's limit). */
export function workgroupBytes(t: TileConfig): number {
  // vec4: two stages of TK rows of TM/4 (TN/4) vec4s plus one vec4 of padding per row.
  if (t.kind === 'vec4') return 2 * t.TK * (t.TM / 4 + 1 + t.TN / 4 + 1) * 16;
  return t.TK * (t.TM + 1 + t.TN + 1) * 4;
}

/** Where A and B live: X (activations) or P (parameters), and B's contiguous axis. */
export interface GemmLayout {
  readonly a: 'X' | 'P';
  readonly b: 'X' | 'P';
  readonly bContiguous: 'k' | 'n';
}

/**
 * A problem's record (work units: tiles): aOff0, aRow (stride of m), bOff0, bK (stride of k), bN
 * (stride of n), cOff0, cRow (stride of m; n is contiguous), M, N, K, biasOff, biasOnM (1: bias[m],
 * 0: bias[n]), aBatch, bBatch, cBatch (per-sample strides), tilesM, tilesN.
 */
export const GEMM_RECORD = tableRecord('gemm record', {
  aOff0: 'u32', aRow: 'u32', bOff0: 'u32', bK: 'u32', bN: 'u32', cOff0: 'u32', cRow: 'u32', M: 'u32', N: 'u32', K: 'u32',
  biasOff: 'u32', biasOnM: 'u32', aBatch: 'u32', bBatch: 'u32', cBatch: 'u32', tilesM: 'u32', tilesN: 'u32',
});

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

/** WGSL shared by both kernel shapes: the bias step and the tile's case record, offsets and origin. */
function tileHeader(): string {
  return /* wgsl */ `fn withBias(acc: f32, biasOff: u32, at: u32) -> f32 {
  if (biasOff == NONE) { return acc; }
  return acc + P[biasOff + at];
}`;
}

/** `fn main` up to the tile's origin: the table entry (tableMain, one tile per workgroup), its record, offsets and first row and column. */
function tileMain(t: TileConfig): string {
  return /* wgsl */ `${tableMain('workgroup', THREADS)}
${tableReads(GEMM_RECORD)}
  let tn = r % tilesN;
  let tm = (r / tilesN) % tilesM;
  let s = r / (tilesN * tilesM);
  let aOff = aOff0 + s * aBatch;
  let bOff = bOff0 + s * bBatch;
  let cOff = cOff0 + s * cBatch;
  let m0 = tm * ${t.TM}u;
  let n0 = tn * ${t.TN}u;`;
}

/** WGSL storing output (m, n) from accumulator `acc`, bias added last; rows and columns past M, N skipped. */
const storeOutput = (m: string, n: string, acc: string): string =>
  `{ let m = ${m}; let n = ${n}; if (m < M && n < N) { Y[cOff + m * cRow + n] = withBias(${acc}, biasOff, select(n, m, biasOnM == 1u)); } }`;

export function gemmWgsl(t: TileConfig, layout: GemmLayout): string {
  if ((t.TM / t.RM) * (t.TN / t.RN) !== THREADS) throw new Error(`tile ${t.name}: ${t.TM / t.RM}×${t.TN / t.RN} invocations, need ${THREADS}`);
  return t.kind === 'vec4' ? vec4GemmWgsl(t, layout) : scalarGemmWgsl(t, layout);
}

function scalarGemmWgsl(t: TileConfig, layout: GemmLayout): string {
  const threadsN = t.TN / t.RN;
  const threadsM = t.TM / t.RM;
  const aLoads = (t.TM * t.TK) / THREADS;
  const bLoads = (t.TN * t.TK) / THREADS;
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
    .flatMap((i) => cols.map((j) => `  ${storeOutput(`m0 + ty + ${i * threadsM}u`, `n0 + tx + ${j * threadsN}u`, `c${i}_${j}`)}`))
    .join('\n');
  return /* wgsl */ `${tablePrelude(GEMM_RECORD)}
${tileHeader()}
var<workgroup> As: array<f32, ${t.TK * (t.TM + 1)}>;
var<workgroup> Bs: array<f32, ${t.TK * (t.TN + 1)}>;

${tileMain(t)}
  let tx = lid % ${threadsN}u;
  let ty = lid / ${threadsN}u;

  // Accumulators, operand fragments and the inner product are unrolled by the builder: plain
  // scalars stay in registers on every backend (dynamically indexed arrays spill on some).
${decls}
  for (var k0 = 0u; k0 < K; k0 += ${t.TK}u) {
    for (var l = 0u; l < ${aLoads}u; l++) {
      let idx = lid + l * ${THREADS}u;
      let mm = idx / ${t.TK}u; let kk = idx % ${t.TK}u;
      let m = m0 + mm; let kg = k0 + kk;
      As[kk * ${t.TM + 1}u + mm] = select(0.0, ${layout.a}[aOff + min(m, M - 1u) * aRow + min(kg, K - 1u)], m < M && kg < K);
    }
    for (var l = 0u; l < ${bLoads}u; l++) {
      let idx = lid + l * ${THREADS}u;
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

const XYZW = ['x', 'y', 'z', 'w'] as const;

/**
 * One operand's slice traffic in the vec4 kernel: `decls` (per-invocation constants, hoisted out
 * of the k loop), `load(k0)` (global reads of the slice at k0 into registers; reads past K are
 * clamped to valid, never-used elements) and `store(row0)` (the registers into the shared stage
 * whose first row is `row0`).
 */
interface Fill {
  readonly decls: string;
  load(k0: string): string;
  store(row0: string): string;
}

interface Operand {
  /** Shared array and register prefix. */
  readonly name: 'A' | 'B';
  /** The global buffer (X or P). */
  readonly buffer: 'X' | 'P';
  /** Tile extent along m (A) or n (B), its origin and the problem's size there. */
  readonly extent: number;
  readonly origin: string;
  readonly size: string;
  /** Global element offset, stride of the m/n index and stride of k. */
  readonly off: string;
  readonly strideMN: string;
  readonly strideK: string;
  /** Invocations along this operand's axis (TM/RM or TN/RN). */
  readonly threads: number;
}

/**
 * A k-contiguous operand: each slot is 4 consecutive rows (m or n) at one k, read as 4 scalars
 * (a warp's reads cover TK consecutive k of several rows) and stored as one vec4. Rows of a stage
 * are padded by one vec4, so the stores of TK consecutive k land in different banks.
 */
function kContiguousFill(o: Operand, TK: number): Fill {
  const slots = ((o.extent / 4) * TK) / THREADS;
  const ls = [...Array(slots).keys()];
  const decls = ls.flatMap((l) => [
    `  let ${o.name}kk${l} = (lid + ${l * THREADS}u) % ${TK}u; let ${o.name}q${l} = (lid + ${l * THREADS}u) / ${TK}u;`,
    `  let ${o.name}qi${l} = ${o.name}q${l} / ${o.threads}u; let ${o.name}qt${l} = ${o.name}q${l} % ${o.threads}u;`,
    ...[0, 1, 2, 3].map((r) => `  let ${o.name}base${l}_${r} = ${o.off} + min(${o.origin} + ${o.name}q${l} * 4u + ${r}u, ${o.size} - 1u) * ${o.strideMN};`),
    `  var ${o.name}reg${l}: vec4<f32>;`,
  ]);
  return {
    decls: decls.join('\n'),
    load: (k0) =>
      ls
        .map((l) => {
          const kc = `${o.name}kc${l}`;
          const at = (r: number) => `${o.buffer}[${o.name}base${l}_${r} + ${kc}]`;
          return `    { let ${kc} = min(${k0} + ${o.name}kk${l}, K - 1u) * ${o.strideK}; ${o.name}reg${l} = vec4<f32>(${at(0)}, ${at(1)}, ${at(2)}, ${at(3)}); }`;
        })
        .join('\n'),
    store: (row0) => ls.map((l) => `    ${o.name}s[${row0} + ${o.name}kk${l}].v[${o.name}qi${l}][${o.name}qt${l}] = ${o.name}reg${l};`).join('\n'),
  };
}

/** An n-contiguous operand (B of pointwiseConv2d): one scalar per slot, a warp reads 32 consecutive n of one k. */
function nContiguousFill(o: Operand, TK: number): Fill {
  const slots = (o.extent * TK) / THREADS;
  const ls = [...Array(slots).keys()];
  const decls = ls.flatMap((l) => [
    `  let ${o.name}nn${l} = (lid + ${l * THREADS}u) % ${o.extent}u; let ${o.name}kk${l} = (lid + ${l * THREADS}u) / ${o.extent}u;`,
    `  let ${o.name}qi${l} = ${o.name}nn${l} / ${4 * o.threads}u; let ${o.name}qt${l} = (${o.name}nn${l} / 4u) % ${o.threads}u; let ${o.name}c${l} = ${o.name}nn${l} % 4u;`,
    `  let ${o.name}base${l} = ${o.off} + min(${o.origin} + ${o.name}nn${l}, ${o.size} - 1u) * ${o.strideMN};`,
    `  var ${o.name}reg${l}: f32;`,
  ]);
  return {
    decls: decls.join('\n'),
    load: (k0) => ls.map((l) => `    ${o.name}reg${l} = ${o.buffer}[${o.name}base${l} + min(${k0} + ${o.name}kk${l}, K - 1u) * ${o.strideK}];`).join('\n'),
    store: (row0) => ls.map((l) => `    ${o.name}s[${row0} + ${o.name}kk${l}].v[${o.name}qi${l}][${o.name}qt${l}][${o.name}c${l}] = ${o.name}reg${l};`).join('\n'),
  };
}

/**
 * One k step of the vec4 kernel on shared row `row`: RM/4 + RN/4 vec4 reads, then every owned
 * output's multiply-add (accumulator c{r}_{c}: row group r/4, lane r%4; column group c/4, lane c%4).
 */
function vec4Step(t: TileConfig, row: string, indent: string): string {
  const is = [...Array(t.RM / 4).keys()];
  const js = [...Array(t.RN / 4).keys()];
  const lines = [
    ...is.map((i) => `let a${i} = As[${row}].v[${i}][ty];`),
    ...js.map((j) => `let b${j} = Bs[${row}].v[${j}][tx];`),
  ];
  for (let r = 0; r < t.RM; r++) {
    for (let c = 0; c < t.RN; c++) {
      lines.push(`c${r}_${c} = c${r}_${c} + a${r >> 2}.${XYZW[r & 3]} * b${c >> 2}.${XYZW[c & 3]};`);
    }
  }
  return `${indent}{\n${lines.map((l) => `${indent}  ${l}`).join('\n')}\n${indent}}`;
}

/** k steps written out per iteration of a full slice's k loop (TK is a multiple). */
const UNROLL = 4;

/**
 * The slice loop: each slice's next-slice global reads are issued before its multiply-adds and
 * stored into the other stage after them, then one barrier. A full slice's k loop has a constant
 * trip count and UNROLL steps per iteration (straight-line code a compiler can schedule, and
 * unroll further); the last slice is cut at K, its padded part never added.
 */
function vec4Slices(t: TileConfig, fills: readonly Fill[]): string {
  return `  for (var sl = 0u; sl < nSlices; sl++) {
    let k0 = sl * ${t.TK}u;
    let cur = (sl & 1u) * ${t.TK}u;
    let next = ${t.TK}u - cur;
${fills.map((f) => f.load(`k0 + ${t.TK}u`)).join('\n')}
    let kn = min(${t.TK}u, K - k0);
    if (kn == ${t.TK}u) {
      for (var kk = 0u; kk < ${t.TK}u; kk += ${UNROLL}u) {
${[...Array(UNROLL).keys()].map((u) => vec4Step(t, `cur + kk + ${u}u`, '        ')).join('\n')}
      }
    } else {
      for (var kk = 0u; kk < kn; kk++) {
${vec4Step(t, 'cur + kk', '        ')}
      }
    }
${fills.map((f) => f.store('next')).join('\n')}
    workgroupBarrier();
  }`;
}

function vec4GemmWgsl(t: TileConfig, layout: GemmLayout): string {
  const threadsM = t.TM / t.RM;
  const threadsN = t.TN / t.RN;
  const a: Operand = { name: 'A', buffer: layout.a, extent: t.TM, origin: 'm0', size: 'M', off: 'aOff', strideMN: 'aRow', strideK: '1u', threads: threadsM };
  const b: Operand = { name: 'B', buffer: layout.b, extent: t.TN, origin: 'n0', size: 'N', off: 'bOff', strideMN: 'bN', strideK: 'bK', threads: threadsN };
  const fills = [kContiguousFill(a, t.TK), layout.bContiguous === 'n' ? nContiguousFill(b, t.TK) : kContiguousFill(b, t.TK)];
  const rows = [...Array(t.RM).keys()];
  const cols = [...Array(t.RN).keys()];
  const decls = rows.map((r) => `  ${cols.map((c) => `var c${r}_${c} = batch.zero;`).join(' ')}`).join('\n');
  const epilogue = rows
    .flatMap((r) =>
      cols.map((c) => `  ${storeOutput(`m0 + (ty + ${(r >> 2) * threadsM}u) * 4u + ${r & 3}u`, `n0 + (tx + ${(c >> 2) * threadsN}u) * 4u + ${c & 3}u`, `c${r}_${c}`)}`),
    )
    .join('\n');
  return /* wgsl */ `${tablePrelude(GEMM_RECORD)}
${tileHeader()}
// A stage row holds one k: vec4 slot q = i·G + g (G invocations along the axis) holds rows
// 4q..4q+3; an invocation reads slots g, G + g, ... Indexing [i][g] keeps i a constant.
struct ARow { v: array<array<vec4<f32>, ${threadsM}>, ${t.RM / 4}>, pad: vec4<f32> }
struct BRow { v: array<array<vec4<f32>, ${threadsN}>, ${t.RN / 4}>, pad: vec4<f32> }
var<workgroup> As: array<ARow, ${2 * t.TK}>;
var<workgroup> Bs: array<BRow, ${2 * t.TK}>;

${tileMain(t)}
  let tx = lid % ${threadsN}u;
  let ty = lid / ${threadsN}u;
${fills.map((f) => f.decls).join('\n')}
${decls}
  let nSlices = (K + ${t.TK - 1}u) / ${t.TK}u;
  if (nSlices > 0u) {
${fills.map((f) => f.load('0u')).join('\n')}
${fills.map((f) => f.store('0u')).join('\n')}
  }
  workgroupBarrier();
${vec4Slices(t, fills)}

${epilogue}
}`;
}

/** Test-only: REFSIM_TEST_GEMM_TILES=<a TILE_NAMES entry> forces a tile configuration. */
function forcedTiles(): TileConfig | null {
  const v = forcedGemmTiles();
  return v !== null && (TILE_NAMES as readonly string[]).includes(v) ? TILES[v as TileName] : null;
}

const workgroupsFor = (t: TileConfig, problems: readonly GemmProblem[]): number =>
  problems.reduce((s, p) => s + p.batch * Math.ceil(p.M / t.TM) * Math.ceil(p.N / t.TN), 0);

/**
 * The tile configuration for a batch (`workgroupLimit`: the device's workgroup memory in bytes).
 * Tiles never change an output's summation order (gemmWgsl), so the choice follows speed only:
 * - v4-128x64 where every problem fills most of a 128×64 tile and the batch still gives ≥ 256
 *   workgroups, two per SM of a 132-SM H100 (one loads while the other multiplies): pointwiseConv2d
 *   256→256 at 32×56×56 gives 2×49×32 = 3136 tiles, all full (56·56 = 49·64).
 * - v4-64x64 where every problem fills most of a 64×64 tile: linear 4096→4096 ×256 gives 4×64 =
 *   256 workgroups, where 128×64 tiles would give 128, one per SM.
 * - the scalar-fragment tiles where the device's workgroup memory is below what the vec4 tiles
 *   declare (up to 25.6 KB; WebGPU guarantees 16 KB): large, wide or medium by the same fill and
 *   occupancy rules; small otherwise.
 * bench:gpu times every configuration on both benchmark shapes next to this choice
 * (`[<name> tiles]` rows); test/gpu/gemmTiles.test.ts pins it.
 */
export function pickTiles(problems: readonly GemmProblem[], workgroupLimit = Number.POSITIVE_INFINITY): TileConfig {
  const minM = Math.min(...problems.map((p) => p.M));
  const minN = Math.min(...problems.map((p) => p.N));
  const fits = (t: TileConfig): boolean => workgroupBytes(t) <= workgroupLimit;
  // H100 (bench/RESULTS-gpu.md, gemm rows): 128×128 vec4 tiles were fastest on pointwise 256→256 at
  // 32×56×56 (1,600 workgroups) and slowest on linear 4096→4096 ×256 (64 workgroups): they need
  // many workgroups to fill the GPU; 64×64 was fastest on linear.
  const v4Big = TILES['v4-128x128'];
  if (minM >= 96 && minN >= 96 && fits(v4Big) && workgroupsFor(v4Big, problems) >= 1024) return v4Big;
  const v4Tall = TILES['v4-128x64'];
  if (minM >= 96 && minN >= 48 && fits(v4Tall) && workgroupsFor(v4Tall, problems) >= 256) return v4Tall;
  if (minM >= 48 && minN >= 48 && fits(TILES['v4-64x64'])) return TILES['v4-64x64'];
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
  tiles: TileConfig = forcedTiles() ?? pickTiles(problems, ctx.device.limits.maxComputeWorkgroupStorageSize),
): Promise<Encoder> {
  const table = new TableBuilder(GEMM_RECORD);
  for (const q of problems) {
    const tilesM = Math.ceil(q.M / tiles.TM);
    const tilesN = Math.ceil(q.N / tiles.TN);
    table.add(q.batch * tilesM * tilesN, {
      aOff0: q.aOff, aRow: q.aRow, bOff0: q.bOff, bK: q.bK, bN: q.bN, cOff0: q.cOff, cRow: q.cRow, M: q.M, N: q.N, K: q.K,
      biasOff: q.biasOff, biasOnM: q.biasOnM ? 1 : 0, aBatch: q.aBatch, bBatch: q.bBatch, cBatch: q.cBatch, tilesM, tilesN,
    });
  }
  const key = `gemm/${layout.a}${layout.b}${layout.bContiguous}/${tiles.name}`;
  return tableEncoder(ctx, where, key, () => gemmWgsl(tiles, layout), table, buffers, workgroupGrid(table.totalWork, maxPerDim(ctx)));
}

export { NONE };
