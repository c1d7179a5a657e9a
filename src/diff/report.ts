/**
 * The result of a `refsim diff` run and its text and JSON forms (the HTML form is html.ts).
 */
import type { Accuracy, CaseGenOptions } from '../ops/types.ts';
import type { AdapterReport } from '../gpu/types.ts';
import type { Profile } from '../reference/tensor.ts';
import { version } from '../version.ts';
import { type ElementReport, ULP_BUCKETS } from './classify.ts';
import { formatCoords } from '../util/coords.ts';
import { f32WithBits, formatAccuracy, formatAdapter, formatPercent, formatSci } from './format.ts';
import type { OpDiffSummary, Shard } from './run.ts';
import { type BoundOrder, relaxedCause, relaxedFields, type RelaxedSummary } from './relaxed.ts';

export interface DiffReport {
  readonly adapter: AdapterReport;
  readonly backend: string;
  readonly profile: Profile;
  /** How the profile was chosen, e.g. 'auto: probe measured a*b+c unfused' or 'forced by --profile'. */
  readonly profileSource: string;
  readonly accuracy: Accuracy;
  readonly seed: number;
  /** Cases per op in the whole campaign. */
  readonly cases: number;
  readonly shard: Shard;
  readonly batch: number;
  readonly gen: CaseGenOptions;
  readonly ops: readonly OpDiffSummary[];
  readonly seconds: number;
  /** Bound family of the verdicts (absent: 'documented'). */
  readonly boundOrder?: BoundOrder;
  /** The probe's relaxed-math summary, when the run probed the GPU. */
  readonly relaxedMath?: RelaxedSummary;
}

// Relaxed math in the report (src/diff/relaxed.ts): why the verdicts use the bounds they use, and
// which violations the backend's relaxed math explains.
const CAUSE_TEXT: Readonly<Record<string, string>> = {
  nanInf: "the backend's relaxed math does not preserve NaN/±Inf (refsim probe: relaxedMath.nanInf relaxed)",
  signedZero: "the backend's relaxed math does not preserve −0 (refsim probe: relaxedMath.signedZero relaxed)",
  reassociation: 'the backend reassociates sums (refsim probe: relaxedMath.reassociation relaxed) and the forced --profile keeps documented-order bounds',
};

function verdictsLine(r: DiffReport): string[] {
  if (r.relaxedMath === undefined) return [];
  const relaxed = relaxedFields(r.relaxedMath);
  const bounds = r.boundOrder === 'anyOrder'
    ? 'any-order bounds (the probe saw reassociation: sums need not follow the documented order, so bit-exactness is not expected)'
    : 'documented-order bounds';
  return [`verdicts: ${bounds}; relaxed math seen: ${relaxed.length === 0 ? 'none' : relaxed.join(', ')}`];
}

/** Per violation reason explained by a relaxed property: [reason, count, property]. */
function relaxedCauses(r: DiffReport, o: OpDiffSummary): { reason: string; count: number; cause: string }[] {
  if (r.relaxedMath === undefined) return [];
  const out: { reason: string; count: number; cause: string }[] = [];
  for (const [reason, count] of Object.entries(o.violationReasons) as [keyof OpDiffSummary['violationReasons'], number][]) {
    const cause = count > 0 ? relaxedCause(o.op, reason, r.relaxedMath, r.boundOrder ?? 'documented') : null;
    if (cause !== null) out.push({ reason, count, cause });
  }
  return out;
}

/** Element counts of a verdict row (a diff op, a check file, or their total). */
export interface VerdictCounts {
  readonly elements: number;
  readonly exact: number;
  readonly within: number;
  readonly unbounded: number;
  readonly violations: number;
  /** Differing pairs that are both NaN or both zero (other bits, same value): outside the ULP buckets. */
  readonly sameValue: number;
  /** Counts per ULP_BUCKETS entry (bucket 0: identical bits, so it equals `exact`). */
  readonly histogram: readonly number[];
}

/** Sums of several rows' counts. */
export function totalCounts(rows: readonly VerdictCounts[]): VerdictCounts {
  const histogram = ULP_BUCKETS.map((_, b) => rows.reduce((a, r) => a + (r.histogram[b] ?? 0), 0));
  const sum = (k: 'elements' | 'exact' | 'within' | 'unbounded' | 'violations' | 'sameValue') => rows.reduce((a, r) => a + r[k], 0);
  return {
    elements: sum('elements'), exact: sum('exact'), within: sum('within'), unbounded: sum('unbounded'), violations: sum('violations'),
    sameValue: sum('sameValue'), histogram,
  };
}

/**
 * The exit code of a verdict run: 1 for any violation, else 3 when some element has no finite
 * bound (no verdict possible — never a pass), else 0.
 */
export function verdictExitCode(total: VerdictCounts): 0 | 1 | 3 {
  return total.violations > 0 ? 1 : total.unbounded > 0 ? 3 : 0;
}

/** The closing line of a verdict run: OK, FAILED (violations) or UNBOUNDED. */
export function verdictStatusLine(total: VerdictCounts, seconds: number): string {
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  const took = `(${seconds.toFixed(1)} s)`;
  if (total.violations > 0) {
    return `FAILED: ${plural(total.violations, 'violation')}${total.unbounded > 0 ? `, ${plural(total.unbounded, 'unbounded element')}` : ''} ${took}`;
  }
  if (total.unbounded > 0) return `UNBOUNDED: no violation, but ${plural(total.unbounded, 'element')} differ under an infinite bound: no verdict possible ${took}`;
  return `OK: no violations ${took}`;
}

/**
 * Column headers of the verdict counts, in verdictCells order. `ulp 0` counts identical bits, so it
 * always equals the exact count; NaN/±0 holds pairs that are both NaN or both zero with other bits.
 */
export const VERDICT_HEADER: readonly string[] = ['elements', 'exact', ...ULP_BUCKETS.map((b) => `ulp ${b.label}`), 'NaN/±0', 'unbounded', 'violations'];

export function verdictCells(v: VerdictCounts): string[] {
  return [String(v.elements), formatPercent(v.exact, v.elements), ...v.histogram.map(String), String(v.sameValue), String(v.unbounded), String(v.violations)];
}

/** Pads a table of text cells: the first column left-aligned, the rest right-aligned. */
export function padTable(cells: readonly (readonly string[])[]): string[] {
  const widths = cells[0]!.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  return cells.map((r) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ').trimEnd());
}

/** "4 ULP" or "nan mismatch", and " (|err| 1.2e-7 ≤ bound 3.4e-7)" where a bound was consulted. */
export function distanceText(e: ElementReport): { ulp: string; bound: string } {
  // Both NaN, or ±0: equal values with other bits, which no ULP distance describes.
  const ulp = e.sameValue === true ? (Number.isNaN(e.got) ? 'NaN vs NaN, other bits' : '+0 vs −0')
    : Number.isFinite(e.ulp) ? `${e.ulp} ULP` : `${e.reason ?? 'non-finite'} mismatch`;
  if (e.bound === null) return { ulp, bound: '' };
  const cmp = e.bound === Infinity ? 'under an infinite bound' : `${e.absError <= e.bound ? '≤' : '>'} bound ${formatSci(e.bound)}`;
  return { ulp, bound: ` (|err| ${formatSci(e.absError)} ${cmp})` };
}

/** "[n=0 c=1 h=2 w=3]: gpu 1.5 (0x3fc00000) vs ref 1.25 (0x3fa00000)". */
export function valuesText(e: ElementReport, shape: readonly number[], gotLabel: string): string {
  return `${formatCoords(shape, e.index)}: ${gotLabel} ${f32WithBits(e.got, e.gotBits)} vs ref ${f32WithBits(e.expected, e.expectedBits)}`;
}

const finiteOrNull = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);

/** One differing element for a JSON report; non-finite numbers become null. */
export function elementJson(e: ElementReport, shape: readonly number[], gotKey: string): Record<string, unknown> {
  return {
    index: e.index,
    coords: formatCoords(shape, e.index),
    [gotKey]: f32WithBits(e.got, e.gotBits),
    reference: f32WithBits(e.expected, e.expectedBits),
    ulp: e.sameValue === true && Number.isNaN(e.got) ? null : finiteOrNull(e.ulp),
    absError: finiteOrNull(e.absError),
    bound: e.bound === Infinity ? 'Infinity' : finiteOrNull(e.bound),
    verdict: e.verdict,
    reason: e.reason ?? null,
  };
}

export function countsJson(v: VerdictCounts): Record<string, unknown> {
  return {
    elements: v.elements,
    exact: v.exact,
    within: v.within,
    unbounded: v.unbounded,
    violations: v.violations,
    sameValueOtherBits: v.sameValue,
    ulpHistogram: Object.fromEntries(ULP_BUCKETS.map((b, i) => [b.label, v.histogram[i] ?? 0])),
  };
}

export const reportOk = (r: DiffReport): boolean => verdictExitCode(totalCounts(r.ops)) === 0;

function worstText(o: OpDiffSummary): string {
  const w = o.worst;
  if (w === null) return 'all bit-identical';
  const d = distanceText(w);
  return `${d.ulp} at case ${w.caseIndex} ${valuesText(w, o.worstCase?.expected.shape ?? [], 'gpu')}${d.bound}`;
}

/** The human-readable report `refsim diff` prints. */
export function formatDiffText(r: DiffReport): string {
  const lines = [
    `adapter: ${formatAdapter(r.adapter)}`,
    `profile: ${r.profile} (${r.profileSource}); accuracy: ${formatAccuracy(r.accuracy)}`,
    ...verdictsLine(r),
    `seed ${r.seed} · ${r.cases} cases per op${r.shard.count > 1 ? ` · shard ${r.shard.index}/${r.shard.count}` : ''} · batch ${r.batch} · ≤${r.gen.maxElements} elements per input${r.gen.specialValues ? ' · special values' : ''}`,
    '',
  ];
  const header = ['op', 'cases', ...VERDICT_HEADER, 'cases/s'];
  const rows = r.ops.map((o) => [o.op, String(o.cases), ...verdictCells(o), o.seconds > 0 ? (o.cases / o.seconds).toFixed(0) : '–']);
  lines.push(...padTable([header, ...rows]), '');
  for (const o of r.ops) {
    lines.push(`${o.op}: worst ${worstText(o)}`);
    if (o.violations > 0) {
      lines.push(`  ${o.violations} violation${o.violations === 1 ? '' : 's'} in ${o.violatingCases} case${o.violatingCases === 1 ? '' : 's'}; first at seed ${r.seed} path ${o.firstViolationIndex}`);
      for (const c of relaxedCauses(r, o)) lines.push(`  ${c.count} of them (${c.reason}): likely cause: ${CAUSE_TEXT[c.cause]}`);
      const s = o.shrunk;
      if (s !== null) {
        const what = s.reproducedAlone ? `shrunk to seed ${s.seed} path ${s.path}` : `case ${s.path} passes when run alone (batch-dependent); saved unshrunk`;
        lines.push(`  ${what}${s.fixture === null ? '' : `: ${s.fixture}`}`);
        if (s.fixture !== null) lines.push(`  reproduce: npx refsim repro ${s.fixture}`);
        if (s.fixtureError !== null) lines.push(`  fixture NOT saved: ${s.fixtureError}`);
      }
    }
  }
  lines.push('', verdictStatusLine(totalCounts(r.ops), r.seconds));
  return `${lines.join('\n')}\n`;
}

/** The machine-readable report (--json). Non-finite numbers become null. */
export function diffReportJson(r: DiffReport): unknown {
  return {
    refsimVersion: version,
    ok: reportOk(r),
    adapter: r.adapter,
    backend: r.backend,
    profile: r.profile,
    profileSource: r.profileSource,
    accuracy: r.accuracy,
    boundOrder: r.boundOrder ?? 'documented',
    relaxedMath: r.relaxedMath ?? null,
    seed: r.seed,
    cases: r.cases,
    shard: `${r.shard.index}/${r.shard.count}`,
    batch: r.batch,
    maxElements: r.gen.maxElements,
    specialValues: r.gen.specialValues,
    seconds: r.seconds,
    ops: r.ops.map((o) => ({
      op: o.op,
      cases: o.cases,
      ...countsJson(o),
      withinBound: o.within,
      violatingCases: o.violatingCases,
      violationReasons: o.violationReasons,
      relaxedMathCauses: relaxedCauses(r, o),
      worst: o.worst === null ? null : { case: o.worst.caseIndex, ...elementJson(o.worst, o.worstCase?.expected.shape ?? [], 'gpu') },
      firstViolationPath: o.firstViolationIndex === null ? null : String(o.firstViolationIndex),
      shrunk: o.shrunk === null ? null : { seed: o.shrunk.seed, path: o.shrunk.path, reproducedAlone: o.shrunk.reproducedAlone, fixture: o.shrunk.fixture, fixtureError: o.shrunk.fixtureError },
      casesPerSecond: o.seconds > 0 ? o.cases / o.seconds : null,
    })),
  };
}
