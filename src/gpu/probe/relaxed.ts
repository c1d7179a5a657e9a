/**
 * The relaxed-math checks: which forms, on which inputs, with which IEEE result and which result
 * a relaxed compiler's rewrite would give. Special values are fixed inputs with hand-written IEEE
 * results; order-sensitive properties are random samples with results computed in float32 here.
 * Every operand is read from a buffer at run time, so no compiler can evaluate a result at compile
 * time; only the rewrite checks show it constants or identities on purpose.
 */
import { FLT_MAX, f32Bits } from '../../reference/float32.ts';
import type { CheckResult } from './checks.ts';
import { describeBits, field, judgeCheck } from './checks.ts';
import type { LoopShape, ProbeDevice } from './device.ts';
import { fusionSamples, randomF32 } from './samples.ts';
import type { RelaxedMath } from './schema.ts';

const f = Math.fround;
/** The NaN every NaN input uses (quiet, with a payload, so a pass-through is visible). */
const NAN_BITS = 0x7fc00001;
const bitsIn = (v: number): number => (Number.isNaN(v) ? NAN_BITS : f32Bits(v));

/** [a, b, c, IEEE result, rewritten result] for one input; NaN inputs are 0x7fc00001. */
type Row = readonly [number, number, number, number, number?];
interface FixedCheck {
  readonly expr: string;
  readonly rows: readonly Row[];
}

const INF = Infinity;
const NAN = NaN;

const NAN_INF: readonly FixedCheck[] = [
  { expr: 'a + b', rows: [[NAN, 1, 0, NAN], [INF, 1, 0, INF], [INF, -INF, 0, NAN]] },
  { expr: 'a * b', rows: [[0, INF, 0, NAN], [NAN, 2, 0, NAN], [2 ** 100, 2 ** 100, 0, INF]] },
  { expr: 'a / b', rows: [[1, 0, 0, INF], [-1, 0, 0, -INF], [0, 0, 0, NAN], [INF, INF, 0, NAN]] },
  { expr: 'sqrt(a)', rows: [[-1, 0, 0, NAN], [INF, 0, 0, INF]] },
  { expr: 'select(0.0, 1.0, a < b)', rows: [[NAN, 1, 0, 0], [1, NAN, 0, 0]] },
  { expr: 'select(0.0, 1.0, a == b)', rows: [[NAN, NAN, 0, 0], [INF, INF, 0, 1]] },
  { expr: 'select(0.0, 1.0, a > b)', rows: [[INF, FLT_MAX, 0, 1], [-INF, -FLT_MAX, 0, 0]] },
  // WGSL: "If one operand is a NaN, the other is returned."
  { expr: 'max(a, b)', rows: [[NAN, 1, 0, 1], [1, NAN, 0, 1]] },
  { expr: 'min(a, b)', rows: [[NAN, 1, 0, 1], [1, NAN, 0, 1]] },
  // The NaN test on the bit pattern, which no math mode may change (relu decides this way).
  { expr: 'select(0.0, 1.0, (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u)', rows: [[NAN, 0, 0, 1], [INF, 0, 0, 0], [1, 0, 0, 0]] },
];

const NAN_INF_REWRITES: readonly FixedCheck[] = [
  { expr: 'select(0.0, 1.0, a != a)', rows: [[NAN, 0, 0, 1, 0], [1, 0, 0, 0, 0]] },
  { expr: 'select(0.0, 1.0, !(a == a))', rows: [[NAN, 0, 0, 1, 0]] },
  // Tint's SPIR-V writer emits an ordered not-equal: false for NaN on every Vulkan driver.
  { expr: 'select(0.0, 1.0, a != b)', rows: [[NAN, NAN, 0, 1, 0], [NAN, 1, 0, 1, 0]] },
  { expr: 'select(0.0, 1.0, !(a >= b))', rows: [[NAN, 1, 0, 1, 0]] },
  // Compare-and-select rewritten into max (Mesa's OpenGL ES path does it).
  { expr: 'select(a, b, a < b)', rows: [[NAN, 1, 0, NAN, 1]] },
  { expr: 'a * 0.0', rows: [[NAN, 0, 0, NAN, 0], [INF, 0, 0, NAN, 0]] },
  { expr: 'a - a', rows: [[INF, 0, 0, NAN, 0], [NAN, 0, 0, NAN, 0]] },
  { expr: 'select(0.0, 1.0, a > 0x1.fffffep+127f)', rows: [[INF, 0, 0, 1, 0]] },
];

const SIGNED_ZERO: readonly FixedCheck[] = [
  { expr: 'a + b', rows: [[-0, -0, 0, -0], [-0, 0, 0, 0], [0, -0, 0, 0]] },
  { expr: 'a - b', rows: [[1, 1, 0, 0], [-0, 0, 0, -0], [0, 0, 0, 0]] },
  { expr: 'a * b', rows: [[-0, 1, 0, -0], [-1, 0, 0, -0], [-(2 ** -100), 2 ** -100, 0, -0]] },
  { expr: '-a', rows: [[0, 0, 0, -0], [-0, 0, 0, 0]] },
];

const SIGNED_ZERO_REWRITES: readonly FixedCheck[] = [
  { expr: '0.0 + a', rows: [[-0, 0, 0, 0, -0]] },
  { expr: 'a + 0.0', rows: [[-0, 0, 0, 0, -0]] },
  { expr: '0.0 - a', rows: [[0, 0, 0, 0, -0]] },
  { expr: 'a * 0.0', rows: [[-1, 0, 0, -0, 0]] },
  { expr: 'a * 1.0', rows: [[-0, 0, 0, -0]] },
  { expr: '-(a - b)', rows: [[1, 1, 0, -0, 0]] },
];

const inputNames = (expr: string): ('a' | 'b' | 'c')[] => (['a', 'b', 'c'] as const).filter((v) => new RegExp(`\\b${v}\\b`).test(expr));

/** Evidence text of sample i's inputs, read as bits (a NaN's payload shows). */
function describeInputs(expr: string, a: Float32Array, b: Float32Array, c: Float32Array): (i: number) => string[] {
  const names = inputNames(expr);
  const bits = { a: new Uint32Array(a.buffer, a.byteOffset, a.length), b: new Uint32Array(b.buffer, b.byteOffset, b.length), c: new Uint32Array(c.buffer, c.byteOffset, c.length) };
  return (i) => names.map((v) => `${v} = ${describeBits(bits[v][i]!)}`);
}

async function runFixed(dev: ProbeDevice, check: FixedCheck): Promise<CheckResult> {
  const col = (k: 0 | 1 | 2) => new Float32Array(Uint32Array.from(check.rows, (row) => bitsIn(row[k])).buffer);
  const [a, b, c] = [col(0), col(1), col(2)];
  const got = await dev.elementwise(check.expr, check.expr, a, b, c);
  const hasAlt = check.rows.some((row) => row[4] !== undefined);
  return judgeCheck({
    expr: check.expr,
    rule: 'all',
    got,
    expected: check.rows.map((row) => f32Bits(row[3])),
    ...(hasAlt ? { alternative: check.rows.map((row) => f32Bits(row[4] ?? row[3])) } : {}),
    inputs: describeInputs(check.expr, a, b, c),
  });
}

interface RandomCheck {
  readonly expr: string;
  readonly rule: 'all' | 'majority';
  /** One sample's inputs (float32 values). */
  draw(r: () => number): [number, number, number];
  expected(a: number, b: number, c: number): number;
  alternative(a: number, b: number, c: number): number;
}

async function runRandom(dev: ProbeDevice, check: RandomCheck, n: number, r: () => number): Promise<CheckResult> {
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  const c = new Float32Array(n);
  for (let i = 0; i < n; i++) [a[i], b[i], c[i]] = check.draw(r);
  const got = await dev.elementwise(check.expr, check.expr, a, b, c);
  const expected = new Uint32Array(n);
  const alternative = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    expected[i] = f32Bits(check.expected(a[i]!, b[i]!, c[i]!));
    alternative[i] = f32Bits(check.alternative(a[i]!, b[i]!, c[i]!));
  }
  return judgeCheck({ expr: check.expr, rule: check.rule, got, expected, alternative, inputs: describeInputs(check.expr, a, b, c) });
}

const mid = (r: () => number) => randomF32(r, -8, 8, true);

const REASSOCIATION: readonly RandomCheck[] = [
  { expr: '(a + b) + c', rule: 'all', draw: (r) => [mid(r), mid(r), mid(r)], expected: (a, b, c) => f(f(a + b) + c), alternative: (a, b, c) => f(a + f(b + c)) },
  {
    expr: '(a * b) * c', rule: 'all',
    draw: (r) => [randomF32(r, -20, 20, true), randomF32(r, -20, 20, true), randomF32(r, -20, 20, true)],
    expected: (a, b, c) => f(f(a * b) * c), alternative: (a, b, c) => f(a * f(b * c)),
  },
];

const REASSOCIATION_REWRITES: readonly RandomCheck[] = [
  { expr: '(a + b) - b', rule: 'all', draw: (r) => [mid(r), randomF32(r, 16, 24, true), 0], expected: (a, b) => f(f(a + b) - b), alternative: (a) => a },
  { expr: '(a + 16777216.0) - 16777216.0', rule: 'all', draw: (r) => [mid(r), 0, 0], expected: (a) => f(f(a + 2 ** 24) - 2 ** 24), alternative: (a) => a },
];

const wide = (r: () => number) => randomF32(r, -60, 60, true);
const RECIPROCAL: RandomCheck = { expr: 'a / b', rule: 'majority', draw: (r) => [wide(r), wide(r), 0], expected: (a, b) => f(a / b), alternative: (a, b) => f(a * f(1 / b)) };
const RECIPROCAL_REWRITE: RandomCheck = { expr: 'a / 10.0', rule: 'majority', draw: (r) => [wide(r), 0, 0], expected: (a) => f(a / 10), alternative: (a) => f(a * f(0.1)) };

/** a·b + c, c + a·b and a·b − c on inputs where fusing shows; IEEE = two roundings, rewrite = fused. */
async function runContraction(dev: ProbeDevice, expr: string, sign: 1 | -1, n: number, r: () => number): Promise<CheckResult> {
  const s = fusionSamples(r, sign, n);
  const { a, b, c } = s;
  const got = await dev.elementwise(expr, expr, a, b, c);
  return judgeCheck({
    expr, rule: 'all', got,
    expected: s.unfused,
    alternative: s.fused,
    inputs: describeInputs(expr, a, b, c),
  });
}

/** Terms per loop row: long enough that the order of a 64-term sum shows in most rows. */
export const LOOP_TERMS = 64;
const LOOP_DESCRIPTION: Record<LoopShape, string> = {
  sum: `loop: p = p + x[i], ${LOOP_TERMS} terms from a run-time +0`,
  sum4: `loop: 4 loads, then p = p + v0; … p = p + v3 (groupNorm's lane loop), ${LOOP_TERMS} terms`,
};

/** Per row: the sum in order (IEEE) and with four interleaved partial sums (a reassociating compiler's). */
function loopSums(x: Float32Array, len: number): { inOrder: Uint32Array; fourWay: Uint32Array } {
  const rows = Math.floor(x.length / len);
  const inOrder = new Uint32Array(rows);
  const fourWay = new Uint32Array(rows);
  for (let row = 0; row < rows; row++) {
    let p = 0;
    const q = [0, 0, 0, 0];
    for (let i = 0; i < len; i++) {
      const v = x[row * len + i]!;
      p = f(p + v);
      q[i % 4] = f(q[i % 4]! + v);
    }
    inOrder[row] = f32Bits(p);
    fourWay[row] = f32Bits(f(f(q[0]! + q[1]!) + f(q[2]! + q[3]!)));
  }
  return { inOrder, fourWay };
}

async function runLoop(dev: ProbeDevice, shape: LoopShape, x: Float32Array): Promise<CheckResult> {
  const got = await dev.loopSum(shape, LOOP_TERMS, x);
  const { inOrder, fourWay } = loopSums(x, LOOP_TERMS);
  return judgeCheck({
    expr: LOOP_DESCRIPTION[shape], rule: 'all', got, expected: inOrder, alternative: fourWay,
    inputs: (row) => [`row ${row}: x = ${describeBits(f32Bits(x[row * LOOP_TERMS]!))}, ${describeBits(f32Bits(x[row * LOOP_TERMS + 1]!))}, … (${LOOP_TERMS} seeded terms)`],
  });
}

/** Random samples per order-sensitive check (division: all `n`); rows per loop check. */
const RANDOM_MAX = 1 << 16;
const LOOP_ROWS_MAX = 1 << 12;

async function fixedAll(dev: ProbeDevice, checks: readonly FixedCheck[]): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const c of checks) out.push(await runFixed(dev, c));
  return out;
}

async function randomAll(dev: ProbeDevice, checks: readonly RandomCheck[], n: number, r: () => number): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const c of checks) out.push(await runRandom(dev, c, n, r));
  return out;
}

/** Measures every relaxed-math property on `dev`, drawing random samples from `r`. */
export async function measureRelaxedMath(dev: ProbeDevice, n: number, r: () => number): Promise<RelaxedMath> {
  const m = Math.min(n, RANDOM_MAX);
  const rows = Math.min(n, LOOP_ROWS_MAX);
  const nanInf = field(await fixedAll(dev, NAN_INF), await fixedAll(dev, NAN_INF_REWRITES));
  const signedZero = field(await fixedAll(dev, SIGNED_ZERO), await fixedAll(dev, SIGNED_ZERO_REWRITES));
  const reciprocalDivision = field([await runRandom(dev, RECIPROCAL, n, r)], [await runRandom(dev, RECIPROCAL_REWRITE, m, r)]);
  const x = new Float32Array(rows * LOOP_TERMS);
  for (let i = 0; i < x.length; i++) x[i] = mid(r);
  const reassociation = field(
    [...(await randomAll(dev, REASSOCIATION, m, r)), await runLoop(dev, 'sum', x), await runLoop(dev, 'sum4', x)],
    await randomAll(dev, REASSOCIATION_REWRITES, m, r),
  );
  const contraction = field([
    await runContraction(dev, 'a * b + c', 1, m, r),
    await runContraction(dev, 'c + a * b', 1, m, r),
    await runContraction(dev, 'a * b - c', -1, m, r),
  ]);
  return { nanInf, signedZero, reciprocalDivision, reassociation, contraction };
}
