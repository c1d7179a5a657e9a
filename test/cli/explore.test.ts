/**
 * `refsim explore`: the reports and exit codes through main(argv) in this process; the heap limit
 * through the real executable (it needs a process of its own). Ctrl-C: interrupt.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { eventPoolModel, exploreBfs } from '../../src/mps/explore/index.ts';
import { runCli } from '../support/cli.ts';
import { runMain } from './inProcess.ts';

describe('refsim explore', () => {
  it('pool --variant upstream prints the shortest violating trace step by step and exits 1', async () => {
    const r = await runMain(['explore', 'pool', '--variant', 'upstream', '--threads', '2', '--ops', '3']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/variant=upstream/);
    expect(r.stdout).toMatch(/VIOLATION unique-live-ids: live events e0\.1 and e1\.1 share id 1/);
    const steps = r.stdout.split('\n').filter((l) => /^ +\d+\. T\d/.test(l));
    expect(steps).toHaveLength(14);
    // Each step is followed by the state after it.
    const arrows = r.stdout.split('\n').filter((l) => /^ +→ m_mutex=/.test(l));
    expect(arrows).toHaveLength(14);
  });

  it('pool --variant seed says "no violation in N interleavings" with the exact count', async () => {
    const r = await runMain(['explore', 'pool', '--variant', 'seed', '--threads', '2', '--ops', '3']);
    expect(r.code).toBe(0);
    const n = exploreBfs(eventPoolModel({ variant: 'seed', threads: 2, ops: 3 })).interleavings;
    expect(r.stdout).toContain(`no violation in ${n} interleavings`);
    expect(r.stdout).toMatch(/variant=seed/);
  });

  it('--json gives the trace with the state after each step', async () => {
    const r = await runMain(['explore', 'pool', '--variant', 'upstream', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.variant).toBe('upstream');
    expect(out.trace.invariant).toBe('unique-live-ids');
    expect(out.trace.steps).toHaveLength(14);
    expect(out.trace.steps[13].state.threads.map((t: { local: { id: string } }) => t.local.id)).toEqual(['1', '1']);
  });

  it('toy models: buggy fails, correct passes; sampling works', async () => {
    expect((await runMain(['explore', 'toy', '--model', 'buggy'])).code).toBe(1);
    const ok = await runMain(['explore', 'toy', '--model', 'correct', '--ops', '2']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/no violation in 6 interleavings/);
    const s = await runMain(['explore', 'pool', '--variant', 'seed', '--threads', '4', '--ops', '4', '--sample', '50', '--seed', '1']);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/no violation in 50 sampled schedules \(fast-check seed 1\)/);
  });

  it('an unfinished search says what it covered and exits 3, not 0', async () => {
    const r = await runMain(['explore', 'pool', '--threads', '4', '--ops', '6', '--time-limit', '1']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/INCOMPLETE: --time-limit reached after [\d.]+ s, no violation so far: every state within \d+ steps of the start checked/);
    expect(r.stdout).not.toMatch(/^no violation in/m);
  });

  it('rejects bad bounds with one line and exit 2', async () => {
    const r = await runMain(['explore', 'pool', '--ops', '9']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('refsim: --ops must be an integer in [1, 8]; got "9"');
    const p = await runMain(['explore', 'pool', '--paths', 'event,gpu']);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/^refsim: --paths must be 2\.\.8 comma-separated entries, each one of event, direct/);
    const i = await runMain(['explore', 'pool', '--invariant', 'nope']);
    expect(i.code).toBe(2);
    expect(i.stderr).toMatch(/--invariant must be one of unique-live-ids/);
  });
});

describe('refsim explore: bounded', () => {
  it('--max-states stops the search cleanly: the partial result, exit 3', async () => {
    const r = await runMain(['explore', 'pool', '--threads', '4', '--ops', '6', '--max-states', '1000']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/INCOMPLETE: --max-states 1000 reached after [\d.]+ s, no violation so far: every state within \d+ steps of the start checked \(\d+ states\); the search did not finish/);
    const j = await runMain(['explore', 'pool', '--threads', '4', '--ops', '6', '--max-states', '1000', '--json']);
    expect(j.code).toBe(3);
    expect(JSON.parse(j.stdout)).toMatchObject({ complete: false, stopReason: 'max-states', maxStates: 1000 });
    // A violation found within the budget is still a finding.
    expect((await runMain(['explore', 'pool', '--variant', 'upstream', '--max-states', '100000'])).code).toBe(1);
  });

  it.each([
    [['pool', '--seed', '3'], /^refsim: --seed has no effect without --sample/],
    [['pool', '--sample', '5', '--method', 'plain'], /^refsim: --method has no effect with --sample/],
    [['toy', '--sample', '5', '--max-states', '10'], /^refsim: --max-states has no effect with --sample/],
    [['pool', '--paths', 'event,direct', '--threads', '2'], /^refsim: --paths and --threads cannot be used together: --paths sets the number of threads/],
    [['pool', '--max-states', '0'], /^refsim: --max-states must be an integer in \[1, 2147483647\]; got "0"/],
  ])('%j: exit 2, one line', async (args, re) => {
    const r = await runMain(['explore', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re);
  });

  it('a heap too small for the search is a clean stop (exit 3), never a V8 abort', () => {
    const r = runCli(['explore', 'pool', '--threads', '4', '--ops', '6', '--max-states', '100000000'], { env: { NODE_OPTIONS: '--max-old-space-size=64' } });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/INCOMPLETE: the memory limit reached/);
    expect(r.stderr).not.toMatch(/FATAL|heap out of memory/);
  });
});
