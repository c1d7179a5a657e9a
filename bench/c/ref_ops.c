/*
 * The reference ops' loops in C (strict profile: every float operation rounded separately,
 * compiled with -O2 -ffp-contract=off so nothing is fused), in the evaluation order of
 * docs/evaluation-order.md and with the same loop structure as src/reference/<op>.ts.
 * Driven by bench/referenceOps.ts: `ref_ops <op> <minMillis>` prints
 * `<op> <median_ns> <mad_ns> <runs> <fnv1a of output bits>` (process CPU time per run); the benchmark checks the hash
 * against the TypeScript result, so both sides provably compute the same bits.
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LANES 256

/* ---- inputs: mulberry32, as bench/referenceOps.ts ---- */
static uint32_t rng_state;
static double rng(void) {
  rng_state += 0x6d2b79f5u;
  uint32_t t = rng_state;
  t = (t ^ (t >> 15)) * (t | 1u);
  t ^= t + (t ^ (t >> 7)) * (t | 61u);
  return (double)(t ^ (t >> 14)) / 4294967296.0;
}
static float *random_tensor(size_t n, uint32_t seed) {
  float *p = malloc(n * sizeof(float));
  rng_state = seed;
  for (size_t i = 0; i < n; i++) p[i] = (float)(rng() * 2.0 - 1.0);
  return p;
}

/* ---- the lane-strided tree sum ---- */
static float lanes[LANES];
/* Lanes that received no element stay +0 and are skipped, exactly as treeSum.ts does. */
static float tree_reduce(int active) {
  if (active == 0) return 0.0f;
  int live = active;
  for (int s = LANES / 2; s >= 1; s >>= 1) {
    int m = live - s < s ? live - s : s;
    for (int l = 0; l < m; l++) lanes[l] = lanes[l] + lanes[l + s];
    if (live > s) live = s;
  }
  return lanes[0];
}
static float tree_sum(const float *v, int n) {
  int active = n < LANES ? n : LANES, base = 0;
  memset(lanes, 0, active * sizeof(float));
  for (; base + 2 * LANES <= n; base += 2 * LANES)
    for (int l = 0; l < LANES; l++) lanes[l] = (lanes[l] + v[base + l]) + v[base + LANES + l];
  for (; base < n; base += LANES) {
    int m = n - base < LANES ? n - base : LANES;
    for (int l = 0; l < m; l++) lanes[l] = lanes[l] + v[base + l];
  }
  return tree_reduce(active);
}
static float tree_sum_window(const float *v, int rowStride, int rows, int cols) {
  int n = rows * cols, active = n < LANES ? n : LANES, l = 0;
  memset(lanes, 0, active * sizeof(float));
  for (int r = 0; r < rows; r++) {
    const float *row = v + (size_t)r * rowStride;
    for (int c = 0; c < cols; c++) {
      lanes[l] = lanes[l] + row[c];
      l = (l + 1) & (LANES - 1);
    }
  }
  return tree_reduce(active);
}
static float tree_sum_sq_dev(const float *v, int n, float mean) {
  int active = n < LANES ? n : LANES;
  memset(lanes, 0, active * sizeof(float));
  for (int base = 0; base < n; base += LANES) {
    int m = n - base < LANES ? n - base : LANES;
    for (int l = 0; l < m; l++) {
      float d = v[base + l] - mean;
      lanes[l] = lanes[l] + d * d;
    }
  }
  return tree_reduce(active);
}

/* ---- ops ---- */
static int imax(int a, int b) { return a > b ? a : b; }
static int imin(int a, int b) { return a < b ? a : b; }
static int ceil_div(int a, int b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

static void row3(float *acc, int OW, const float *xs, int sW, int dW, const float *w, const int *owLo, const int *owHi) {
  float w0 = w[0], w1 = w[1], w2 = w[2];
  int inLo = imin(owLo[0], OW), inHi = imax(inLo, imin(owHi[2], OW));
  for (int ow = 0; ow < OW; ow++) {
    if (ow == inLo) {
      for (; ow < inHi; ow++) {
        const float *q = xs + ow * sW;
        float a = acc[ow] + q[0] * w0;
        a = a + q[dW] * w1;
        acc[ow] = a + q[2 * dW] * w2;
      }
      if (ow >= OW) break;
    }
    const float *q = xs + ow * sW;
    if (ow >= owLo[0] && ow < owHi[0]) acc[ow] = acc[ow] + q[0] * w0;
    if (ow >= owLo[1] && ow < owHi[1]) acc[ow] = acc[ow] + q[dW] * w1;
    if (ow >= owLo[2] && ow < owHi[2]) acc[ow] = acc[ow] + q[2 * dW] * w2;
  }
}

static void depthwise(const float *x, const float *w, const float *bias, float *y, int N, int C, int H, int W, int M, int KH,
                      int KW, int sH, int sW, int pH, int pW, int dH, int dW, int OH, int OW) {
  int *khLo = malloc(OH * sizeof(int)), *khHi = malloc(OH * sizeof(int));
  int *owLo = malloc(KW * sizeof(int)), *owHi = malloc(KW * sizeof(int));
  for (int oh = 0; oh < OH; oh++) {
    int base = oh * sH - pH;
    khLo[oh] = imax(0, ceil_div(-base, dH));
    khHi[oh] = imin(KH, ceil_div(H - base, dH));
  }
  for (int kw = 0; kw < KW; kw++) {
    int shift = kw * dW - pW;
    owLo[kw] = imax(0, ceil_div(-shift, sW));
    owHi[kw] = imin(OW, ceil_div(W - shift, sW));
  }
  int COUT = C * M;
  for (int b = 0; b < N; b++)
    for (int oc = 0; oc < COUT; oc++) {
      const float *xPlane = x + ((size_t)b * C + oc / M) * H * W;
      const float *wBase = w + (size_t)oc * KH * KW;
      for (int oh = 0; oh < OH; oh++) {
        float *acc = y + (((size_t)b * COUT + oc) * OH + oh) * OW;
        for (int ow = 0; ow < OW; ow++) acc[ow] = 0.0f;
        for (int kh = khLo[oh]; kh < khHi[oh]; kh++) {
          const float *xRow = xPlane + (oh * sH - pH + kh * dH) * W;
          if (KW == 3) {
            row3(acc, OW, xRow - pW, sW, dW, wBase + kh * 3, owLo, owHi);
            continue;
          }
          for (int kw = 0; kw < KW; kw++) {
            float wv = wBase[kh * KW + kw];
            const float *xs = xRow + kw * dW - pW;
            if (sW == 1)
              for (int ow = owLo[kw]; ow < owHi[kw]; ow++) acc[ow] = acc[ow] + xs[ow] * wv;
            else
              for (int ow = owLo[kw]; ow < owHi[kw]; ow++) acc[ow] = acc[ow] + xs[ow * sW] * wv;
          }
        }
        if (bias)
          for (int ow = 0; ow < OW; ow++) acc[ow] = acc[ow] + bias[oc];
      }
    }
  free(khLo), free(khHi), free(owLo), free(owHi);
}

static void pw_row(float *acc, const float *x, const float *w, int CIN, int HW) {
  int ci = 0;
  for (; ci + 4 <= CIN; ci += 4) {
    float w0 = w[ci], w1 = w[ci + 1], w2 = w[ci + 2], w3 = w[ci + 3];
    const float *x0 = x + (size_t)ci * HW;
    for (int p = 0; p < HW; p++) {
      float a = acc[p] + x0[p] * w0;
      a = a + x0[p + HW] * w1;
      a = a + x0[p + 2 * HW] * w2;
      acc[p] = a + x0[p + 3 * HW] * w3;
    }
  }
  for (; ci < CIN; ci++) {
    float wv = w[ci];
    const float *xr = x + (size_t)ci * HW;
    for (int p = 0; p < HW; p++) acc[p] = acc[p] + xr[p] * wv;
  }
}

static void pw_rows4(float *o, const float *x, const float *w, int CIN, int HW) {
  float *oa = o, *ob = o + HW, *oc = o + 2 * HW, *od = o + 3 * HW;
  const float *wa = w, *wb = w + CIN, *wc = w + 2 * CIN, *wd = w + 3 * CIN;
  int ci = 0;
  for (; ci + 4 <= CIN; ci += 4) {
    float a0 = wa[ci], a1 = wa[ci + 1], a2 = wa[ci + 2], a3 = wa[ci + 3];
    float b0 = wb[ci], b1 = wb[ci + 1], b2 = wb[ci + 2], b3 = wb[ci + 3];
    float c0 = wc[ci], c1 = wc[ci + 1], c2 = wc[ci + 2], c3 = wc[ci + 3];
    float d0 = wd[ci], d1 = wd[ci + 1], d2 = wd[ci + 2], d3 = wd[ci + 3];
    const float *x0 = x + (size_t)ci * HW;
    for (int p = 0; p < HW; p++) {
      float e0 = x0[p], e1 = x0[p + HW], e2 = x0[p + 2 * HW], e3 = x0[p + 3 * HW];
      float a = oa[p] + e0 * a0, b = ob[p] + e0 * b0, c = oc[p] + e0 * c0, d = od[p] + e0 * d0;
      a = a + e1 * a1, b = b + e1 * b1, c = c + e1 * c1, d = d + e1 * d1;
      a = a + e2 * a2, b = b + e2 * b2, c = c + e2 * c2, d = d + e2 * d2;
      oa[p] = a + e3 * a3, ob[p] = b + e3 * b3, oc[p] = c + e3 * c3, od[p] = d + e3 * d3;
    }
  }
  for (; ci < CIN; ci++) {
    float a0 = wa[ci], b0 = wb[ci], c0 = wc[ci], d0 = wd[ci];
    const float *xr = x + (size_t)ci * HW;
    for (int p = 0; p < HW; p++) {
      float e = xr[p];
      oa[p] = oa[p] + e * a0, ob[p] = ob[p] + e * b0, oc[p] = oc[p] + e * c0, od[p] = od[p] + e * d0;
    }
  }
}

static void pointwise(const float *x, const float *w, const float *bias, float *y, int N, int CIN, int HW, int COUT) {
  for (int b = 0; b < N; b++) {
    const float *xb = x + (size_t)b * CIN * HW;
    float *yb = y + (size_t)b * COUT * HW;
    for (size_t i = 0; i < (size_t)COUT * HW; i++) yb[i] = 0.0f;
    int co = 0;
    for (; co + 4 <= COUT; co += 4) pw_rows4(yb + (size_t)co * HW, xb, w + (size_t)co * CIN, CIN, HW);
    for (; co < COUT; co++) pw_row(yb + (size_t)co * HW, xb, w + (size_t)co * CIN, CIN, HW);
    if (bias)
      for (co = 0; co < COUT; co++)
        for (int p = 0; p < HW; p++) yb[(size_t)co * HW + p] = yb[(size_t)co * HW + p] + bias[co];
  }
}

static void group_norm(const float *x, const float *gamma, const float *beta, float eps, float *y, int N, int C, int S, int G) {
  int cg = C / G, count = cg * S;
  float countF = (float)count;
  for (int b = 0; b < N; b++)
    for (int g = 0; g < G; g++) {
      const float *v = x + ((size_t)b * C + g * cg) * S;
      float mean = tree_sum(v, count) / countF;
      float var = tree_sum_sq_dev(v, count, mean) / countF;
      float sd = sqrtf(var + eps);
      for (int ch = g * cg; ch < (g + 1) * cg; ch++) {
        size_t start = ((size_t)b * C + ch) * S;
        for (size_t e = start; e < start + S; e++) {
          float t = (x[e] - mean) / sd;
          y[e] = gamma ? (beta ? t * gamma[ch] + beta[ch] : t * gamma[ch]) : (beta ? t + beta[ch] : t);
        }
      }
    }
}

static void relu(const float *x, float *y, size_t n) {
  const int32_t *src = (const int32_t *)x;
  int32_t *dst = (int32_t *)y;
  for (size_t i = 0; i < n; i++) {
    int32_t b = src[i];
    int32_t mag = b & 0x7fffffff;
    dst[i] = b < 0 && mag != 0 && mag <= 0x7f800000 ? 0 : b;
  }
}

static void adaptive_avg_pool(const float *x, float *y, int NC, int H, int W, int OH, int OW) {
  size_t o = 0;
  for (int plane = 0; plane < NC; plane++) {
    const float *base = x + (size_t)plane * H * W;
    for (int i = 0; i < OH; i++) {
      int r0 = (i * H) / OH, r1 = ((i + 1) * H + OH - 1) / OH;
      for (int j = 0; j < OW; j++) {
        int c0 = (j * W) / OW, c1 = ((j + 1) * W + OW - 1) / OW;
        int count = (r1 - r0) * (c1 - c0);
        const float *start = base + r0 * W + c0;
        float s = c1 - c0 == W ? tree_sum(start, count) : tree_sum_window(start, W, r1 - r0, c1 - c0);
        y[o++] = s / (float)count;
      }
    }
  }
}

#define BIAS(acc, o) (bias ? (acc) + bias[o] : (acc))
static void linear(const float *x, const float *w, const float *bias, float *y, int N, int IN, int OUT) {
  int b = 0;
  for (; b + 2 <= N; b += 2) {
    const float *x0 = x + (size_t)b * IN, *x1 = x0 + IN;
    float *y0 = y + (size_t)b * OUT, *y1 = y0 + OUT;
    int o = 0;
    for (; o + 4 <= OUT; o += 4) {
      const float *w0 = w + (size_t)o * IN, *w1 = w0 + IN, *w2 = w1 + IN, *w3 = w2 + IN;
      float a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      for (int i = 0; i < IN; i++) {
        float u = x0[i], v = x1[i], k0 = w0[i], k1 = w1[i], k2 = w2[i], k3 = w3[i];
        a0 = a0 + u * k0, a1 = a1 + u * k1, a2 = a2 + u * k2, a3 = a3 + u * k3;
        b0 = b0 + v * k0, b1 = b1 + v * k1, b2 = b2 + v * k2, b3 = b3 + v * k3;
      }
      y0[o] = BIAS(a0, o), y0[o + 1] = BIAS(a1, o + 1), y0[o + 2] = BIAS(a2, o + 2), y0[o + 3] = BIAS(a3, o + 3);
      y1[o] = BIAS(b0, o), y1[o + 1] = BIAS(b1, o + 1), y1[o + 2] = BIAS(b2, o + 2), y1[o + 3] = BIAS(b3, o + 3);
    }
    for (; o < OUT; o++) {
      const float *w0 = w + (size_t)o * IN;
      float a = 0, c = 0;
      for (int i = 0; i < IN; i++) a = a + x0[i] * w0[i], c = c + x1[i] * w0[i];
      y0[o] = BIAS(a, o), y1[o] = BIAS(c, o);
    }
  }
  for (; b < N; b++) {
    const float *x0 = x + (size_t)b * IN;
    float *y0 = y + (size_t)b * OUT;
    int o = 0;
    for (; o + 4 <= OUT; o += 4) {
      const float *w0 = w + (size_t)o * IN, *w1 = w0 + IN, *w2 = w1 + IN, *w3 = w2 + IN;
      float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (int i = 0; i < IN; i++) {
        float u = x0[i];
        a0 = a0 + u * w0[i], a1 = a1 + u * w1[i], a2 = a2 + u * w2[i], a3 = a3 + u * w3[i];
      }
      y0[o] = BIAS(a0, o), y0[o + 1] = BIAS(a1, o + 1), y0[o + 2] = BIAS(a2, o + 2), y0[o + 3] = BIAS(a3, o + 3);
    }
    for (; o < OUT; o++) {
      const float *w0 = w + (size_t)o * IN;
      float a = 0;
      for (int i = 0; i < IN; i++) a = a + x0[i] * w0[i];
      y0[o] = BIAS(a, o);
    }
  }
}

/* ---- the benchmark cases (sizes as bench/referenceOps.ts) ---- */
enum { N_ = 1, C_ = 64, H_ = 56, W_ = 56, HW_ = H_ * W_, G_ = 32, POOL_ = 7, LN_ = 64, LIN_ = 1024, LOUT_ = 1024, CLS_ = 10 };
static float *X, *DW_W, *DW_B, *PW_W, *PW_B, *GN_G, *GN_B, *LX, *LW, *LB, *FC_W, *FC_B, *OUT, *TMP1, *TMP2;

static void setup(void) {
  size_t n = (size_t)N_ * C_ * HW_;
  X = random_tensor(n, 1);
  DW_W = random_tensor(C_ * 9, 2);
  DW_B = random_tensor(C_, 3);
  PW_W = random_tensor(C_ * C_, 4);
  PW_B = random_tensor(C_, 5);
  GN_G = random_tensor(C_, 6);
  GN_B = random_tensor(C_, 7);
  LX = random_tensor((size_t)LN_ * LIN_, 8);
  LW = random_tensor((size_t)LOUT_ * LIN_, 9);
  LB = random_tensor(LOUT_, 10);
  FC_W = random_tensor(CLS_ * C_, 11);
  FC_B = random_tensor(CLS_, 12);
  OUT = malloc(((size_t)LN_ * LOUT_ > n ? (size_t)LN_ * LOUT_ : n) * sizeof(float));
  TMP1 = malloc(n * sizeof(float));
  TMP2 = malloc(n * sizeof(float));
}

static size_t run_op(const char *op) {
  size_t n = (size_t)N_ * C_ * HW_;
  if (!strcmp(op, "depthwiseConv2d")) {
    depthwise(X, DW_W, DW_B, OUT, N_, C_, H_, W_, 1, 3, 3, 1, 1, 1, 1, 1, 1, H_, W_);
    return n;
  }
  if (!strcmp(op, "pointwiseConv2d")) {
    pointwise(X, PW_W, PW_B, OUT, N_, C_, HW_, C_);
    return n;
  }
  if (!strcmp(op, "groupNorm")) {
    group_norm(X, GN_G, GN_B, 1e-5f, OUT, N_, C_, HW_, G_);
    return n;
  }
  if (!strcmp(op, "relu")) {
    relu(X, OUT, n);
    return n;
  }
  if (!strcmp(op, "adaptiveAvgPool2d")) {
    adaptive_avg_pool(X, OUT, N_ * C_, H_, W_, POOL_, POOL_);
    return (size_t)N_ * C_ * POOL_ * POOL_;
  }
  if (!strcmp(op, "adaptiveAvgPool2d-global")) {
    adaptive_avg_pool(X, OUT, N_ * C_, H_, W_, 1, 1);
    return (size_t)N_ * C_;
  }
  if (!strcmp(op, "linear")) {
    linear(LX, LW, LB, OUT, LN_, LIN_, LOUT_);
    return (size_t)LN_ * LOUT_;
  }
  if (!strcmp(op, "depthwiseSeparableBlock")) {
    depthwise(X, DW_W, DW_B, TMP1, N_, C_, H_, W_, 1, 3, 3, 1, 1, 1, 1, 1, 1, H_, W_);
    pointwise(TMP1, PW_W, PW_B, TMP2, N_, C_, HW_, C_);
    group_norm(TMP2, GN_G, GN_B, 1e-5f, TMP1, N_, C_, HW_, G_);
    relu(TMP1, TMP2, n);
    adaptive_avg_pool(TMP2, TMP1, N_ * C_, H_, W_, 1, 1);
    linear(TMP1, FC_W, FC_B, OUT, N_, C_, CLS_);
    return (size_t)N_ * CLS_;
  }
  fprintf(stderr, "unknown op %s\n", op);
  exit(2);
}

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}
static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Times `run` on `op` for at least minMillis of CPU time and prints the line described at the top
 * (shared with ref_ops_simd4.c, which includes this file with REF_OPS_LIBRARY defined). */
static int bench_main(int argc, char **argv, size_t (*run)(const char *)) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <op> <minMillis>\n", argv[0]);
    return 2;
  }
  const char *op = argv[1];
  double budget = atof(argv[2]) * 1e6;
  setup();
  size_t outN = run(op); /* warm-up */
  enum { MAX_RUNS = 2000 };
  static double t[MAX_RUNS], dev[MAX_RUNS];
  int runs = 0;
  double total = 0;
  while (runs < MAX_RUNS && (runs < 10 || total < budget)) {
    double t0 = now_ns();
    run(op);
    t[runs] = now_ns() - t0;
    total += t[runs++];
  }
  qsort(t, runs, sizeof t[0], cmp_double);
  double median = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
  for (int i = 0; i < runs; i++) dev[i] = fabs(t[i] - median);
  qsort(dev, runs, sizeof dev[0], cmp_double);
  double mad = runs % 2 ? dev[runs / 2] : (dev[runs / 2 - 1] + dev[runs / 2]) / 2;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < outN; i++) {
    uint32_t bits;
    memcpy(&bits, &OUT[i], 4);
    h = (h ^ bits) * 16777619u;
  }
  printf("%s %.0f %.0f %d %08x\n", op, median, mad, runs, h);
  return 0;
}

#ifndef REF_OPS_LIBRARY
int main(int argc, char **argv) { return bench_main(argc, argv, run_op); }
#endif
