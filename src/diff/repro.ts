/**
 * Replaying a mismatch fixture: the exact saved case on a GPU and on the reference (with the
 * fixture's profile and accuracy), then a report of the first differing elements with everything
 * needed to reason about them.
 */
import type { OpCase, OpSpec } from '../ops/types.ts';
import type { Tensor } from '../reference/tensor.ts';
import type { CaseVerdict, ElementReport } from './classify.ts';
import { f32FromBits, hex8 } from '../reference/float32.ts';
import { formatCoords } from '../util/coords.ts';
import { type Fixture, fixtureCase } from './fixture.ts';
import { f32WithBits, formatAccuracy, formatAdapter, formatSci } from './format.ts';
import type { DiffGpu } from './gpuRunner.ts';
import { checkOne } from './run.ts';

export interface ReproOutcome {
  readonly fixture: Fixture;
  readonly case: OpCase;
  readonly verdict: CaseVerdict;
  readonly got: Tensor;
  readonly expected: Tensor;
  readonly gpu: Pick<DiffGpu, 'adapter' | 'backend'>;
  /** True when the replay still has at least one violation. */
  readonly reproduces: boolean;
  /**
   * Recorded elements (fixture.observed.first) whose expected bits are not what the reference
   * computes now: the fixture was edited, or the reference changed since it was saved.
   */
  readonly expectedChanged: readonly ExpectedChange[];
}

export interface ExpectedChange {
  readonly index: number;
  readonly recordedBits: number;
  /** null: the index is outside the output the reference computes now. */
  readonly currentBits: number | null;
}

export async function reproduce(f: Fixture, spec: OpSpec, gpu: DiffGpu): Promise<ReproOutcome> {
  const c = fixtureCase(f);
  // Validates the case against the op (typed error for a fixture whose params no longer fit).
  spec.outputShape(c);
  const r = await checkOne(spec, gpu, c, f.profile, f.accuracy);
  return {
    fixture: f, case: c, ...r, gpu: { adapter: gpu.adapter, backend: gpu.backend }, reproduces: r.verdict.violations > 0,
    expectedChanged: expectedChanges(f, r.expected),
  };
}

/** The recorded expected bits that differ from the current reference output (see ReproOutcome). */
function expectedChanges(f: Fixture, expected: Tensor): ExpectedChange[] {
  const bits = new Uint32Array(expected.data.buffer, expected.data.byteOffset, expected.data.length);
  const out: ExpectedChange[] = [];
  for (const e of f.observed.first) {
    const recordedBits = Number.parseInt(e.expectedBits, 16);
    const currentBits = e.index < bits.length ? bits[e.index]! : null;
    if (currentBits !== recordedBits) out.push({ index: e.index, recordedBits, currentBits });
  }
  return out;
}

function formatExpectedChanges(o: ReproOutcome): string[] {
  if (o.expectedChanged.length === 0) return [];
  const shown = o.expectedChanged.slice(0, 5).map((d) =>
    d.currentBits === null
      ? `output index ${d.index} recorded, but the output has ${o.expected.data.length} elements`
      : `output${formatCoords(o.expected.shape, d.index)} recorded ${f32WithBits(f32FromBits(d.recordedBits), d.recordedBits)}, now ${f32WithBits(f32FromBits(d.currentBits), d.currentBits)}`,
  );
  const n = o.expectedChanged.length;
  return [
    `WARNING: the recorded reference bits differ from the current reference at ${n} element${n === 1 ? '' : 's'} (the fixture was edited or the reference changed):`,
    ...shown.map((l) => `  ${l}`),
    ...(n > shown.length ? [`  … ${n - shown.length} more`] : []),
  ];
}

function describeInputs(c: OpCase): string {
  return Object.entries(c.inputs).map(([k, t]) => (t === null ? `${k}=none` : `${k}[${t.shape.join('×')}]`)).join(' ');
}

function formatElement(spec: OpSpec, o: ReproOutcome, e: ElementReport, n: number, maxTaps: number): string[] {
  return [`  #${n} output${formatCoords(o.expected.shape, e.index)} (index ${e.index}): ${elementVerdictText(e)}`, ...elementDetailLines(spec, o.case, e, 'gpu', maxTaps)];
}

export function elementVerdictText(e: ElementReport): string {
  return e.verdict === 'violation' ? `VIOLATION (${e.reason ?? 'bound'})` : e.verdict === 'unbounded' ? 'UNBOUNDED (infinite bound: no verdict)' : 'within bound';
}

/** Both values, the distance and bound, and the input elements that feed the element. */
export function elementDetailLines(spec: OpSpec, c: OpCase, e: ElementReport, gotLabel: string, maxTaps: number): string[] {
  const lines = [
    `     ${gotLabel.padEnd(10)} ${f32WithBits(e.got, e.gotBits)}`,
    `     reference  ${f32WithBits(e.expected, e.expectedBits)}`,
  ];
  const ulp = e.sameValue === true && Number.isNaN(e.got) ? 'n/a (both NaN, other bits)' : Number.isFinite(e.ulp) ? String(e.ulp) : '∞ (non-finite disagreement)';
  const bound = e.bound === null ? 'not applicable' : formatSci(e.bound);
  const cmp = e.bound === null ? '' : e.absError <= e.bound ? ' ≤ ' : ' > ';
  lines.push(`     ULP distance ${ulp}; |${gotLabel} − reference| ${formatSci(e.absError)}${cmp}${e.bound === null ? '' : 'bound '}${bound}`);
  lines.push(...receptiveFieldLines(spec, c, e.index, maxTaps));
  return lines;
}

/** "receptive field: N input elements" and up to `maxTaps` of them with coordinates and bits. */
export function receptiveFieldLines(spec: OpSpec, c: OpCase, index: number, maxTaps: number): string[] {
  const taps = spec.receptiveField(c, index);
  const lines = [`     receptive field: ${taps.length} input element${taps.length === 1 ? '' : 's'}`];
  for (const tap of taps.slice(0, maxTaps)) {
    const t = c.inputs[tap.input];
    if (t === null || t === undefined) continue;
    const v = t.data[tap.index]!;
    lines.push(`       ${tap.input}${formatCoords(t.shape, tap.index)} = ${f32WithBits(v)}`);
  }
  if (taps.length > maxTaps) lines.push(`       … ${taps.length - maxTaps} more`);
  return lines;
}

export interface ReproFormatOptions {
  readonly file: string;
  /** Differing elements to print (default 5). */
  readonly limit?: number;
  /** Receptive-field inputs per element (default 12). */
  readonly taps?: number;
}

export function formatRepro(spec: OpSpec, o: ReproOutcome, opts: ReproFormatOptions): string {
  const f = o.fixture;
  const v = o.verdict;
  const lines = [
    `fixture: ${opts.file} (refsim ${f.refsimVersion}, saved ${f.createdAt})`,
    `case: ${f.op} ${JSON.stringify(f.params)} ${describeInputs(o.case)}  (seed ${f.generator.seed}, path ${f.generator.path})`,
    `saved on: ${formatAdapter(f.adapter)}; ${f.observed.violations} violation${f.observed.violations === 1 ? '' : 's'}`,
    `replay on: ${formatAdapter(o.gpu.adapter)}`,
    `profile: ${f.profile}; accuracy: ${formatAccuracy(f.accuracy)}`,
    `output[${o.expected.shape.join('×')}]: ${v.elements} elements, ${v.exact} exact, ${v.within} within bound, ${v.violations} violation${v.violations === 1 ? '' : 's'}`,
    ...formatExpectedChanges(o),
  ];
  const shown = v.differing.slice(0, opts.limit ?? 5);
  if (shown.length > 0) {
    lines.push(`first differing elements${v.differing.length > shown.length || v.violations + v.within > shown.length ? ` (${shown.length} of ${v.violations + v.within})` : ''}:`);
    shown.forEach((e, i) => lines.push(...formatElement(spec, o, e, i, opts.taps ?? 12)));
  }
  lines.push(o.reproduces ? 'MISMATCH REPRODUCES (exit 1)' : 'mismatch does not reproduce (exit 0)');
  return `${lines.join('\n')}\n`;
}

/** The machine-readable outcome (`refsim repro --json`). */
export function reproJson(o: ReproOutcome, file: string, limit: number): unknown {
  const v = o.verdict;
  const num = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);
  return {
    file,
    op: o.fixture.op,
    reproduces: o.reproduces,
    savedOn: o.fixture.adapter,
    replayedOn: o.gpu.adapter,
    profile: o.fixture.profile,
    accuracy: o.fixture.accuracy,
    elements: v.elements,
    exact: v.exact,
    withinBound: v.within,
    violations: v.violations,
    expectedChanged: o.expectedChanged.map((d) => ({
      index: d.index, recordedBits: hex8(d.recordedBits), currentBits: d.currentBits === null ? null : hex8(d.currentBits),
    })),
    differing: v.differing.slice(0, limit).map((e) => ({
      index: e.index,
      coords: formatCoords(o.expected.shape, e.index),
      gpu: f32WithBits(e.got, e.gotBits),
      reference: f32WithBits(e.expected, e.expectedBits),
      ulp: e.sameValue === true && Number.isNaN(e.got) ? null : num(e.ulp),
      absError: num(e.absError),
      bound: num(e.bound),
      verdict: e.verdict,
      reason: e.reason ?? null,
    })),
  };
}
