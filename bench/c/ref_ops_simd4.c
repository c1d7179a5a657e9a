/*
 * The fast path's 4-wide algorithms (src/fast/wat/) in C with 128-bit SSE, for the bench
 * shapes of ref_ops.c: what a compiler makes of the same lanes and blocks, i.e. the share of the
 * hardware a 128-bit SIMD can reach. Lanes are independent outputs, each summed in the documented
 * order, so the outputs are bit-identical to the reference (bench/fastReference.ts checks the
 * hash). Ops: linear, pointwiseConv2d, depthwiseConv2d, each strict and "-fma" ('fma' profile:
 * f64 steps, midpoint flag, blocks redone with the correctly rounded fmaf).
 * Built with -O2 -msse4.1 -ffp-contract=off; usage and output as ref_ops.c, whose inputs and
 * timing loop it includes.
 */
#define REF_OPS_LIBRARY
#include "ref_ops.c"

#include <smmintrin.h>

static float *X4;     /* x packed in lanes of 4 rows */
static double *X64, *W64; /* packed / promoted f64 copies */

/* ---- linear: lanes = 4 batch rows, x packed [N/4][IN][4], 8 rows × 4 outputs per block ---- */
static void linear_simd4(const float *x, const float *w, const float *b, float *y, int N, int IN, int OUT) {
  for (int nb = 0; nb < N / 4; nb++)
    for (int i = 0; i < IN; i++)
      for (int r = 0; r < 4; r++) X4[((size_t)nb * IN + i) * 4 + r] = x[(size_t)(nb * 4 + r) * IN + i];
  for (int o = 0; o < OUT; o += 4) {
    const float *w0 = w + (size_t)o * IN, *w1 = w0 + IN, *w2 = w1 + IN, *w3 = w2 + IN;
    for (int nb = 0; nb < N / 4; nb += 2) {
      const float *pa = X4 + (size_t)nb * IN * 4, *pb = pa + (size_t)IN * 4;
      __m128 a0 = _mm_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
      for (int i = 0; i < IN; i++) {
        __m128 xa = _mm_load_ps(pa + 4 * i), xb = _mm_load_ps(pb + 4 * i), k;
        k = _mm_set1_ps(w0[i]), a0 = _mm_add_ps(a0, _mm_mul_ps(xa, k)), b0 = _mm_add_ps(b0, _mm_mul_ps(xb, k));
        k = _mm_set1_ps(w1[i]), a1 = _mm_add_ps(a1, _mm_mul_ps(xa, k)), b1 = _mm_add_ps(b1, _mm_mul_ps(xb, k));
        k = _mm_set1_ps(w2[i]), a2 = _mm_add_ps(a2, _mm_mul_ps(xa, k)), b2 = _mm_add_ps(b2, _mm_mul_ps(xb, k));
        k = _mm_set1_ps(w3[i]), a3 = _mm_add_ps(a3, _mm_mul_ps(xa, k)), b3 = _mm_add_ps(b3, _mm_mul_ps(xb, k));
      }
      __m128 acc[8] = {a0, a1, a2, a3, b0, b1, b2, b3};
      for (int j = 0; j < 8; j++) {
        float lane[4];
        _mm_storeu_ps(lane, _mm_add_ps(acc[j], _mm_set1_ps(b[o + j % 4])));
        for (int r = 0; r < 4; r++) y[(size_t)((nb + j / 4) * 4 + r) * OUT + o + j % 4] = lane[r];
      }
    }
  }
}

/* Midpoint flag of f64 lanes: low 29 significand bits 1 0…0. */
static inline __m128i midpoint(__m128d s) {
  return _mm_cmpeq_epi64(_mm_and_si128(_mm_castpd_si128(s), _mm_set1_epi64x(0x1fffffff)), _mm_set1_epi64x(0x10000000));
}
static inline __m128d round32(__m128d s) { return _mm_cvtps_pd(_mm_cvtpd_ps(s)); }

static void linear_simd4_fma(const float *x, const float *w, const float *b, float *y, int N, int IN, int OUT) {
  for (int nb = 0; nb < N / 4; nb++)
    for (int i = 0; i < IN; i++)
      for (int r = 0; r < 4; r++) X64[((size_t)nb * IN + i) * 4 + r] = x[(size_t)(nb * 4 + r) * IN + i];
  for (size_t i = 0; i < (size_t)OUT * IN; i++) W64[i] = w[i];
  for (int o = 0; o < OUT; o += 4)
    for (int nb = 0; nb < N / 4; nb++) {
      __m128d acc[8];
      for (int j = 0; j < 8; j++) acc[j] = _mm_setzero_pd();
      for (int i0 = 0; i0 < IN; i0 += 64) {
        int i1 = i0 + 64 < IN ? i0 + 64 : IN;
        __m128d saved[8];
        memcpy(saved, acc, sizeof acc);
        __m128i flag = _mm_setzero_si128();
        for (int i = i0; i < i1; i++) {
          const double *px = X64 + ((size_t)nb * IN + i) * 4;
          __m128d xl = _mm_load_pd(px), xh = _mm_load_pd(px + 2);
          for (int k = 0; k < 4; k++) {
            __m128d q = _mm_set1_pd(W64[(size_t)(o + k) * IN + i]);
            __m128d s = _mm_add_pd(_mm_mul_pd(xl, q), acc[2 * k]);
            acc[2 * k] = round32(s), flag = _mm_or_si128(flag, midpoint(s));
            s = _mm_add_pd(_mm_mul_pd(xh, q), acc[2 * k + 1]);
            acc[2 * k + 1] = round32(s), flag = _mm_or_si128(flag, midpoint(s));
          }
        }
        if (!_mm_testz_si128(flag, flag)) {
          double lanes[16];
          memcpy(lanes, saved, sizeof lanes);
          for (int k = 0; k < 4; k++)
            for (int r = 0; r < 4; r++) {
              float c = (float)lanes[k * 4 + r];
              for (int i = i0; i < i1; i++) c = fmaf(x[(size_t)(nb * 4 + r) * IN + i], w[(size_t)(o + k) * IN + i], c);
              lanes[k * 4 + r] = c;
            }
          memcpy(acc, lanes, sizeof lanes);
        }
      }
      for (int k = 0; k < 4; k++) {
        double lane[4];
        _mm_storeu_pd(lane, acc[2 * k]), _mm_storeu_pd(lane + 2, acc[2 * k + 1]);
        for (int r = 0; r < 4; r++) y[(size_t)(nb * 4 + r) * OUT + o + k] = (float)lane[r] + b[o + k];
      }
    }
}

/* ---- pointwise: lanes = 4 pixels, 4 output channels × 8 pixels per block ---- */
static void pointwise_simd4(const float *x, const float *w, const float *b, float *y, int CIN, int HW, int COUT) {
  for (int p = 0; p < HW; p += 8)
    for (int co = 0; co < COUT; co += 4) {
      __m128 a0 = _mm_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
      const float *w0 = w + (size_t)co * CIN, *w1 = w0 + CIN, *w2 = w1 + CIN, *w3 = w2 + CIN;
      for (int ci = 0; ci < CIN; ci++) {
        const float *px = x + (size_t)ci * HW + p;
        __m128 xa = _mm_loadu_ps(px), xb = _mm_loadu_ps(px + 4), k;
        k = _mm_set1_ps(w0[ci]), a0 = _mm_add_ps(a0, _mm_mul_ps(xa, k)), b0 = _mm_add_ps(b0, _mm_mul_ps(xb, k));
        k = _mm_set1_ps(w1[ci]), a1 = _mm_add_ps(a1, _mm_mul_ps(xa, k)), b1 = _mm_add_ps(b1, _mm_mul_ps(xb, k));
        k = _mm_set1_ps(w2[ci]), a2 = _mm_add_ps(a2, _mm_mul_ps(xa, k)), b2 = _mm_add_ps(b2, _mm_mul_ps(xb, k));
        k = _mm_set1_ps(w3[ci]), a3 = _mm_add_ps(a3, _mm_mul_ps(xa, k)), b3 = _mm_add_ps(b3, _mm_mul_ps(xb, k));
      }
      __m128 lo[4] = {a0, a1, a2, a3}, hi[4] = {b0, b1, b2, b3};
      for (int k = 0; k < 4; k++) {
        float *py = y + (size_t)(co + k) * HW + p;
        _mm_storeu_ps(py, _mm_add_ps(lo[k], _mm_set1_ps(b[co + k])));
        _mm_storeu_ps(py + 4, _mm_add_ps(hi[k], _mm_set1_ps(b[co + k])));
      }
    }
}

static void pointwise_simd4_fma(const float *x, const float *w, const float *b, float *y, int CIN, int HW, int COUT) {
  for (size_t i = 0; i < (size_t)COUT * CIN; i++) W64[i] = w[i];
  for (int p = 0; p < HW; p += 4)
    for (int co = 0; co < COUT; co += 4) {
      __m128d acc[8];
      for (int j = 0; j < 8; j++) acc[j] = _mm_setzero_pd();
      for (int c0 = 0; c0 < CIN; c0 += 64) {
        int c1 = c0 + 64 < CIN ? c0 + 64 : CIN;
        __m128d saved[8];
        memcpy(saved, acc, sizeof acc);
        __m128i flag = _mm_setzero_si128();
        for (int ci = c0; ci < c1; ci++) {
          __m128 xq = _mm_loadu_ps(x + (size_t)ci * HW + p);
          __m128d xl = _mm_cvtps_pd(xq), xh = _mm_cvtps_pd(_mm_movehl_ps(xq, xq));
          for (int k = 0; k < 4; k++) {
            __m128d q = _mm_set1_pd(W64[(size_t)(co + k) * CIN + ci]);
            __m128d s = _mm_add_pd(_mm_mul_pd(xl, q), acc[2 * k]);
            acc[2 * k] = round32(s), flag = _mm_or_si128(flag, midpoint(s));
            s = _mm_add_pd(_mm_mul_pd(xh, q), acc[2 * k + 1]);
            acc[2 * k + 1] = round32(s), flag = _mm_or_si128(flag, midpoint(s));
          }
        }
        if (!_mm_testz_si128(flag, flag)) {
          double lanes[16];
          memcpy(lanes, saved, sizeof lanes);
          for (int k = 0; k < 4; k++)
            for (int j = 0; j < 4; j++) {
              float c = (float)lanes[k * 4 + j];
              for (int ci = c0; ci < c1; ci++) c = fmaf(x[(size_t)ci * HW + p + j], w[(size_t)(co + k) * CIN + ci], c);
              lanes[k * 4 + j] = c;
            }
          memcpy(acc, lanes, sizeof lanes);
        }
      }
      for (int k = 0; k < 4; k++) {
        double lane[4];
        _mm_storeu_pd(lane, acc[2 * k]), _mm_storeu_pd(lane + 2, acc[2 * k + 1]);
        for (int j = 0; j < 4; j++) y[(size_t)(co + k) * HW + p + j] = (float)lane[j] + b[co + k];
      }
    }
}

/* ---- depthwise 3×3, stride 1, padding 1: lanes = 4 outputs of a row where all taps are inside ---- */
static float dw_one(const float *xp, const float *wk, int H, int W, int oh, int ow, int fused) {
  float acc = 0.0f;
  for (int kh = 0; kh < 3; kh++) {
    int ih = oh - 1 + kh;
    if (ih < 0 || ih >= H) continue;
    for (int kw = 0; kw < 3; kw++) {
      int iw = ow - 1 + kw;
      if (iw < 0 || iw >= W) continue;
      acc = fused ? fmaf(xp[ih * W + iw], wk[kh * 3 + kw], acc) : acc + xp[ih * W + iw] * wk[kh * 3 + kw];
    }
  }
  return acc;
}

static void depthwise_simd4(const float *x, const float *w, const float *b, float *y, int C, int H, int W) {
  for (int c = 0; c < C; c++) {
    const float *xp = x + (size_t)c * H * W, *wk = w + c * 9;
    __m128 k[9];
    for (int j = 0; j < 9; j++) k[j] = _mm_set1_ps(wk[j]);
    __m128 bv = _mm_set1_ps(b[c]);
    for (int oh = 0; oh < H; oh++) {
      float *yr = y + ((size_t)c * H + oh) * W;
      int full = oh >= 1 && oh + 1 < H, ow = 1;
      yr[0] = dw_one(xp, wk, H, W, oh, 0, 0) + b[c];
      for (; full && ow + 4 <= W - 1; ow += 4) {
        const float *r0 = xp + (oh - 1) * W + ow - 1, *r1 = r0 + W, *r2 = r1 + W;
        __m128 acc = _mm_add_ps(_mm_setzero_ps(), _mm_mul_ps(_mm_loadu_ps(r0), k[0]));
        acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(r0 + 1), k[1]));
        acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(r0 + 2), k[2]));
        acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(r1), k[3]));
        acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(r1 + 1), k[4]));
        acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(r1 + 2), k[5]));
        acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(r2), k[6]));
        acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(r2 + 1), k[7]));
        acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(r2 + 2), k[8]));
        _mm_storeu_ps(yr + ow, _mm_add_ps(acc, bv));
      }
      for (; ow < W; ow++) yr[ow] = dw_one(xp, wk, H, W, oh, ow, 0) + b[c];
    }
  }
}

static void depthwise_simd4_fma(const float *x, const float *w, const float *b, float *y, int C, int H, int W) {
  for (size_t i = 0; i < (size_t)C * H * W; i++) X64[i] = x[i];
  for (int c = 0; c < C; c++) {
    const float *xp = x + (size_t)c * H * W, *wk = w + c * 9;
    const double *xq = X64 + (size_t)c * H * W;
    __m128d k[9];
    for (int j = 0; j < 9; j++) k[j] = _mm_set1_pd(wk[j]);
    for (int oh = 0; oh < H; oh++) {
      float *yr = y + ((size_t)c * H + oh) * W;
      int full = oh >= 1 && oh + 1 < H, ow = 1;
      yr[0] = dw_one(xp, wk, H, W, oh, 0, 1) + b[c];
      for (; full && ow + 4 <= W - 1; ow += 4) {
        __m128d lo = _mm_setzero_pd(), hi = lo;
        __m128i flag = _mm_setzero_si128();
        for (int kh = 0; kh < 3; kh++)
          for (int kw = 0; kw < 3; kw++) {
            const double *p = xq + (oh - 1 + kh) * W + ow - 1 + kw;
            __m128d s = _mm_add_pd(_mm_mul_pd(_mm_loadu_pd(p), k[kh * 3 + kw]), lo);
            lo = round32(s), flag = _mm_or_si128(flag, midpoint(s));
            s = _mm_add_pd(_mm_mul_pd(_mm_loadu_pd(p + 2), k[kh * 3 + kw]), hi);
            hi = round32(s), flag = _mm_or_si128(flag, midpoint(s));
          }
        if (!_mm_testz_si128(flag, flag)) {
          for (int j = 0; j < 4; j++) yr[ow + j] = dw_one(xp, wk, H, W, oh, ow + j, 1) + b[c];
        } else {
          double lane[4];
          _mm_storeu_pd(lane, lo), _mm_storeu_pd(lane + 2, hi);
          for (int j = 0; j < 4; j++) yr[ow + j] = (float)lane[j] + b[c];
        }
      }
      for (; ow < W; ow++) yr[ow] = dw_one(xp, wk, H, W, oh, ow, 1) + b[c];
    }
  }
}

static size_t run_simd4(const char *op) {
  size_t n = (size_t)N_ * C_ * HW_;
  if (!X4) {
    X4 = aligned_alloc(16, (size_t)LN_ * LIN_ * sizeof(float));
    X64 = aligned_alloc(16, ((size_t)LN_ * LIN_ > n ? (size_t)LN_ * LIN_ : n) * sizeof(double));
    W64 = aligned_alloc(16, (size_t)LOUT_ * LIN_ * sizeof(double));
  }
  int fused = strstr(op, "-fma") != NULL;
  if (!strncmp(op, "linear", 6)) {
    (fused ? linear_simd4_fma : linear_simd4)(LX, LW, LB, OUT, LN_, LIN_, LOUT_);
    return (size_t)LN_ * LOUT_;
  }
  if (!strncmp(op, "pointwiseConv2d", 15)) {
    (fused ? pointwise_simd4_fma : pointwise_simd4)(X, PW_W, PW_B, OUT, C_, HW_, C_);
    return n;
  }
  if (!strncmp(op, "depthwiseConv2d", 15)) {
    (fused ? depthwise_simd4_fma : depthwise_simd4)(X, DW_W, DW_B, OUT, C_, H_, W_);
    return n;
  }
  fprintf(stderr, "unknown op %s\n", op);
  exit(2);
}

int main(int argc, char **argv) { return bench_main(argc, argv, run_simd4); }
