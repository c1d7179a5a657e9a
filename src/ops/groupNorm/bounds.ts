/**
 * Error bound of groupNorm (docs/error-bounds.md §groupNorm): the mean's tree sum and division,
 * the deviations, the sum of their squares, the variance's division, + eps, sqrt, the
 * normalising division and the affine multiply-add, each step's error propagated into the next.
 * Order 'anyOrder' bounds PyTorch's CPU and CUDA structure instead (moments of the `moments`
 * family in any order (moments.ts), then rstd = 1/sqrt(var + eps) or inverseSqrt(var + eps),
 * scale = rstd·γ, shift = β − scale·mean, y = x·scale + shift).
 */
import type { Tensor } from '../../reference/tensor.ts';
import { type GroupNormGeometry, groupNormGeometry } from './reference.ts';
import { type ArithModel, type BoundOptions, FLT_MAX, SAFE, U, arithModel, gamma, isSubnormal, treeRoundings } from '../../reference/bounds/common.ts';
import { anyOrderMomentErrors, rstdError } from '../../reference/bounds/moments.ts';

const G2 = gamma(2);

/**
 * Core over a centre/radius input (see depthwiseConv2dBoundCore). `eps` is the caller's eps;
 * the exact result is defined with eps rounded to float32 (the value the computation adds).
 */
export function groupNormBoundCore(
  g: GroupNormGeometry,
  xc: ArrayLike<number>,
  radius: Float64Array | null,
  gamma_: Float32Array | null,
  beta: Float32Array | null,
  eps: number,
  m: ArithModel,
  out: Float64Array,
  centerOut: Float64Array | null,
): void {
  const { n: N, c: C, spatial: S, groups: G } = g;
  const cpg = C / G;
  const n = cpg * S;
  const eps32 = Math.fround(eps);
  const epsSlack = m.anyOrder ? Math.abs(eps - eps32) : 0;
  const inputSub = m.flush && radius === null;
  const k1 = treeRoundings(n, false);
  const k2 = treeRoundings(n, true);
  const g1 = gamma(k1);
  const g2 = gamma(k2);
  // Largest intermediates: the sums of v and of v² with their rounding.
  const gOverflow1 = m.anyOrder ? gamma(2 * n + 4) : g1;
  const gOverflow2 = m.anyOrder ? gamma(4 * n + 8) : g2;
  const radiusAt = (e: number, v: number): number => (radius !== null ? radius[e]! : inputSub && isSubnormal(v) ? Math.abs(v) : 0);
  for (let b = 0; b < N; b++) {
    for (let grp = 0; grp < G; grp++) {
      const start = (b * C + grp * cpg) * S;
      const end = start + n;
      // Pass 1: Σv, Σ|v|, Σ radius (+ flushed subnormal inputs), and the range of the inputs.
      let sum = 0;
      let sumAbs = 0;
      let rad = 0;
      let maxAbs = 0;
      let hi = -Infinity;
      let lo = Infinity;
      for (let e = start; e < end; e++) {
        const v = xc[e]!;
        const r = radiusAt(e, v);
        sum += v;
        sumAbs += Math.abs(v);
        rad += r;
        maxAbs = Math.max(maxAbs, Math.abs(v) + r);
        hi = Math.max(hi, v + r);
        lo = Math.min(lo, v - r);
      }
      const mu = sum / n;
      // Documented: tree sum then ⊘ n.
      const eSum = g1 * (sumAbs + rad) + rad + (n + 255) * m.addAbs * (1 + g1);
      const eMuDoc = eSum / n + (m.divRel * (Math.abs(sum) + eSum)) / n + m.divAbs;
      // Pass 2: Q = Σd², bounds on Σd̂² (documented) or the inputs' effect on Q (anyOrder).
      let q = 0;
      let qUp = 0;
      let dq = 0;
      for (let e = start; e < end; e++) {
        const v = xc[e]!;
        const d = v - mu;
        const ad = Math.abs(d);
        q += d * d;
        const r = radiusAt(e, v);
        if (m.anyOrder) {
          const rho = r + rad / n;
          dq += rho * (2 * ad + rho);
          const up = Math.abs(v) + r;
          qUp += up * up;
        } else {
          const ed = (eMuDoc + r) * (1 + U) + U * ad + m.addAbs;
          const up = ad + ed;
          qUp += up * up;
          dq += ed * (2 * ad + ed);
        }
      }
      const V = q / n;
      let eMu: number;
      let eV: number;
      if (m.anyOrder) {
        ({ eMu, eV } = anyOrderMomentErrors({ n, sum, sumAbs, rad, maxAbs, span: hi - lo, q, dq, qUp }, m));
      } else {
        eMu = eMuDoc;
        const eQ = g2 * qUp + dq + (n * m.mulAbs * (1 + U) + (n + 255) * m.addAbs) * (1 + g2);
        eV = eQ / n + (m.divRel * (q + eQ)) / n + m.divAbs;
      }
      const W = V + eps32;
      const eW = eV + U * (W + eV) + m.addAbs + epsSlack;
      const overflow = !((sumAbs + rad) * (1 + gOverflow1) + eSum < FLT_MAX) || !(qUp * (1 + gOverflow2) < FLT_MAX);
      if (overflow || !(W > 0) || !(eW < W)) {
        for (let e = start; e < end; e++) {
          out[e] = Infinity;
          if (centerOut !== null) centerOut[e] = NaN;
        }
        continue;
      }
      const R = Math.sqrt(W);
      const eR = eW / (R + Math.sqrt(W - eW)) + m.sqrtRel * Math.sqrt(W + eW) + m.sqrtAbs;
      const Rl = (R - eR) * (1 - 2 ** -50);
      if (!(Rl > 0)) {
        for (let e = start; e < end; e++) {
          out[e] = Infinity;
          if (centerOut !== null) centerOut[e] = NaN;
        }
        continue;
      }
      // anyOrder: rstd = 1/ŝd or inverseSqrt(ŵ): its error.
      const eRstd = rstdError(W, eW, R, eR, Rl, m);
      // Pass 3, by channel: each element's bound is affine in |d_e| (or |v_e|) and r_e, with
      // per-channel coefficients (the formulas of docs/error-bounds.md §groupNorm, regrouped).
      const invR = 1 / R;
      const eD0 = eMu * (1 + U) + m.addAbs;
      // Documented: E_t = T0 + T1·|d| + T2·r.
      const T0 = (eD0 * (1 + m.divRel)) / Rl + m.divAbs;
      const T1 = (U * (1 + m.divRel) + eR * invR + m.divRel) / Rl;
      const T2 = ((1 + U) * (1 + m.divRel)) / Rl;
      for (let j = 0; j < cpg; j++) {
        const ch = grp * cpg + j;
        const gw = gamma_ === null ? 1 : gamma_[ch]!;
        const bw = beta === null ? 0 : beta[ch]!;
        const agw = Math.abs(gw);
        const abw = Math.abs(bw);
        const subG = m.flush && radius === null && isSubnormal(gw);
        const subB = m.flush && radius === null && isSubnormal(bw);
        // E_y = C0 + C1·|d| + Cv·|v| + C2·r (Cv = 0 in the documented order).
        let C0: number;
        let C1: number;
        let Cv = 0;
        let C2: number;
        if (m.anyOrder) {
          // scale ŝ = rstd ⊗ γ, shift ĥ = β ⊖ ŝ⊗μ̂, y = x⊗ŝ ⊕ ĥ (each fused or not). Before rounding
          // x·ŝ + β − ŝ·μ̂ = ŝ(x − μ̂) + β, so the scale's error meets |x − μ|, not |x|; only the
          // roundings of x⊗ŝ and ŝ⊗μ̂ see the magnitudes (the cancellation of a large mean).
          const S0 = agw * invR;
          const eS = gamma_ === null ? eRstd : agw * eRstd + U * agw * (invR + eRstd) + m.mulAbs;
          const Sup = S0 + eS;
          const amu = Math.abs(mu);
          const prod = Sup * (amu + eMu) * (1 + U);
          // Before the final rounding: E1 = C1'|d| + Cv'|v| + C0'.
          const c1 = eS;
          const cv = U * Sup * (1 + U);
          const c0 = (eS + S0) * eMu + U * prod * (1 + U) + U * (abw + prod) + 2 * m.mulAbs + m.addAbs;
          // The final ⊕ rounds a result of magnitude ≤ Sup(|d| + eMu) + |β| + E1.
          C1 = (c1 + U * Sup) * (1 + U);
          Cv = cv * (1 + U);
          C0 = (c0 + U * (Sup * eMu + abw)) * (1 + U) + m.addAbs + (subB ? abw : 0);
          C2 = Sup * (1 + G2);
          // A flushed γ: y loses t·γ, |t| ≤ (|d| + eMu)/R, plus the γ-dependent shift.
          if (subG) {
            C0 += agw * (1 + eMu * invR);
            C1 += agw * invR;
          }
        } else if (gamma_ === null && beta === null) {
          C0 = T0;
          C1 = T1;
          C2 = T2;
        } else {
          // E_y = |γ|E_t + γ₂((|t| + E_t)|γ| + |β|) + mulAbs + addAbs, |t| = |d|/R
          // (+ (|t| + E_t)|γ| for a flushed γ, + |β| for a flushed β).
          const kt = agw * (1 + G2 + (subG ? 1 : 0));
          const kd = agw * invR * (G2 + (subG ? 1 : 0));
          C0 = kt * T0 + G2 * abw + m.mulAbs + m.addAbs + (subB ? abw : 0);
          C1 = kt * T1 + kd;
          C2 = kt * T2;
        }
        C0 *= SAFE;
        C1 *= SAFE;
        Cv *= SAFE;
        C2 *= SAFE;
        const yScale = agw * invR;
        const e0 = start + j * S;
        for (let e = e0; e < e0 + S; e++) {
          const v = xc[e]!;
          const d = v - mu;
          const ad = Math.abs(d);
          const r = radius !== null ? radius[e]! : inputSub && isSubnormal(v) ? Math.abs(v) : 0;
          const ey = C0 + C1 * ad + Cv * Math.abs(v) + C2 * r;
          if (centerOut !== null) centerOut[e] = d * invR * gw + bw;
          out[e] = ad * yScale + abw + ey < FLT_MAX ? ey : Infinity;
        }
      }
    }
  }
}

/** Per output element of groupNorm(x, numGroups, weight, bias, eps): a bound on |computed − exact|. */
export function groupNormBound(
  x: Tensor,
  numGroups: number,
  weight: Tensor | null | undefined,
  bias: Tensor | null | undefined,
  eps = 1e-5,
  options?: BoundOptions,
): Float64Array {
  const g = groupNormGeometry(x, numGroups, weight, bias, eps);
  const out = new Float64Array(x.data.length);
  groupNormBoundCore(g, x.data, null, weight?.data ?? null, bias?.data ?? null, eps, arithModel(options), out, null);
  return out;
}
