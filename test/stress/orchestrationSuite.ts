/**
 * The supervisor's failure paths on real worker threads, with the fake engine (the reference
 * standing in for the GPU) so they run without a device: a crash, a hang, a wrong result and a
 * lost device are each reported with their thread, op index and id, the op's inputs are saved
 * as a fixture, and the other workers finish. (Clean runs are in gpu.test.ts, on a real device.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureCase, readFixture } from '../../src/diff/fixture.ts';
import { makeBlockCase, parseBlockShape } from '../../src/stress/blockCase.ts';
import { parseFaults } from '../../src/stress/fault.ts';
import { runStress } from '../../src/stress/run.ts';
import type { StressMode, StressOptions } from '../../src/stress/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-stress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shape = parseBlockShape('1x4x6x6');
const opts = (mode: StressMode, faults: string, extra: Partial<StressOptions> = {}): StressOptions => ({
  threads: 4, ops: 16, mode, shape, seed: 2026, timeoutMs: 2000, engine: 'fake',
  fixtureDir: join(dir, mode), faults: parseFaults(faults), batch: 1, distinct: null, depth: 1, ...extra,
});

/** Every input of a fixture's case, bit for bit (read through the checker's schema). */
const fixtureBits = (file: string | null): Record<string, number[]> => {
  expect(file).not.toBeNull();
  const c = fixtureCase(readFixture(file!));
  return Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, Array.from(new Uint32Array(t!.data.buffer))]));
};
const caseBits = (thread: number, op: number): Record<string, number[]> =>
  Object.fromEntries(Object.entries(makeBlockCase(shape, 2026, thread, op).inputs).map(([k, t]) => [k, Array.from(new Uint32Array(t!.data.buffer))]));

/** The suite for one mode; test/stress/orchestration.<mode>.test.ts run it (two files, so the two modes run side by side). */
export const orchestrationSuite = (mode: StressMode): void => {
  describe(`stress orchestration (${mode} mode, fake engine)`, () => {
    it('reports a crash, a hang and a wrong result at their thread and op; the others finish', async () => {
      const r = await runStress(opts(mode, 'crash:0:1,hang:1:2,wrong:2:3'));
      expect(r.ok).toBe(false);
      const byKind = Object.fromEntries(r.failures.map((f) => [f.kind, f]));
      expect(Object.keys(byKind).sort()).toEqual(['crash', 'hang', 'wrong']);
      expect(byKind['crash']).toMatchObject({ thread: 0, op: 1 });
      expect(byKind['crash']!.message).toMatch(/injected crash/);
      expect(byKind['hang']).toMatchObject({ thread: 1, op: 2 });
      expect(byKind['wrong']).toMatchObject({ thread: 2, op: 3 });
      expect(byKind['wrong']!.elements?.[0]).toMatchObject({ index: 0 });
      expect(r.perThread.map((t) => t.state)).toEqual(['crashed', 'hung', 'done', 'done']);
      expect(r.perThread.map((t) => t.completed)).toEqual([1, 2, 4, 4]);
      expect(r.passed).toBe(1 + 2 + 3 + 4);
      expect(r.errors).toBe(3);
      // The ids of the ops that ran, including those of the crashed and hung threads, are unique.
      expect(r.ids).toMatchObject({ taken: 2 + 3 + 4 + 4, unique: 13, ok: true });
      // Each failing op's inputs are in its fixture (the checker's format), identical to what the worker ran.
      for (const f of r.failures) expect(fixtureBits(f.fixture)).toEqual(caseBits(f.thread, f.op!));
      const wrong = readFixture(byKind['wrong']!.fixture!);
      expect(wrong.generator).toMatchObject({ seed: 2026, path: '2:3' });
      expect(wrong.observed.violations).toBe(1);
      expect(wrong.observed.first[0]).toMatchObject({ index: 0, reason: 'bound' });
      expect(byKind['hang']!.id).not.toBeNull();
      // A thread that never reported its end (the crashed and the hung one): the run ends when they did.
      expect(r.seconds).toBeGreaterThanOrEqual(Math.max(...r.perThread.map((t) => t.seconds)));
    });

    it('times a clean run to the last thread\'s last verified op; closing the engines is teardown, not counted', async () => {
      const r = await runStress(opts(mode, ''));
      expect(r.ok).toBe(true);
      expect(r.seconds).toBe(Math.max(...r.perThread.map((t) => t.seconds)));
      expect(r.teardownSeconds).toBeGreaterThanOrEqual(0);
    });

    it('reports a lost device', async () => {
      const r = await runStress(opts(mode, 'lost:3:1'));
      expect(r.ok).toBe(false);
      const lost = r.failures.filter((f) => f.kind === 'device-lost');
      if (mode === 'separate') {
        // Only thread 3's device is gone; the others finish.
        expect(lost.map((f) => [f.thread, f.op])).toEqual([[3, 1]]);
        expect(r.perThread.map((t) => t.state)).toEqual(['done', 'done', 'done', 'device-lost']);
        expect(r.passed).toBe(13);
      } else {
        // The shared device is everyone's: thread 3 is among those that report it.
        expect(lost.some((f) => f.thread === 3 && f.op === 1)).toBe(true);
        expect(r.perThread[3]!.state).toBe('device-lost');
      }
      for (const f of lost) expect(f.fixture).not.toBeNull();
    });
  });
};
