/**
 * The seed of every property test. REFSIM_SEED (a 32-bit integer; `.ci/run` exports one) pins every
 * fast-check run; without it CI=true pins a fixed default, and a local run draws a fresh seed each
 * time. fast-check prints the seed and path of any failure; re-run with REFSIM_SEED=<seed> (and
 * the printed path, `fcParams(n, { path })`) to replay it. The setup file test/support/fcGlobal.ts
 * pins fast-check's global settings to the same seed, so a run that names no seed is pinned too.
 */
import fc from 'fast-check';

/** The seed CI uses when REFSIM_SEED is unset but CI=true. */
export const CI_DEFAULT_SEED = 20261124;

/** REFSIM_SEED as fast-check takes it; a value that is not a 32-bit integer is an error, not a silent NaN. */
export function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < -(2 ** 31) || n >= 2 ** 32) {
    throw new RangeError(`REFSIM_SEED must be an integer in [-2147483648, 4294967295]; got ${JSON.stringify(text)}`);
  }
  return n;
}

/** The seed of this run from an environment: REFSIM_SEED, else the CI default when CI is set, else none. */
export function seedFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  return parseSeed(env['REFSIM_SEED']) ?? (env['CI'] ? CI_DEFAULT_SEED : undefined);
}

export const pinnedSeed: number | undefined = seedFromEnv(process.env);

/** Parameters for fc.assert: numRuns plus the pinned seed where there is one. */
export function fcParams<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  return { numRuns, ...(pinnedSeed === undefined ? {} : { seed: pinnedSeed }), ...extra };
}

/** Makes `seed` fast-check's global default (none: leaves the global settings as they are). */
export function pinGlobalSeed(seed: number | undefined): void {
  if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
