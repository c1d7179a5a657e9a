/**
 * Failure fixtures of the stress run, in the differential checker's format (src/diff/fixture.ts:
 * same schema, same name `mismatch-<op>-<hash>.json`, same atomic write), so `refsim repro FILE`
 * replays a failing stress op like any other mismatch. The generator coordinates are the stress
 * run's own: its seed and the path "<thread>:<input index>" (the op's inputs are a pure function of
 * them; the input index is the op index unless the run cycles through --distinct input sets).
 */
import type { Accuracy, OpCase } from '../ops/types.ts';
import type { AdapterReport } from '../gpu/types.ts';
import type { Profile } from '../reference/tensor.ts';
import { hex8 } from '../reference/float32.ts';
import { type BlockShape, inputIndex, makeBlockCase } from './blockCase.ts';
import { type ElementReport, makeFixture, writeFixture } from './deps.ts';

export interface StressFixtureInput {
  readonly c: OpCase;
  readonly seed: number;
  readonly thread: number;
  readonly op: number;
  /** The op's input index (its op index unless the run cycles through --distinct input sets). */
  readonly input: number;
  readonly adapter: AdapterReport;
  readonly profile: Profile;
  readonly accuracy: Accuracy;
  /** For a wrong result: the violation count and the first violating elements. */
  readonly violations: number;
  readonly elements: readonly ElementReport[];
}

/** The fake engine has no adapter; its fixtures say so in the adapter fields. */
export const FAKE_ADAPTER: AdapterReport = {
  vendor: 'refsim', architecture: 'fake', device: 'fake engine', description: 'fake engine (the reference in place of a GPU)',
  backend: 'none', featureLevel: 'core',
};

export function saveStressFixture(dir: string, f: StressFixtureInput): string {
  const x = f.c.inputs['x'];
  return writeFixture(dir, makeFixture(f.c, {
    backend: f.adapter.backend,
    adapter: f.adapter,
    profile: f.profile,
    accuracy: f.accuracy,
    generator: { seed: f.seed, path: `${f.thread}:${f.input}`, maxElements: x === null || x === undefined ? 1 : Math.max(1, x.data.length), specialValues: false },
    observed: {
      violations: f.violations,
      first: f.elements.filter((e) => e.verdict === 'violation').map((e) => ({
        index: e.index, gotBits: hex8(e.gotBits), expectedBits: hex8(e.expectedBits),
        ulp: Number.isFinite(e.ulp) ? e.ulp : null, bound: e.bound !== null && Number.isFinite(e.bound) ? e.bound : null,
        reason: e.reason ?? 'bound',
      })),
    },
  }));
}

/**
 * Saves the inputs of op `op` of `thread` (lost to a crash, a hang or a lost device): they are a
 * pure function of (seed, thread, op), rebuilt here identical to the worker's.
 */
export function saveOpInputs(
  o: { readonly fixtureDir: string; readonly shape: BlockShape; readonly distinct: number | null },
  meta: Pick<StressFixtureInput, 'seed' | 'adapter' | 'profile' | 'accuracy'>,
  thread: number,
  op: number,
): string {
  const input = inputIndex(op, o.distinct);
  return saveStressFixture(o.fixtureDir, { ...meta, c: makeBlockCase(o.shape, meta.seed, thread, input), thread, op, input, violations: 0, elements: [] });
}
