/**
 * Error of the mean and variance of one normalisation group computed in *any* order
 * (docs/error-bounds.md §moments): what a different implementation of the same maths — PyTorch's
 * CPU and CUDA group_norm, MPSGraph — may compute, as opposed to the reference's documented tree
 * sums. Two families (Moments):
 *
 * - 'stable': two-pass moments (mean by any summation, then Σ(v − mean)² by any summation) or
 *   Welford updates and Chan merges in any merge tree (the mean updated as M_A + D·n_B/n with
 *   D = M_B − M_A, S as S_A + S_B + D²·n_A·n_B/n or Welford's δ·(x − M_new)). Its error scales with
 *   the spread of the data times its magnitude, so it stays finite for a large mean and a small
 *   spread, where normalisation bugs live.
 * - 'one-pass': additionally E[v²] − E[v]², whose error scales with mean(v²) and is infinite once
 *   the mean dominates the spread.
 *
 * All quantities are float64 over the group's centre values v_e (with optional radii r_e: inputs
 * known only within r_e, the block's composition); A = max(|v| + r), span = max(v + r) − min(v − r).
 */
import { type ArithModel, U, gamma } from './common.ts';

/** Per-group sums the bound needs (one pass over the data plus one over the deviations). */
export interface GroupSums {
  readonly n: number;
  /** Σv, Σ|v| and Σr (radii, including flushed subnormal inputs). */
  readonly sum: number;
  readonly sumAbs: number;
  readonly rad: number;
  /** max(|v| + r) and max(v + r) − min(v − r). */
  readonly maxAbs: number;
  readonly span: number;
  /** Q = Σ(v − μ)² over the centres, and the radii's effect on it: |Q_actual − Q| ≤ dq. */
  readonly q: number;
  readonly dq: number;
  /** Σ(|v| + r)², the one-pass family's scale. */
  readonly qUp: number;
}

export interface MomentErrors {
  /** |μ̂ − μ| for the computed mean μ̂ and the centres' exact mean μ. */
  readonly eMu: number;
  /** |V̂ − Q/n| for the computed (biased) variance V̂. */
  readonly eV: number;
}

/** Error of the mean by any summation then ⊘ n (or × a rounded 1/n): the two-pass and one-pass mean. */
function summedMeanError(s: GroupSums, m: ArithModel): number {
  const { n } = s;
  const g = gamma(2 * n + 4);
  const eSum = g * (s.sumAbs + s.rad) + s.rad + (n + 255) * m.addAbs * (1 + g);
  return eSum / n + (n + 2) * m.mulAbs + ((m.divRel + gamma(2)) * (Math.abs(s.sum) + eSum)) / n + m.divAbs;
}

/** E[v²] − E[v]² included: γ_{4n+8}·mean((|v| + r)²) plus the radii's effect. */
function onePass(s: GroupSums, m: ArithModel): MomentErrors {
  const { n } = s;
  return { eMu: summedMeanError(s, m), eV: (gamma(4 * n + 8) * s.qUp) / n + s.dq / n + 4 * m.mulAbs };
}

/**
 * Two-pass: Ŝ = Σ fl(v − μ̂)² in any order; Σ(v − μ̂)² = S + n(μ̂ − μ)², each term rounded at most
 * n + 2 times. Returns the error of Ŝ against the actual inputs' S.
 */
function twoPassS(s: GroupSums, sActual: number, eMuActual: number, m: ArithModel): number {
  const { n } = s;
  const g = gamma(n + 2);
  const shift = n * eMuActual * eMuActual;
  const flush = n * (m.mulAbs + m.addAbs * (2 * (s.span + eMuActual) + m.addAbs + 1));
  return shift + g * (sActual + shift) + flush * (1 + g);
}

/**
 * Welford/Chan merge tree of any shape. Induction over the tree: every node's mean is within
 * (n_node − 1)·c of its exact sub-mean, c the per-merge error (below); the S increments
 * w·D̂² (w = n_A·n_B/n) differ from the exact w·D² by w·(e_A + e_B)(2·span + e_A + e_B), and
 * Σ over the nodes of w·(e_A + e_B) ≤ c·Σ n_A·n_B = c·n(n − 1)/2 (each pair of elements is split
 * at exactly one node). Welford's δ·(x − M_new) form adds |D̂|·2c per node. Each increment passes
 * through at most 2n additions on its way to the root.
 */
function welfordTree(s: GroupSums, sActual: number, m: ArithModel): { eMu: number; eS: number } {
  const { n } = s;
  if (n <= 1) return { eMu: 0, eS: 0 };
  // Per merge: u·|M| for the mean's addition, (2u + divRel)·|D| for D = M_B − M_A times n_B/n.
  const kA = U * (1 + U);
  const kR = (2 * U + m.divRel) * (1 + 2 * U);
  const den = 1 - (n - 1) * (kA + 2 * kR);
  if (!(den > 0.5)) return { eMu: Infinity, eS: Infinity };
  const c = (kA * s.maxAbs + kR * s.span + m.divAbs + 2 * m.mulAbs + m.addAbs) / den;
  const e = (n - 1) * c;
  const pairs = (n * (n - 1)) / 2;
  const p = 2 * (s.span + e) * c * pairs;
  const theta = gamma(6) + m.divRel * (1 + gamma(6));
  const gS = gamma(2 * n);
  const psi = 2 * (n - 1) * (s.span + 2 * e) * (1 + U) * c;
  const flush = n * (3 * m.mulAbs + 2 * m.addAbs);
  const eS = p + (theta + gS * (1 + theta)) * (sActual + p) + (1 + gS) * (psi + flush);
  return { eMu: e, eS };
}

/** Two-pass or any Welford/Chan tree: the larger of the two errors. */
function stable(s: GroupSums, m: ArithModel): MomentErrors {
  const { n } = s;
  const sActual = s.q + s.dq;
  const eMuSummed = summedMeanError(s, m);
  const w = welfordTree(s, sActual, m);
  const eMuActual = eMuSummed + s.rad / n;
  const eS = Math.max(twoPassS(s, sActual, eMuActual, m), w.eS);
  const eV = (eS + s.dq) / n + ((m.divRel + gamma(2)) * (sActual + eS)) / n + m.divAbs;
  return { eMu: Math.max(eMuSummed, w.eMu + s.rad / n), eV };
}

/** The moments' errors of one group under the model's family. */
export function anyOrderMomentErrors(s: GroupSums, m: ArithModel): MomentErrors {
  return m.moments === 'one-pass' ? onePass(s, m) : stable(s, m);
}

/**
 * Error of rstd = 1/sqrt(ŵ) for |ŵ − W| ≤ eW (W > eW): the larger of sqrt then ⊘ (R = √W,
 * eR its error, Rl = R − eR) and a direct inverseSqrt (PyTorch's CUDA kernels use rsqrtf).
 */
export function rstdError(W: number, eW: number, R: number, eR: number, Rl: number, m: ArithModel): number {
  const viaDivision = eR / (R * Rl) + (m.divRel + U) / Rl + m.divAbs;
  const lo = W - eW;
  const viaInverseSqrt = eW / (2 * lo * Math.sqrt(lo)) + m.isqRel / Math.sqrt(lo) + m.isqAbs;
  return Math.max(viaDivision, viaInverseSqrt);
}
