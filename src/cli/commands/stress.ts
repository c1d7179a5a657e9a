import { Command, Option } from 'commander';
import { BACKENDS, type BackendName } from '../../gpu/types.ts';
import { PROFILES, type Profile } from '../../reference/tensor.ts';
import { DEFAULT_BLOCK_SHAPE, formatBlockShape, parseBlockShape } from '../../stress/blockCase.ts';
import { FAULT_ENV, parseFaults } from '../../stress/fault.ts';
import { ISOLATIONS, type Isolation, MAX_REPEAT, ON_CRASH, type OnCrash, STRESS_MODES, type StressMode } from '../../stress/types.ts';
import { reportExit, type ExitCode } from '../exitCodes.ts';
import { checkOutputs } from '../outputs.ts';
import { integerOption } from '../parse.ts';
import { withElapsed } from '../progress.ts';

export function registerStress(program: Command): void {
  program
    .command('stress')
    .description('multi-threaded stress run of the depthwise-separable block: worker threads run it on the GPU and verify every result')
    .option('--threads <n>', 'worker threads', integerOption('--threads', 1, 64), 4)
    .option('--ops <n>', 'block ops in total, split over the threads', integerOption('--ops', 1, 10_000_000), 120)
    .addOption(new Option('--mode <mode>', 'separate: a device per worker; shared: one device-owner thread serves all workers').choices([...STRESS_MODES]).default('separate'))
    .addOption(new Option('--backend <backend>', 'Dawn backend (default: REFSIM_BACKEND or the platform default)').choices([...BACKENDS]))
    .option('--adapter <name>', 'adapter name substring')
    .option('--shape <NxCxHxW>', 'block input shape', formatBlockShape(DEFAULT_BLOCK_SHAPE))
    .addOption(new Option('--profile <profile>', 'reference arithmetic profile (default: from the GPU probe)').choices([...PROFILES]))
    .option('--timeout-ms <ms>', 'a worker with no progress on an op for this long is reported as hung', integerOption('--timeout-ms', 1, 3_600_000), 10_000)
    .option('--seed <seed>', 'input seed (default: random, printed)', integerOption('--seed', 0, 2 ** 32 - 1))
    .option('--batch <n>', 'ops per GPU submission (each op keeps its own inputs, id and verdict)', integerOption('--batch', 1, 4096), 1)
    .option('--distinct <k>', 'cycle each thread through k input sets whose references are computed once (default: fresh inputs every op)', integerOption('--distinct', 1, 10_000_000))
    .option('--depth <n>', 'submissions each worker keeps in flight', integerOption('--depth', 1, 64), 2)
    .option('--fixtures <dir>', 'where failing ops are saved', 'fixtures')
    .addOption(new Option('--isolation <where>', 'process: each device in a child process, so a native crash is a reported finding; thread: in its thread (a native crash ends the run)').choices([...ISOLATIONS]).default('process'))
    .addOption(new Option('--on-crash <what>', "after a device process's native crash: continue on a fresh one, or stop the threads that used it").choices([...ON_CRASH]).default('continue'))
    .option('--repeat <n>', 'soak: the run N times with seeds seed, seed+1, ...; outcome counts as a table (or JSON)', integerOption('--repeat', 1, MAX_REPEAT))
    .option('--results-md <file>', "with --repeat: write the soak's section into this Markdown file (replacing its earlier one)")
    .addOption(new Option('--engine <engine>', 'test double: fake runs the reference in place of the GPU').choices(['gpu', 'fake']).default('gpu').hideHelp())
    .option('--json', 'print the report as JSON')
    .action(async (opts: {
      threads: number; ops: number; mode: StressMode; backend?: BackendName; adapter?: string; shape: string; profile?: Profile;
      timeoutMs: number; seed?: number; batch: number; distinct?: number; depth: number; fixtures: string; engine: 'gpu' | 'fake'; json?: boolean;
      isolation: Isolation; onCrash: OnCrash; repeat?: number; resultsMd?: string;
    }) => {
      // --results-md is checked by the soak (it must name a file in an existing directory, with --repeat).
      checkOutputs([{ option: '--fixtures', path: opts.fixtures, kind: 'dir' }]);
      // Loaded here, not at start-up, so other commands start fast.
      const { stressCommand } = await import('../../stress/command.ts');
      const runs = opts.repeat === undefined ? '' : ` (${opts.repeat} runs)`;
      const code = await withElapsed(`stress: ${opts.threads} thread(s) starting and running ${opts.ops} ops${runs}`, stressCommand({
        threads: opts.threads, ops: opts.ops, mode: opts.mode, shape: parseBlockShape(opts.shape),
        seed: opts.seed ?? Math.floor(Math.random() * 2 ** 32), timeoutMs: opts.timeoutMs, batch: opts.batch, distinct: opts.distinct ?? null, depth: opts.depth,
        engine: opts.engine, fixtureDir: opts.fixtures, faults: parseFaults(process.env[FAULT_ENV]),
        isolation: opts.isolation, onCrash: opts.onCrash,
        ...(opts.backend === undefined ? {} : { backend: opts.backend }),
        ...(opts.adapter === undefined ? {} : { adapter: opts.adapter }),
        ...(opts.profile === undefined ? {} : { profile: opts.profile }),
      }, {
        json: opts.json === true, write: (t) => process.stdout.write(t), writeErr: (t) => process.stderr.write(t),
        ...(opts.repeat === undefined ? {} : { repeat: opts.repeat }), ...(opts.resultsMd === undefined ? {} : { resultsMd: opts.resultsMd }),
      }), { quiet: opts.json === true });
      reportExit(code as ExitCode);
    });
}
