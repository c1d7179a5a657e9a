/**
 * `refsim repro FILE`: replays a saved mismatch (src/diff/fixture.ts) on a GPU and the reference.
 * Exit codes (src/cli/exitCodes.ts): 1 the mismatch still reproduces, 0 it does not, 2 bad fixture or user error, 3 no adapter.
 */
import { Command, Option } from 'commander';
import { RefsimError } from '../../errors.ts';
import { BACKENDS, type BackendName } from '../../gpu/types.ts';
import { integerOption } from '../parse.ts';
import { withElapsed } from '../progress.ts';
import { EXIT, reportExit } from '../exitCodes.ts';

/** Input elements from which a replay shows progress (it takes seconds from about here on lavapipe). */
const LARGE_CASE_ELEMENTS = 1 << 16;

export function registerRepro(program: Command): void {
  program
    .command('repro')
    .description('replay a saved mismatch fixture on the GPU and the reference; exit 1 if it still reproduces')
    .argument('<file>', 'fixtures/mismatch-<op>-<hash>.json written by refsim diff')
    .addOption(new Option('--backend <backend>', 'Dawn backend (default: REFSIM_BACKEND, else the platform default)').choices([...BACKENDS]))
    .option('--adapter <name>', 'adapter name substring, when several exist')
    .option('--limit <n>', 'differing elements to print', integerOption('--limit', 1, 10_000), 5)
    .option('--json', 'print the outcome as JSON')
    .action(async (file: string, o: { backend?: BackendName; adapter?: string; limit: number; json?: boolean }) => {
      const { limit } = o;
      // Loaded here, not at start-up, so commands without a GPU start fast.
      const [{ readFixture }, { openDiffGpu }, { formatRepro, reproduce, reproJson }, { gpuOps }, { opSpecs }] = await Promise.all([
        import('../../diff/fixture.ts'), import('../../diff/gpu.ts'), import('../../diff/repro.ts'), import('../../gpu/registry.ts'), import('../../ops/registry.ts'),
      ]);
      const fixture = readFixture(file);
      const spec = opSpecs[fixture.op];
      if (spec === undefined || gpuOps[fixture.op] === undefined) throw new RefsimError('E_NO_KERNEL', `no GPU kernel or op spec for ${fixture.op} in this refsim`);
      const gpu = await withElapsed('repro: opening the GPU', openDiffGpu({ ...(o.backend === undefined ? {} : { backend: o.backend }), ...(o.adapter === undefined ? {} : { adapter: o.adapter }) }));
      try {
        // A large case (an unshrunk fixture) takes seconds on the GPU and the reference: show it.
        const elements = Object.values(fixture.inputs).reduce((a, t) => a + (t === null ? 0 : t.bits.length), 0);
        const replay = reproduce(fixture, spec, gpu);
        const outcome = elements >= LARGE_CASE_ELEMENTS ? await withElapsed(`repro: replaying ${fixture.op} (${elements} input elements)`, replay) : await replay;
        if (o.json) {
          process.stdout.write(`${JSON.stringify(reproJson(outcome, file, limit), null, 2)}\n`);
        } else {
          process.stdout.write(formatRepro(spec, outcome, { file, limit }));
        }
        reportExit(outcome.reproduces ? EXIT.FINDING : EXIT.OK);
      } finally {
        await gpu.close();
      }
    });
}
