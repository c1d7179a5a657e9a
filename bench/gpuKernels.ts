/**
 * The `kernels` suite of `npm run bench:gpu`: each WGSL kernel on the issue's shapes, timed with
 * timestamp queries around a compute pass of back-to-back dispatches, in interleaved rounds after a
 * common warm-up (bench/gpuTimer.ts),
 * next to the PyTorch CUDA time of the same op and shape measured in the same run by
 * scripts/torch_timings.py. The `gemm` suite is its GEMM rows alone (linear and pointwiseConv2d,
 * every tile configuration). Every GEMM row's output is spot-checked bit for bit against the
 * reference under the probed profile (bench/gpuSpotCheck.ts). `--quick` shrinks the shapes for
 * software adapters.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describeAdapter, type RefsimGpu } from '../src/gpu/device.ts';
import type { PreparedBatch } from '../src/gpu/kernel.ts';
import { prepareDepthwiseConv2d } from '../src/ops/depthwiseConv2d/kernel.ts';
import { pickTiles, TILE_NAMES, TILES } from '../src/gpu/gemm.ts';
import { linearProblem, prepareLinear } from '../src/ops/linear/gemm.ts';
import { pointwiseProblem, preparePointwiseConv2d } from '../src/ops/pointwiseConv2d/gemm.ts';
import { gpuPrepare } from '../src/gpu/registry.ts';
import type { OpCase, OpName } from '../src/ops/types.ts';
import type { Tensor } from '../src/reference/tensor.ts';
import { spotCheckGemm } from './gpuSpotCheck.ts';
import { Rng } from '../src/util/rng.ts';
import { REPEAT, ROUNDS, type Timing, timeInRounds } from './gpuTimer.ts';
import type { BenchRow } from './lib.ts';
import { runProbe } from '../src/gpu/probe.ts';
import type { Profile } from '../src/reference/tensor.ts';

interface KernelSpec {
  readonly key: string;
  readonly label: string;
  readonly op: OpName;
  /** Goal on WGSL time / PyTorch time. */
  readonly goal: number;
  readonly torch: Record<string, number | string>;
  readonly make: () => OpCase;
  /** A non-default kernel variant (extra rows so the variants can be compared on the GPU machine). */
  readonly prepare?: (ctx: RefsimGpu, cases: readonly OpCase[]) => Promise<PreparedBatch>;
  /** Bytes a perfect kernel moves, for GB/s (memory-bound kernels). */
  readonly bytes?: number;
  /** Floating-point operations, for GFLOP/s (GEMMs). */
  readonly flops?: number;
}

const rng = new Rng(0x2545f491);
function randomTensor(shape: number[]): Tensor {
  return { shape, data: rng.fill(new Float32Array(shape.reduce((a, b) => a * b, 1)), -1, 1) };
}

const isGemm = (s: KernelSpec): boolean => s.op === 'linear' || s.op === 'pointwiseConv2d';

/** The default specs plus rows for the other kernel variants of the same shapes (GEMM ops only with `gemmOnly`). */
export function kernelSpecs(quick: boolean, gemmOnly = false): KernelSpec[] {
  const base = defaultSpecs(quick).filter((s) => !gemmOnly || isGemm(s));
  const variants: KernelSpec[] = [];
  for (const s of base) {
    if (s.op === 'depthwiseConv2d') {
      variants.push({ ...s, label: `${s.label} [generic variant]`, prepare: (ctx, cases) => prepareDepthwiseConv2d(ctx, cases, 'generic') });
    }
    if (s.op === 'pointwiseConv2d' || s.op === 'linear') {
      for (const t of TILE_NAMES.filter((n) => n !== 'small')) {
        const prepare = s.op === 'linear' ? prepareLinear : preparePointwiseConv2d;
        variants.push({ ...s, label: `${s.label} [${t} tiles]`, prepare: (ctx, cases) => prepare(ctx, cases, TILES[t]) });
      }
    }
  }
  // The default GEMM rows once more, after the variants: an H100 run once read the default linear
  // row 2.9× slower than the same pipeline forced; timing it again at the end shows whether the
  // row order, not the choice, differs.
  const again = base
    .filter(isGemm)
    .map((s) => ({ ...s, label: `${s.label} [default (${autoTiles(s.make())} tiles), timed again last]` }));
  return [...base, ...variants, ...again];
}

/** The tile configuration pickTiles gives one GEMM case. */
function autoTiles(c: OpCase): string {
  const shape = (name: string) => c.inputs[name]?.shape ?? [];
  const at = { xOff: 0, wOff: 0, bOff: 0, yOff: 0 };
  if (c.op === 'linear') {
    const [n = 1, inF = 1] = shape('x');
    return pickTiles([linearProblem({ n, inF, outF: shape('weight')[0] ?? 1, ...at })]).name;
  }
  const [n = 1, cin = 1, h = 1, w = 1] = shape('x');
  return pickTiles([pointwiseProblem({ n, cin, hw: h * w, cout: shape('weight')[0] ?? 1, ...at })]).name;
}

function defaultSpecs(quick: boolean): KernelSpec[] {
  const [n, c, h, w] = quick ? [2, 64, 28, 28] : [32, 256, 56, 56];
  const [batch, inF, outF] = quick ? [32, 512, 512] : [256, 4096, 4096];
  const shape = `${n}×${c}×${h}×${w}`;
  const elems = n * c * h * w;
  const x = () => randomTensor([n, c, h, w]);
  return [
    {
      key: 'dwconv3x3', label: `depthwiseConv2d 3×3 pad 1, ${shape}`, op: 'depthwiseConv2d', goal: 0.5,
      torch: { kind: 'dwconv3x3', n, c, h, w }, bytes: 8 * elems,
      make: () => ({ op: 'depthwiseConv2d', params: { stride: 1, padding: 1, dilation: 1 }, inputs: { x: x(), weight: randomTensor([c, 1, 3, 3]), bias: randomTensor([c]) } }),
    },
    {
      key: 'pwconv', label: `pointwiseConv2d ${c}→${c}, ${shape}`, op: 'pointwiseConv2d', goal: 1.2,
      torch: { kind: 'pwconv', n, c, h, w, cout: c }, flops: 2 * elems * c,
      make: () => ({ op: 'pointwiseConv2d', params: {}, inputs: { x: x(), weight: randomTensor([c, c, 1, 1]), bias: randomTensor([c]) } }),
    },
    {
      key: 'groupnorm', label: `groupNorm G=32 affine, ${shape}`, op: 'groupNorm', goal: 1.2,
      torch: { kind: 'groupnorm', n, c, h, w, groups: 32 }, bytes: 8 * elems,
      make: () => ({ op: 'groupNorm', params: { numGroups: 32, eps: 1e-5 }, inputs: { x: x(), weight: randomTensor([c]), bias: randomTensor([c]) } }),
    },
    {
      key: 'relu', label: `relu, ${shape}`, op: 'relu', goal: 1.2,
      torch: { kind: 'relu', n, c, h, w }, bytes: 8 * elems,
      make: () => ({ op: 'relu', params: {}, inputs: { x: x() } }),
    },
    {
      key: 'pool1', label: `adaptiveAvgPool2d → 1, ${shape}`, op: 'adaptiveAvgPool2d', goal: 1.2,
      torch: { kind: 'pool1', n, c, h, w }, bytes: 4 * elems,
      make: () => ({ op: 'adaptiveAvgPool2d', params: { outputSize: 1 }, inputs: { x: x() } }),
    },
    {
      key: 'linear', label: `linear ${inF}→${outF}, batch ${batch}`, op: 'linear', goal: 1.2,
      torch: { kind: 'linear', batch, inF, outF }, flops: 2 * batch * inF * outF,
      make: () => ({ op: 'linear', params: {}, inputs: { x: randomTensor([batch, inF]), weight: randomTensor([outF, inF]), bias: randomTensor([outF]) } }),
    },
  ];
}

interface TorchResult {
  readonly available: boolean;
  readonly reason?: string;
  readonly device?: string;
  readonly torch?: string;
  readonly timings?: Record<string, number>;
}

export function torchTimings(specs: readonly KernelSpec[]): TorchResult {
  const script = fileURLToPath(new URL('../scripts/torch_timings.py', import.meta.url));
  const unique = specs.filter((s, i) => specs.findIndex((t) => t.key === s.key) === i);
  const arg = JSON.stringify(unique.map((s) => ({ key: s.key, ...s.torch })));
  const r = spawnSync('python3', [script, arg], { encoding: 'utf8', timeout: 600_000 });
  if (r.error !== undefined) return { available: false, reason: `python3 not runnable (${r.error.message})` };
  if (r.status !== 0) return { available: false, reason: `torch_timings.py exited ${r.status}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0] ?? '') as TorchResult;
  } catch {
    return { available: false, reason: `unreadable torch_timings.py output: ${r.stdout.slice(0, 200)}` };
  }
}

export function kernelsSuite(ctx: RefsimGpu, opts: { quick: boolean; log: (s: string) => void }): Promise<{ rows: BenchRow[]; notes: string[] }> {
  return runSpecs(ctx, kernelSpecs(opts.quick), opts);
}

function spotCheckNote(checks: readonly { label: string; checked: number; differing: number }[], profile: Profile): string {
  const bad = checks.filter((c) => c.differing > 0);
  const head = `- GEMM spot checks (bench/gpuSpotCheck.ts; profile ${profile} from the probe): `;
  if (bad.length === 0) return `${head}every row's ${[...new Set(checks.map((c) => c.checked))].join(' or ')} sampled outputs equal the reference bit for bit`;
  return `${head}${bad.map((c) => `${c.label}: ${c.differing} of ${c.checked} differ`).join('; ')}`;
}

/** The GEMM rows alone (`npm run bench:gpu -- gemm`). */
export function gemmSuite(ctx: RefsimGpu, opts: { quick: boolean; log: (s: string) => void }): Promise<{ rows: BenchRow[]; notes: string[] }> {
  return runSpecs(ctx, kernelSpecs(opts.quick, true), opts);
}

interface Prepared {
  readonly spec: KernelSpec;
  readonly c: OpCase;
  readonly batch: PreparedBatch;
}

/** Each spec's batch, or why the device cannot run it (one configuration must not cost the rest of a one-shot run on a lent machine). */
async function prepareAll(ctx: RefsimGpu, specs: readonly KernelSpec[]): Promise<(Prepared | { readonly spec: KernelSpec; readonly error: string })[]> {
  const out: (Prepared | { readonly spec: KernelSpec; readonly error: string })[] = [];
  for (const spec of specs) {
    const c = spec.make();
    try {
      out.push({ spec, c, batch: await (spec.prepare ?? gpuPrepare[spec.op])(ctx, [c]) });
    } catch (e) {
      out.push({ spec, error: e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e) });
    }
  }
  return out;
}

function kernelRow(s: KernelSpec, timing: Timing, t: number | undefined, torchReason: string | undefined, differing: number): BenchRow {
  const rate = s.bytes !== undefined ? `${(s.bytes / timing.ms / 1e6).toPrecision(3)} GB/s` : s.flops !== undefined ? `${(s.flops / timing.ms / 1e9).toPrecision(3)} TFLOP/s` : '';
  const ratio = t === undefined ? null : timing.ms / t;
  const wrong = differing > 0 ? ` — ${differing} SAMPLED OUTPUTS DIFFER FROM THE REFERENCE` : '';
  return {
    suite: 'gpu kernels',
    name: `${ratio === null ? `${s.label} (goal ≤ ${s.goal}× PyTorch)` : s.label}${wrong}`,
    value: `${timing.ms.toFixed(4)} ms (${rate})`,
    baseline: t === undefined ? `PyTorch: unavailable (${torchReason ?? 'no timing'})` : `PyTorch CUDA: ${t.toFixed(4)} ms`,
    ratio,
    ratioLabel: 'WGSL / PyTorch time',
    // Without a baseline there is no ratio to judge: the goal is shown in the name instead.
    ...(ratio === null ? {} : { goal: `≤ ${s.goal}`, met: ratio <= s.goal && differing === 0 }),
  };
}

async function runSpecs(ctx: RefsimGpu, specs: readonly KernelSpec[], opts: { quick: boolean; log: (s: string) => void }): Promise<{ rows: BenchRow[]; notes: string[] }> {
  opts.log('bench:gpu: PyTorch CUDA timings (scripts/torch_timings.py)...');
  const torch = torchTimings(specs);
  // The GEMM rows' spot checks compare bits under the profile the device computes in.
  const profile: Profile | null = specs.some(isGemm) ? (await runProbe(ctx, { samples: 1 << 16 })).profile : null;
  opts.log(`bench:gpu: preparing ${specs.length} kernels...`);
  const all = await prepareAll(ctx, specs);
  const ready = all.filter((p): p is Prepared => 'batch' in p);
  const rows: BenchRow[] = [];
  const checks: { label: string; checked: number; differing: number }[] = [];
  try {
    opts.log(`bench:gpu: timing ${ready.length} kernels in interleaved rounds...`);
    const timings = await timeInRounds(ctx, ready.map((p) => ({ op: p.spec.key, batch: p.batch })), opts.quick);
    for (const p of all) {
      if (!('batch' in p)) {
        rows.push({ suite: 'gpu kernels', name: p.spec.label, value: `not run: ${p.error}`, baseline: '–', ratio: null, ratioLabel: '' });
        continue;
      }
      let differing = 0;
      if (profile !== null && isGemm(p.spec)) {
        const check = await spotCheckGemm(ctx, p.c, p.batch, profile);
        checks.push({ label: p.spec.label, ...check });
        differing = check.differing;
      }
      rows.push(kernelRow(p.spec, timings[ready.indexOf(p)]!, torch.timings?.[p.spec.key], torch.reason, differing));
    }
  } finally {
    for (const p of ready) p.batch.destroy();
  }
  const notes = [
    `- adapter: ${describeAdapter(ctx.adapter)}; GPU times by ${ctx.hasTimestamps ? 'timestamp queries' : 'wall clock'}, median of ${opts.quick ? 3 : ROUNDS} rounds (every kernel timed once per round, after a common warm-up) of a pass of ${opts.quick ? 3 : REPEAT} dispatches`,
    torch.available ? `- PyTorch ${torch.torch} on ${torch.device}, fp32, TF32 off, CUDA events (median of 50)` : `- PyTorch column: ${torch.reason}`,
    ...(profile === null ? [] : [spotCheckNote(checks, profile)]),
  ];
  return { rows, notes };
}
