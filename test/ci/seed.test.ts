/**
 * Deterministic CI: `.ci/run` exports REFSIM_SEED, test/support/seed.ts turns it into fast-check's
 * seed (fcParams, and the global setting the setup file test/support/fcGlobal.ts makes), and a
 * failure prints that seed and the path of the counterexample.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CI_DEFAULT_SEED, fcParams, parseSeed, pinGlobalSeed, pinnedSeed, seedFromEnv } from '../support/seed.ts';

const root = join(import.meta.dirname, '..', '..');
const ciScript = readFileSync(join(root, '.ci', 'run'), 'utf8');
const ciSeed = /^export REFSIM_SEED=(\S+)$/m.exec(ciScript);

/** A fresh evaluation of seed.ts under `env` (its constants read the environment once, at import). */
async function seedModuleUnder(env: Record<string, string | undefined>): Promise<typeof import('../support/seed.ts')> {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const fresh = `../support/seed.ts?env=${encodeURIComponent(JSON.stringify(env))}`;
  return (await import(/* @vite-ignore */ fresh)) as typeof import('../support/seed.ts');
}

describe('REFSIM_SEED', () => {
  const globalBefore = fc.readConfigureGlobal();
  afterEach(() => {
    vi.unstubAllEnvs();
    fc.configureGlobal(globalBefore);
  });

  it('.ci/run exports a fixed integer seed before it runs npm test, and the macOS job sets the same', () => {
    expect(ciSeed, 'an `export REFSIM_SEED=<integer>` line in .ci/run').not.toBeNull();
    expect(parseSeed(ciSeed![1])).toEqual(expect.any(Number));
    expect(ciScript.indexOf(ciSeed![0])).toBeLessThan(ciScript.lastIndexOf('npm test'));
    const workflow = readFileSync(join(root, '.github', 'workflows', 'ci.yml'), 'utf8');
    expect(workflow).toContain(`REFSIM_SEED: '${ciSeed![1]}'`);
  });

  it('is read as a 32-bit integer; anything else is an error naming the variable and the range', () => {
    expect(parseSeed('20261124')).toBe(20261124);
    expect(parseSeed('-5')).toBe(-5);
    expect(parseSeed(undefined)).toBeUndefined();
    expect(parseSeed('')).toBeUndefined();
    for (const bad of ['abc', '1.5', '4294967296', '1e400', 'NaN']) {
      expect(() => parseSeed(bad), bad).toThrow(/^REFSIM_SEED must be an integer in \[-2147483648, 4294967295\]/);
    }
  });

  it('pins the run with or without CI; CI alone pins the default; neither leaves it free', () => {
    expect(seedFromEnv({ REFSIM_SEED: '77' })).toBe(77);
    expect(seedFromEnv({ REFSIM_SEED: '77', CI: 'true' })).toBe(77);
    expect(seedFromEnv({ CI: 'true' })).toBe(CI_DEFAULT_SEED);
    expect(seedFromEnv({})).toBeUndefined();
  });

  it('this run: fcParams and the global fast-check setting carry the seed of this environment', () => {
    expect(pinnedSeed).toBe(seedFromEnv(process.env));
    expect(fcParams(7)).toEqual(pinnedSeed === undefined ? { numRuns: 7 } : { numRuns: 7, seed: pinnedSeed });
    // Set by the setup file test/support/fcGlobal.ts, which every project loads.
    expect(fc.readConfigureGlobal().seed).toBe(pinnedSeed);
  });

  it('REFSIM_SEED with CI unset: fcParams takes it', async () => {
    const m = await seedModuleUnder({ REFSIM_SEED: '424242', CI: undefined });
    expect(m.pinnedSeed).toBe(424242);
    expect(m.fcParams(7)).toEqual({ numRuns: 7, seed: 424242 });
    expect(m.fcParams(7, { path: '3:1' })).toEqual({ numRuns: 7, seed: 424242, path: '3:1' });
    const free = await seedModuleUnder({ REFSIM_SEED: undefined, CI: undefined });
    expect(free.pinnedSeed).toBeUndefined();
    expect(free.fcParams(9)).toEqual({ numRuns: 9 });
  });

  it('a pinned global seed makes a call that names no seed draw what the seed draws', () => {
    pinGlobalSeed(424242);
    expect(fc.readConfigureGlobal().seed).toBe(424242);
    expect(fc.sample(fc.nat(), 5)).toEqual(fc.sample(fc.nat(), { numRuns: 5, seed: 424242 }));
    pinGlobalSeed(undefined);
    expect(fc.readConfigureGlobal().seed).toBe(424242);
  });

  it('a failing property prints the seed and the path that replay it', () => {
    const seed = pinnedSeed ?? 99;
    let message = '';
    try {
      fc.assert(fc.property(fc.nat(), (n) => n < 0), fcParams(10, { seed }));
    } catch (e) {
      message = (e as Error).message;
    }
    const m = /\{ seed: (-?\d+), path: "([\d:]+)"/.exec(message);
    expect(m, message).not.toBeNull();
    expect(Number(m![1])).toBe(seed);
    // The printed seed and path replay the counterexample alone.
    const replay = fc.check(fc.property(fc.nat(), (n) => n < 0), { seed, path: m![2]!, numRuns: 1 });
    expect(replay.failed).toBe(true);
    expect(replay.counterexample).toEqual([0]);
  });
});
