/**
 * What a stress run found, in the terms the exit code and the soak count: its outcome (the kinds of
 * failure it had, or clean) and whether those are findings (exit 1) or the environment's (exit 3).
 */
import type { FailureKind, StressReport } from './types.ts';

/** A run's outcome parts, in a fixed order; 'ids-fail': the event-id check failed. */
export const OUTCOME_PARTS = ['native-crash', 'crash', 'hang', 'wrong', 'ids-fail', 'device-lost', 'startup'] as const;
export type OutcomePart = (typeof OUTCOME_PARTS)[number];

/** Failures that are the environment's (no device, device gone), not something the run found. */
const ENVIRONMENT: readonly FailureKind[] = ['device-lost', 'startup'];

export function outcomeParts(r: Pick<StressReport, 'failures' | 'ids'>): OutcomePart[] {
  const kinds = new Set<string>(r.failures.map((f) => f.kind));
  if (!r.ids.ok) kinds.add('ids-fail');
  return OUTCOME_PARTS.filter((p) => kinds.has(p));
}

/** "clean", or the parts joined with "+" (e.g. "native-crash+wrong"). */
export function outcomeOf(r: Pick<StressReport, 'failures' | 'ids' | 'ok'>): string {
  const parts = outcomeParts(r);
  return parts.length === 0 ? (r.ok ? 'clean' : 'incomplete') : parts.join('+');
}

/** 0 clean; 1 a finding (native crash, crash, hang, wrong result, id defect); 3 only the environment failed. */
export function stressExitCode(r: Pick<StressReport, 'failures' | 'ids' | 'ok'>): 0 | 1 | 3 {
  if (r.ok) return 0;
  const parts = outcomeParts(r);
  if (parts.length > 0 && parts.every((p) => (ENVIRONMENT as readonly string[]).includes(p))) return 3;
  return 1;
}
