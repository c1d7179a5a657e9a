/**
 * Fuzzing the command line and the public API with fast-check.
 *
 * CLI: argument vectors for every subcommand (valid values, out-of-range and malformed ones, empty
 * strings, huge numbers, unicode, option-looking values, output paths that are files, directories,
 * missing, under /proc or /dev), run in this process through main(argv) (a few through the real
 * executable). Every run must: exit with a code of the contract (src/cli/exitCodes.ts), print at
 * most three stderr lines with no stack trace, leave no temporary file, and leave every output it
 * wrote complete. GPU commands meet a backend with no adapter here (exit 3), so valid vectors stay
 * fast; runs that need a GPU are covered by the GPU tests.
 *
 * API: the public entry points (src/index.ts) with generated bad arguments throw only typed errors
 * (RefsimError or InputRangeError), never a TypeError from inside.
 *
 * Seed: REFSIM_SEED, else a fixed one; fast-check prints seed and path on failure.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exitCodes.ts';
import { makeFixture } from '../../src/diff/fixture.ts';
import * as api from '../../src/index.ts';
import { EXACT_ACCURACY } from '../../src/ops/types.ts';
import { OP_NAMES } from '../../src/ops/index.ts';
import { pinnedSeed } from '../support/seed.ts';
import { runCli } from '../support/cli.ts';
import { runMain, STACK_FRAME } from './inProcess.ts';
import { fakeAdapter } from '../diff/fakes.ts';

const SEED = pinnedSeed ?? 20261216;
/** A backend this platform has no adapter for: GPU commands with valid arguments end with exit 3 at once. */
const ABSENT_BACKEND = process.platform === 'win32' ? 'metal' : 'd3d12';

const tmp = mkdtempSync(join(tmpdir(), 'refsim-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const existingJson = join(tmp, 'existing.json');
writeFileSync(existingJson, '{"keep":1}\n');
const aDir = join(tmp, 'a-dir');
mkdirSync(aDir);
const goodFixture = join(tmp, 'good-fixture.json');
writeFileSync(goodFixture, JSON.stringify(makeFixture(
  { op: 'relu', params: {}, inputs: { x: { shape: [2], data: Float32Array.from([-1, 1]) } } },
  {
    backend: 'vulkan', adapter: fakeAdapter, profile: 'strict', accuracy: EXACT_ACCURACY, generator: { seed: 1, path: '0', maxElements: 4, specialValues: false },
    observed: { violations: 0, first: [] },
  },
)));
const garbage = join(tmp, 'garbage.json');
writeFileSync(garbage, '{"format": "refsim-mismatch/1", "op": ');

let fresh = 0;
/** Output paths: new (possibly nested) files, existing ones, directories, special and unwritable places. */
const outputPath = fc.oneof(
  fc.constant(null).map(() => join(tmp, 'out', `r${fresh++}.json`)),
  fc.constant(null).map(() => join(tmp, `n${fresh++}`, 'deeper', 'r.html')),
  fc.constantFrom(existingJson, aDir, join(existingJson, 'under-a-file.json'), '', ' ', '/dev/null', '/proc/refsim-fuzz/x', '--quiet', '-', join(tmp, 'ü π 🙂.json'), join(tmp, 'x'.repeat(300))),
);
const inputPath = fc.constantFrom(goodFixture, garbage, existingJson, aDir, '/dev/zero', join(tmp, 'missing.json'), '', '🙂');

const junk = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('--', '-', '--bogus', '-x', '--json=', '=', '-1', 'NaN', 'Infinity', '1e400', '9'.repeat(60), '½', '١٢٣', 'SIZE_MAX', '2^64', '0x', '\u202e', 'a\nb'),
);
/** Integer-ish option values: small valid ones and bad ones, huge ones only where they are out of range. */
const small = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map(String);
const intish = (lo: number, hi: number) => fc.oneof({ weight: 3, arbitrary: small(lo, hi) }, { weight: 2, arbitrary: junk }, { weight: 1, arbitrary: fc.constantFrom(String(hi + 1), String(lo - 1), '', '1.5', '2^40') });
const literal = fc.oneof(small(0, 5000), fc.constantFrom('2^32', '2^64-1', 'SIZE_MAX', '0x10', '2^64', '-1', '2^99999999999', '1_000'), junk);
const choice = (...values: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: junk });

type Opt = readonly [flag: string, value: fc.Arbitrary<string> | null];
/** The positional arguments (each usually there), some of the options in any order with their values, and now and then a stray token. */
function argvFor(head: readonly string[], positional: ReadonlyArray<fc.Arbitrary<string>>, opts: readonly Opt[]): fc.Arbitrary<string[]> {
  const one = fc.constantFrom(...opts).chain(([flag, value]): fc.Arbitrary<string[]> => (value === null ? fc.constant([flag]) : value.map((v) => [flag, v])));
  const pos: fc.Arbitrary<Array<string | undefined>> = fc.tuple(...positional.map((p) => fc.option(p, { freq: 8, nil: undefined })));
  return fc
    .tuple(pos, fc.array(one, { maxLength: 5 }), fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: junk }))
    .map(([given, chosen, stray]) => [...head, ...given.filter((p): p is string => p !== undefined), ...chosen.flat(), ...(stray === undefined ? [] : [stray])]);
}

const gpuOpts: Opt[] = [['--backend', fc.constantFrom(ABSENT_BACKEND, 'metal', 'd3d12', 'cuda')], ['--adapter', junk]];

const commands: Record<string, fc.Arbitrary<string[]>> = {
  align: argvFor(['align'], [literal, literal], [['--bits', choice('64', '32')], ['--variant', choice('seed', 'upstream', 'upstream-debug')], ['--json', null]]),
  alloc: argvFor(['alloc'], [literal], [
    ['--shared', null], ['--scalar', null], ['--allocator', choice('classic', 'bucketed')], ['--variant', choice('seed', 'upstream')],
    ['--heap-align', literal], ['--max-buffer', literal], ['--memory-pressure', null], ['--json', null],
  ]),
  counter: argvFor(['counter', '--ids-per-worker', '50'], [], [
    ['--workers', intish(1, 2)], ['--ids-per-worker', intish(1, 200)], ['--trials', intish(1, 2)], ['--start', literal],
    ['--variant', choice('seed', 'upstream', 'both')], ['--width', choice('64', '32')], ['--json', null],
  ]),
  pool: argvFor(['pool'], [], [['--variant', choice('seed', 'upstream')], ['--width', choice('64', '32')], ['--json', null]]),
  probe: argvFor(['probe', '--backend', ABSENT_BACKEND], [], [['--samples', intish(1, 64)], ['--seed', intish(1, 99)], ['--json', null], ...gpuOpts]),
  explore: fc.tuple(fc.constantFrom('pool', 'toy', 'nope'), fc.boolean()).chain(([sub, sample]) =>
    argvFor(['explore', sub], [], [
      ['--threads', intish(1, 8)], ['--ops', intish(1, 8)], ['--method', choice('bfs', 'sleep-sets', 'plain')], ['--seed', intish(0, 99)],
      ['--invariant', choice('unique-live-ids', 'deadlock', 'no-lost-update')], ['--time-limit', intish(1, 1)], ['--max-states', intish(1, 3000)],
      ['--paths', choice('event,direct', 'direct,direct,event', 'event', 'gpu,event')], ['--counter-start', literal], ['--variant', choice('seed', 'upstream')],
      ['--model', choice('buggy', 'correct')], ['--json', null],
    ]).map((argv) => (sample ? [...argv, '--sample', '20'] : argv.includes('--sample') ? argv : [...argv, '--max-states', '3000']))),
  stress: argvFor(['stress', '--engine', 'fake', '--shape', '1x2x4x4'], [], [
    ['--threads', intish(1, 2)], ['--ops', intish(1, 4)], ['--mode', choice('separate', 'shared')], ['--shape', choice('1x2x4x4', '16x16', '0x1x1x1', '1x99999x99999x99999')],
    ['--timeout-ms', intish(1000, 20000)], ['--seed', intish(0, 9)], ['--batch', intish(1, 4)], ['--distinct', intish(1, 3)], ['--depth', intish(1, 3)],
    ['--fixtures', outputPath], ['--json', null], ['--profile', choice('strict', 'fma')],
  ]),
  diff: argvFor(['diff', '--backend', ABSENT_BACKEND, '--cases', '2'], [], [
    ['--op', choice('relu', 'linear,relu', '', ',', 'relu,relu', 'softmax', 'relu,,linear')], ['--cases', intish(1, 3)], ['--seed', intish(-5, 5)],
    ['--profile', choice('auto', 'strict', 'fma')], ['--special', null], ['--max-elements', intish(1, 64)], ['--batch', intish(1, 8)],
    ['--json', outputPath], ['--html', outputPath], ['--shard', choice('1/1', '2/3', '3/2', '0/0', '1/0')], ['--quiet', null],
    ['--fixtures-dir', outputPath], ['--no-shrink', null], ...gpuOpts,
  ]),
  repro: argvFor(['repro', '--backend', ABSENT_BACKEND], [inputPath], [['--limit', intish(1, 10_000)], ['--json', null], ...gpuOpts]),
  none: fc.array(junk, { maxLength: 3 }),
};

/** Every file under `dir` (recursively). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** The output files an argv names (values of --json/--html and fixtures written into dirs). */
function checkOutputsComplete(argv: readonly string[]): void {
  for (let i = 0; i < argv.length - 1; i++) {
    const flag = argv[i];
    const file = argv[i + 1]!;
    if ((flag !== '--json' && flag !== '--html') || !file.startsWith(tmp)) continue;
    let text: string;
    try {
      if (!statSync(file).isFile()) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (file === existingJson && text === '{"keep":1}\n') continue;
    if (flag === '--json') expect(() => JSON.parse(text), `${file} is complete JSON`).not.toThrow();
    else expect(text.trimEnd().endsWith('</html>'), `${file} is a complete HTML page`).toBe(true);
  }
}

function checkRun(argv: readonly string[], r: { code: number | null; stdout: string; stderr: string }): void {
  expect(EXIT_CODES, `exit code of ${JSON.stringify(argv)}`).toContain(r.code);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines.length, `stderr of ${JSON.stringify(argv)}:\n${r.stderr}`).toBeLessThanOrEqual(3);
  expect(r.stderr, 'no stack trace').not.toMatch(STACK_FRAME);
  expect(r.stdout, 'no stack trace').not.toMatch(STACK_FRAME);
  expect(filesUnder(tmp).filter((f) => /\.tmp-\d+-\d+$/.test(f)), 'no temporary file left').toEqual([]);
  checkOutputsComplete(argv);
}

describe('CLI fuzz', () => {
  it('every subcommand, generated argument vectors, in process: the exit-code contract, short stderr, nothing left behind', async () => {
    const cwdBefore = readdirSync('.').sort();
    const env = { REFSIM_BACKEND: ABSENT_BACKEND, REFSIM_DEBUG: undefined, REFSIM_STRESS_FAULT: undefined, REFSIM_TEST_BREAK_KERNEL: undefined };
    const arb = fc.oneof(...Object.entries(commands).map(([name, a]) => ({ weight: name === 'stress' || name === 'counter' ? 1 : 3, arbitrary: a })));
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(arb, async (argv) => {
        runs++;
        checkRun(argv, await runMain(argv, env));
      }),
      // A fixed count, no time limit: the same vectors on every machine, and no run cut off while it
      // still has the process's streams and environment patched (runMain).
      { seed: SEED, numRuns: 200 },
    );
    process.stderr.write(`[fuzz] ${runs} runs\n`);
    expect(runs).toBe(200);
    expect(readdirSync('.').sort(), 'nothing written to the working directory').toEqual(cwdBefore);
  });

  it('a few through the real executable: the same contract', () => {
    for (const argv of [
      ['diff', '--op', 'relu', '--fixtures-dir', existingJson],
      ['repro', '/dev/zero'],
      ['explore', 'pool', '--threads', '🙂'],
      ['alloc', '2^40', '--json'],
    ]) {
      const r = runCli(argv, { env: { REFSIM_BACKEND: ABSENT_BACKEND }, timeoutMs: 30_000 });
      expect(r.signal, JSON.stringify(argv)).toBeNull();
      checkRun(argv, r);
    }
  });
});

// ---- public API ------------------------------------------------------------------------------

const tensorish = fc.record({
  shape: fc.oneof(fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 5 }), fc.anything()),
  data: fc.oneof(fc.float32Array({ maxLength: 30 }), fc.float64Array({ maxLength: 4 }), fc.anything()),
}, { requiredKeys: [] });
const accuracyish = fc.record({ divUlp: fc.oneof(fc.double(), fc.anything()), sqrtUlp: fc.double(), inverseSqrtUlp: fc.double(), flushSubnormals: fc.anything() }, { requiredKeys: [] });
const caseish = fc.record({ op: fc.oneof(fc.constantFrom(...OP_NAMES), fc.anything()), params: fc.oneof(fc.dictionary(fc.constantFrom('eps', 'numGroups', 'stride', 'padding', 'dilation', 'outputSize', 'x'), fc.anything()), fc.anything()), inputs: fc.oneof(fc.dictionary(fc.constantFrom('x', 'weight', 'bias', 'dwWeight', 'pwWeight', 'fcWeight'), fc.oneof(tensorish, fc.constant(null))), fc.anything()) }, { requiredKeys: [] });
const badArg = fc.oneof(
  fc.anything(),
  tensorish,
  accuracyish,
  caseish,
  fc.record({ accuracy: fc.oneof(accuracyish, fc.anything()), order: fc.anything(), profile: fc.anything(), counter: fc.anything(), variant: fc.anything(), width: fc.anything(), start: fc.anything(), device: fc.anything(), usage: fc.anything() }, { requiredKeys: [] }),
  fc.bigInt(),
  fc.constantFrom(undefined, null, NaN, -1, 0, 1, 1.5, 2 ** 40, -0, Infinity, '', 'x', '2^64', 'SIZE_MAX', 1n, -1n, 2n ** 64n, 32, 64, 'seed', 'upstream', 'strict'),
);

/** The public entry points a user calls with values from outside (JSON, JavaScript, a CLI). */
const entryPoints: Array<[string, (...args: unknown[]) => unknown]> = [
  ...(['relu', 'depthwiseConv2d', 'pointwiseConv2d', 'groupNorm', 'adaptiveAvgPool2d', 'linear', 'depthwiseSeparableBlock'] as const).map(
    (n): [string, (...a: unknown[]) => unknown] => [n, api[n] as (...a: unknown[]) => unknown],
  ),
  ...(['reluBound', 'depthwiseConv2dBound', 'pointwiseConv2dBound', 'groupNormBound', 'adaptiveAvgPool2dBound', 'linearBound', 'depthwiseSeparableBlockBound'] as const).map(
    (n): [string, (...a: unknown[]) => unknown] => [n, api[n] as (...a: unknown[]) => unknown],
  ),
  ...OP_NAMES.flatMap((op): Array<[string, (...a: unknown[]) => unknown]> => [
    [`opSpecs.${op}.outputShape`, (c) => api.opSpecs[op].outputShape(c as never)],
    [`opSpecs.${op}.reference`, (c, p) => api.opSpecs[op].reference(c as never, p as never)],
    [`opSpecs.${op}.bound`, (c, a) => api.opSpecs[op].bound(c as never, a as never)],
    [`anyOrderBounds.${op}`, (c, a) => api.anyOrderBounds[op](c as never, a as never)],
  ]),
  ['getOpSpec', api.getOpSpec as never],
  ['alignUp', api.alignUp as never],
  ['alignUpVariant', api.alignUpVariant as never],
  ['traceAlignUp', api.traceAlignUp as never],
  ['planAllocation', api.planAllocation as never],
  ['makeDeviceModel', api.makeDeviceModel as never],
  ['heapTier', api.heapTier as never],
  ['heapSizeFor', api.heapSizeFor as never],
  ['parseUintLiteral', api.parseUintLiteral as never],
  ['new EventCounter', (o) => new api.EventCounter(o as never)],
  ['new EventPool', (o) => new api.EventPool(o as never)],
  ['runPoolScenario', api.runPoolScenario as never],
  ['sentinelAcquisition', api.sentinelAcquisition as never],
  ['firstReissuedAcquisition', api.firstReissuedAcquisition as never],
  ['parsePytorchFixture', api.parsePytorchFixture as never],
  ['validateAccuracy', api.validateAccuracy as never],
  ['checkTensor', api.checkTensor as never],
];

describe('public API fuzz', () => {
  it.each(entryPoints)('%s: bad arguments give only RefsimError or InputRangeError', (name, f) => {
    fc.assert(
      fc.property(fc.array(badArg, { maxLength: 5 }), (args) => {
        try {
          f(...args);
        } catch (e) {
          if (!(e instanceof api.RefsimError || e instanceof api.InputRangeError)) {
            throw new Error(`${name}(${args.map((a) => api.describeValue(a)).join(', ')}) threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
          }
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
