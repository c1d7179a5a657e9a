/**
 * Shared soundness and tightness checks of the error bounds, driven by the op registry's
 * arbitraries: the bound must cover |computed − exact| for the reference under both profiles
 * (bound for EXACT_ACCURACY) and for the loose backend (test/support/perturbed.ts) under a looser
 * Accuracy (bound for that accuracy); a non-finite computed value needs an Infinity bound.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { getOpSpec } from '../../../src/ops/registry.ts';
import { type Accuracy, EXACT_ACCURACY, type OpCase, type OpName } from '../../../src/ops/types.ts';
import { PROFILES, type Tensor } from '../../../src/reference/tensor.ts';
import { fillGaussian } from '../../../src/ops/shared/values.ts';
import { exactEval, exactSlack } from '../exact.ts';
import { type Fusion, LooseBackend, type Push, looseEval } from '../perturbed.ts';
import { fcParams } from '../seed.ts';

/** WGSL's allowance and the NVIDIA measurements of DEVELOPERS.md, with flushing. */
export const LOOSE_ACCURACIES: readonly Accuracy[] = [
  { divUlp: 2.5, sqrtUlp: 1, inverseSqrtUlp: 2, flushSubnormals: true },
  { divUlp: 2, sqrtUlp: 1, inverseSqrtUlp: 1, flushSubnormals: false },
  { divUlp: 0, sqrtUlp: 0, inverseSqrtUlp: 0, flushSubnormals: true },
];

export interface Violation {
  what: string;
  index: number;
  computed: number;
  exact: number;
  error: number;
  bound: number;
}

/** Elements where |computed − exact| > bound (+ the exact evaluation's slack). */
export function violations(what: string, computed: ArrayLike<number>, exact: Float64Array, bound: Float64Array): Violation[] {
  const slack = exactSlack(exact);
  const out: Violation[] = [];
  for (let i = 0; i < exact.length; i++) {
    const g = computed[i]!;
    const b = bound[i]!;
    if (!(b >= 0)) out.push({ what: `${what} (bound not ≥ 0)`, index: i, computed: g, exact: exact[i]!, error: NaN, bound: b });
    else if (b === Infinity) continue;
    else if (!Number.isFinite(g) || !Number.isFinite(exact[i]!)) out.push({ what: `${what} (non-finite value, finite bound)`, index: i, computed: g, exact: exact[i]!, error: NaN, bound: b });
    else if (Math.abs(g - exact[i]!) > b + slack) out.push({ what, index: i, computed: g, exact: exact[i]!, error: Math.abs(g - exact[i]!), bound: b });
  }
  return out;
}

export interface CaseResult {
  violations: Violation[];
  /** Largest observed |computed − exact| and largest finite bound, over all evaluations. */
  maxError: number;
  maxBound: number;
}

/** Checks one case under both profiles and every loose accuracy / push / fusion given. */
export function checkCase(c: OpCase, loose: readonly Accuracy[] = LOOSE_ACCURACIES, seed = 1): CaseResult {
  const spec = getOpSpec(c.op);
  const exact = exactEval(c);
  const res: CaseResult = { violations: [], maxError: 0, maxBound: 0 };
  const track = (computed: ArrayLike<number>, bound: Float64Array) => {
    for (let i = 0; i < exact.length; i++) {
      if (Number.isFinite(bound[i]!) && Number.isFinite(computed[i]!)) {
        res.maxError = Math.max(res.maxError, Math.abs(computed[i]! - exact[i]!));
        res.maxBound = Math.max(res.maxBound, bound[i]!);
      }
    }
  };
  const exactBound = spec.bound(c, EXACT_ACCURACY);
  for (const profile of PROFILES) {
    const r = spec.reference(c, profile).data;
    res.violations.push(...violations(`reference ${profile}`, r, exact, exactBound));
    track(r, exactBound);
  }
  const pushes: Push[] = ['away', 'toward', 'random'];
  const fusions: Fusion[] = ['mixed', 'strict', 'fma'];
  loose.forEach((acc, k) => {
    const b = spec.bound(c, acc);
    const push = pushes[(seed + k) % 3]!;
    const fusion = fusions[(seed + 2 * k) % 3]!;
    const g = looseEval(c, new LooseBackend(acc, push, fusion, seed + k));
    res.violations.push(...violations(`loose ${JSON.stringify(acc)} push ${push} fusion ${fusion}`, g, exact, b));
    track(g, b);
  });
  return res;
}

function describe(v: Violation[]): string {
  return v
    .slice(0, 20)
    .map((x) => `  [${x.index}] ${x.what}: computed ${x.computed} exact ${x.exact} |err| ${x.error.toExponential(3)} > bound ${x.bound.toExponential(3)}`)
    .join('\n');
}

/** Property: every case of the op's arbitrary passes checkCase. */
export function assertSound(op: OpName, numRuns: number, opts: { maxElements: number; specialValues: boolean }): void {
  const spec = getOpSpec(op);
  fc.assert(
    fc.property(spec.arbitrary(opts), fc.nat(), (c, seed) => {
      const r = checkCase(c, LOOSE_ACCURACIES, seed);
      if (r.violations.length > 0) throw new Error(`${r.violations.length} bound violations:\n${describe(r.violations)}`);
    }),
    fcParams(numRuns),
  );
}

/** The case with every tensor refilled with N(0, 1)-ish float32 values (shapes and params kept). */
export function gaussianCase(c: OpCase, seed: number): OpCase {
  const inputs: Record<string, Tensor | null> = {};
  let k = 0;
  for (const [name, t] of Object.entries(c.inputs)) {
    if (t === null) {
      inputs[name] = null;
      continue;
    }
    const data = new Float32Array(t.data.length);
    fillGaussian(data, seed * 31 + k++, 1, 0);
    inputs[name] = { shape: [...t.shape], data };
  }
  return { ...c, inputs };
}

/**
 * Tightness on random normal data: over cases whose largest observed error is non-zero, the
 * ratio maxBound / maxError. Returns the ratios sorted ascending.
 */
export function tightnessRatios(op: OpName, numRuns: number, maxElements: number): number[] {
  const spec = getOpSpec(op);
  const ratios: number[] = [];
  fc.assert(
    fc.property(spec.arbitrary({ maxElements, specialValues: false }), fc.nat(), (c0, seed) => {
      const c = gaussianCase(c0, seed);
      const r = checkCase(c, [LOOSE_ACCURACIES[1]!]);
      expect(r.violations).toEqual([]);
      if (r.maxError > 0 && r.maxBound > 0) ratios.push(r.maxBound / r.maxError);
    }),
    fcParams(numRuns),
  );
  return ratios.sort((a, b) => a - b);
}

export const median = (v: number[]) => (v.length === 0 ? NaN : v[Math.floor(v.length / 2)]!);
