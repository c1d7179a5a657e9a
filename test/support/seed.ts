/**
 * fast-check parameters for this suite. In CI (CI=true) runs are pinned to a seed (REFSIM_SEED or a
 * fixed default) so a failure is reproducible; locally a fresh seed is drawn each run. fast-check
 * prints the seed and path of any failure; re-run with REFSIM_SEED=<seed> to replay it.
 */
import fc from 'fast-check';

const fromEnv = process.env['REFSIM_SEED'];
export const pinnedSeed: number | undefined =
  fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : process.env['CI'] ? 20261124 : undefined;

/** Parameters for fc.assert: numRuns plus the pinned seed where there is one. */
export function fcParams<T>(numRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  return { numRuns, ...(pinnedSeed === undefined ? {} : { seed: pinnedSeed }), ...extra };
}
