/** The human-readable probe report. */
import type { Accuracy } from '../../ops/types.ts';
import type { CheckGroup, RelaxedField } from './checks.ts';
import type { FusionResult, ProbeResult, RelaxedFieldName, UlpResult } from './schema.ts';
import type { AdapterLimits } from '../types.ts';

function groupText(g: CheckGroup): string {
  const bad = g.checks.filter((c) => c.verdict === 'relaxed');
  if (bad.length === 0) return 'strict';
  const first = bad[0]!;
  const e = first.evidence[0];
  const example = e === undefined ? '' : `; e.g. ${first.expr}: ${e.inputs.join(', ')} -> ${e.got}, IEEE ${e.expected}`;
  return `relaxed (${bad.map((c) => c.expr).join(', ')}${example})`;
}

function fieldText(f: RelaxedField): string {
  return `${groupText(f)}${f.rewrites === undefined ? '' : `; rewrites: ${groupText(f.rewrites)}`}`;
}

const LABELS: Record<RelaxedFieldName, string> = {
  nanInf: 'NaN/Inf:',
  signedZero: 'signed zero:',
  reciprocalDivision: 'a/b vs a*(1/b):',
  reassociation: 'reassociation:',
  contraction: 'contraction:',
};

/** One line per relaxed-math property: its run-time verdict, then the rewrite checks'. */
export function formatRelaxedMath(p: ProbeResult): string[] {
  const division = p.relaxedMath.reciprocalDivision.checks[0];
  const counts = division === undefined ? '' : ` [${division.matchedAlternative} of ${division.informative} informative samples give a*(1/b), ${division.matchedExpected} a/b correctly rounded]`;
  return (Object.keys(LABELS) as RelaxedFieldName[]).map((k) => `${LABELS[k].padEnd(15)} ${fieldText(p.relaxedMath[k])}${k === 'reciprocalDivision' ? counts : ''}`);
}

/** The device's size limits on one line (docs/gpu-limits.md). */
export function formatLimits(l: AdapterLimits): string {
  return `storage binding ≤ ${l.maxStorageBufferBindingSize} B, buffer ≤ ${l.maxBufferSize} B, ${l.maxComputeWorkgroupsPerDimension} workgroups per dimension`;
}

export function formatProbe(p: ProbeResult, accuracy: Accuracy): string {
  const f = (x: FusionResult) => `${x.verdict} (${x.matchedFused} fused / ${x.matchedUnfused} unfused of ${x.informative} informative samples)`;
  const u = (x: UlpResult) => `max ${x.maxUlp} ULP over ${x.samples} samples${x.maxUlp > 0 ? `; worst: ${x.worstInput}` : ''}`;
  const a = p.adapter;
  return [
    `adapter: ${a.description || a.device} (vendor ${a.vendor || '?'}, ${a.architecture || '?'}; backend ${a.backend}, ${a.featureLevel})`,
    ...(a.limits === undefined ? [] : [`limits:       ${formatLimits(a.limits)}`]),
    `a*b+c:        ${f(p.mulAdd)}`,
    `fma(a,b,c):   ${f(p.fma)}`,
    `a/b:          ${u(p.div)}`,
    `sqrt:         ${u(p.sqrt)}`,
    `inverseSqrt:  ${u(p.inverseSqrt)}`,
    `subnormals:   inputs ${p.subnormals.flushInputs ? 'flushed' : 'kept'}, outputs ${p.subnormals.flushOutputs ? 'flushed' : 'kept'}`,
    `max(x,0.0):   -0 -> ${p.reluLike['max(x, 0.0)'].negZero}, NaN(0x7fc00001) -> ${p.reluLike['max(x, 0.0)'].nan}`,
    `select(x,0.0,x<0.0): -0 -> ${p.reluLike['select(x, 0.0, x < 0.0)'].negZero}, NaN -> ${p.reluLike['select(x, 0.0, x < 0.0)'].nan}`,
    `0.0 + x:      -0 -> ${p.reluLike['0.0 + x'].negZero} (IEEE: 0x00000000)`,
    'relaxed math (run-time operands; then rewrites of visible identities, which kernels must not rely on):',
    ...formatRelaxedMath(p).map((l) => `  ${l}`),
    `profile: ${p.profile}; accuracy: ${JSON.stringify(accuracy)}`,
  ].join('\n');
}
