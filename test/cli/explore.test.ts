import { describe, expect, it } from 'vitest';
import { eventPoolModel, exploreBfs } from '../../src/model/explore/index.ts';
import { runCli } from '../support/cli.ts';

describe('refsim explore', () => {
  it('pool --variant upstream prints the shortest violating trace step by step and exits 1', () => {
    const r = runCli(['explore', 'pool', '--variant', 'upstream', '--threads', '2', '--ops', '3']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/variant=upstream/);
    expect(r.stdout).toMatch(/VIOLATION unique-live-ids: live events e0\.1 and e1\.1 share id 1/);
    const steps = r.stdout.split('\n').filter((l) => /^ +\d+\. T\d/.test(l));
    expect(steps).toHaveLength(14);
    // Each step is followed by the state after it.
    const arrows = r.stdout.split('\n').filter((l) => /^ +→ m_mutex=/.test(l));
    expect(arrows).toHaveLength(14);
  });

  it('pool --variant seed says "no violation in N interleavings" with the exact count', () => {
    const r = runCli(['explore', 'pool', '--variant', 'seed', '--threads', '2', '--ops', '3']);
    expect(r.code).toBe(0);
    const n = exploreBfs(eventPoolModel({ variant: 'seed', threads: 2, ops: 3 })).interleavings;
    expect(r.stdout).toContain(`no violation in ${n} interleavings`);
    expect(r.stdout).toMatch(/variant=seed/);
  });

  it('--json gives the trace with the state after each step', () => {
    const r = runCli(['explore', 'pool', '--variant', 'upstream', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.variant).toBe('upstream');
    expect(out.trace.invariant).toBe('unique-live-ids');
    expect(out.trace.steps).toHaveLength(14);
    expect(out.trace.steps[13].state.threads.map((t: { local: { id: string } }) => t.local.id)).toEqual(['1', '1']);
  });

  it('toy models: buggy fails, correct passes; sampling works', () => {
    expect(runCli(['explore', 'toy', '--model', 'buggy']).code).toBe(1);
    const ok = runCli(['explore', 'toy', '--model', 'correct', '--ops', '2']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/no violation in 6 interleavings/);
    const s = runCli(['explore', 'pool', '--variant', 'seed', '--threads', '4', '--ops', '4', '--sample', '50', '--seed', '1']);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/no violation in 50 sampled schedules \(fast-check seed 1\)/);
  });

  it('an unfinished search says what it covered and exits 3, not 0', () => {
    const r = runCli(['explore', 'pool', '--threads', '4', '--ops', '6', '--time-limit', '1']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/INCOMPLETE: --time-limit reached after [\d.]+ s, no violation so far: every state within \d+ steps of the start checked/);
    expect(r.stdout).not.toMatch(/^no violation in/m);
  });

  it('rejects bad bounds with one line and exit 2', () => {
    const r = runCli(['explore', 'pool', '--ops', '9']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('refsim: --ops must be an integer in 1..8; got "9"');
    const p = runCli(['explore', 'pool', '--paths', 'event,gpu']);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/^refsim: --paths must be 2\.\.8 comma-separated entries, each one of event, direct/);
    const i = runCli(['explore', 'pool', '--invariant', 'nope']);
    expect(i.code).toBe(2);
    expect(i.stderr).toMatch(/--invariant must be one of unique-live-ids/);
  });
});
