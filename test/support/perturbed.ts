/**
 * The ops on a test-only backend as loose as an `Accuracy` allows (./looseBackend.ts), evaluated
 * in the documented order (docs/evaluation-order.md; each op in test/ops/<op>/loose.ts): the bound
 * tests check that the derived bounds cover it. Relaxed math (Dawn's default on Metal) on top:
 * SimulatedProbeDevice runs `refsim probe`'s forms under the RelaxedMode switches (reassociation,
 * reciprocal division, NaN to zero, −0 to +0, contraction, folded identities).
 */
import { f32Bits } from '../../src/reference/float32.ts';
import type { LoopShape, ProbeDevice } from '../../src/gpu/probe.ts';
import type { AdapterReport } from '../../src/gpu/types.ts';
import type { OpCase, OpName } from '../../src/ops/types.ts';
import { getOpSpec } from '../../src/ops/registry.ts';
import { type RelaxedMode, WgslExpr } from './wgslExpr.ts';
import { adaptiveAvgPool2dLoose } from '../ops/adaptiveAvgPool2d/loose.ts';
import { depthwiseConv2dLoose } from '../ops/depthwiseConv2d/loose.ts';
import { depthwiseSeparableBlockLoose } from '../ops/depthwiseSeparableBlock/loose.ts';
import { groupNormLoose } from '../ops/groupNorm/loose.ts';
import { linearLoose } from '../ops/linear/loose.ts';
import { pointwiseConv2dLoose } from '../ops/pointwiseConv2d/loose.ts';
import { reluLoose } from '../ops/relu/loose.ts';
import type { LooseBackend } from './looseBackend.ts';

export type { RelaxedMode } from './wgslExpr.ts';
export { type Fusion, LooseBackend, type Push } from './looseBackend.ts';

/** Each op's loose evaluator (test/ops/<op>/loose.ts). */
export const LOOSE_EVALUATORS: Record<OpName, (c: OpCase, be: LooseBackend) => Float32Array> = {
  depthwiseConv2d: depthwiseConv2dLoose,
  pointwiseConv2d: pointwiseConv2dLoose,
  groupNorm: groupNormLoose,
  relu: reluLoose,
  adaptiveAvgPool2d: adaptiveAvgPool2dLoose,
  linear: linearLoose,
  depthwiseSeparableBlock: depthwiseSeparableBlockLoose,
};

/** Evaluates case `c` on the loose backend `be` (documented order). */
export const looseEval = (c: OpCase, be: LooseBackend): Float32Array => LOOSE_EVALUATORS[c.op](c, be);

/** Output length of a case (via the registry). */
export function outputSize(c: OpCase): number {
  return getOpSpec(c.op).outputShape(c).reduce((a, b) => a * b, 1);
}

const SIMULATED_ADAPTER: AdapterReport = {
  vendor: 'simulated', architecture: 'relaxed-math', device: 'simulated', description: 'simulated backend (tests)', backend: 'metal', featureLevel: 'core',
};

/**
 * `refsim probe` on a simulated backend: its WGSL forms evaluated by test/support/wgslExpr.ts
 * under `mode`; loop sums in order, or (reassociate) as two interleaved partial sums.
 */
export class SimulatedProbeDevice implements ProbeDevice {
  readonly adapter = SIMULATED_ADAPTER;
  private readonly exprs = new Map<string, WgslExpr>();
  constructor(readonly mode: RelaxedMode = {}) {}

  async elementwise(_name: string, expr: string, a: Float32Array, b: Float32Array, c: Float32Array): Promise<Uint32Array> {
    let e = this.exprs.get(expr);
    if (e === undefined) this.exprs.set(expr, (e = new WgslExpr(expr, this.mode)));
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = f32Bits(e.eval(a[i]!, b[i]!, c[i]!));
    return out;
  }

  async loopSum(_shape: LoopShape, len: number, x: Float32Array): Promise<Uint32Array> {
    const add = new WgslExpr('a + b', this.mode);
    const rows = Math.floor(x.length / len);
    const out = new Uint32Array(rows);
    for (let row = 0; row < rows; row++) {
      const p = [0, 0];
      const k = this.mode.reassociate ? 2 : 1;
      for (let i = 0; i < len; i++) p[i % k] = add.eval(p[i % k]!, x[row * len + i]!, 0);
      out[row] = f32Bits(k === 2 ? add.eval(p[0]!, p[1]!, 0) : p[0]!);
    }
    return out;
  }
}
