/**
 * Test-only switches, read from the environment so that they reach child processes (the isolated
 * GPU, stress workers) and the real CLI: the one reader of every REFSIM_TEST_* variable. Unset or
 * empty, each leaves behaviour as it is.
 */
import { RefsimError } from './errors.ts';
import { type OpName } from './ops/types.ts';
import { OP_NAMES } from './ops/index.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** REFSIM_TEST_BREAK_KERNEL=<op>: the GPU results of that op are made wrong (src/diff/gpuRunner.ts). */
export const BREAK_KERNEL_ENV = 'REFSIM_TEST_BREAK_KERNEL';

/** The op named by REFSIM_TEST_BREAK_KERNEL, or null; an unknown name is a user error. */
export function brokenKernelFromEnv(env: Env = process.env): OpName | null {
  const v = env[BREAK_KERNEL_ENV];
  if (v === undefined || v === '') return null;
  if (!(OP_NAMES as readonly string[]).includes(v)) {
    throw new RefsimError('E_BREAK_KERNEL', `${BREAK_KERNEL_ENV} must be one of ${OP_NAMES.join(', ')}; got ${JSON.stringify(v)}`);
  }
  return v as OpName;
}

/**
 * REFSIM_TEST_CRASH_MARKER=v: a GPU batch whose case has an input starting with the float v kills
 * the isolated GPU process with SIGSEGV, standing in for a native Dawn/driver crash. The marker, or
 * null.
 */
export function crashMarker(env: Env = process.env): number | null {
  const marker = env['REFSIM_TEST_CRASH_MARKER'];
  return marker === undefined || marker === '' ? null : Number(marker);
}

/**
 * REFSIM_TEST_MAX_WORKGROUPS_PER_DIM=n (n ≥ 1): lowers the per-dimension workgroup limit, so the
 * folded-grid path runs on small batches. The forced limit, or null.
 */
export function forcedMaxWorkgroupsPerDim(env: Env = process.env): number | null {
  const forced = Number(env['REFSIM_TEST_MAX_WORKGROUPS_PER_DIM']);
  return Number.isInteger(forced) && forced >= 1 ? forced : null;
}

/** REFSIM_TEST_GEMM_TILES=<name>: the GEMM tile configuration to force (src/gpu/gemm.ts checks the name), or null. */
export function forcedGemmTiles(env: Env = process.env): string | null {
  const v = env['REFSIM_TEST_GEMM_TILES'];
  return v === undefined || v === '' ? null : v;
}

/** A positive integer from `name`, or null when unset, empty or not one. */
function positiveInt(env: Env, name: string): number | null {
  const forced = Number(env[name]);
  return env[name] !== undefined && env[name] !== '' && Number.isSafeInteger(forced) && forced >= 1 ? forced : null;
}

/**
 * REFSIM_TEST_MAX_BINDING_BYTES=n: lowers the device's maxStorageBufferBindingSize to n bytes as the
 * kernels see it (src/gpu/limits.ts), so problems are split into chunks on small tensors. The
 * forced limit, or null.
 */
export const forcedMaxBindingBytes = (env: Env = process.env): number | null => positiveInt(env, 'REFSIM_TEST_MAX_BINDING_BYTES');

/** REFSIM_TEST_MAX_BUFFER_BYTES=n: lowers maxBufferSize likewise. The forced limit, or null. */
export const forcedMaxBufferBytes = (env: Env = process.env): number | null => positiveInt(env, 'REFSIM_TEST_MAX_BUFFER_BYTES');

/**
 * REFSIM_TEST_CHILDREN_FROM_DIST=1: from the sources, start child processes and worker threads from
 * the compiled dist/ (plain JavaScript, no tsx in the child: about 0.3 s of CPU less per child)
 * instead of from src/ through tsx (src/util/entry.ts); bin/refsim.js, which cannot import this
 * module before it has chosen between sources and dist/, reads the variable itself. The test suite sets it and builds dist/
 * before any test runs (test/support/buildDist.ts), so the children run the code under test.
 */
export function childrenFromDist(env: Env = process.env): boolean {
  return env['REFSIM_TEST_CHILDREN_FROM_DIST'] === '1';
}
