import { type Command, Option } from 'commander';
import type { ProbeResult } from '../../gpu/probe.ts';
import { BACKENDS, type BackendName } from '../../gpu/types.ts';
import { integerOption } from '../parse.ts';
import { withElapsed } from '../progress.ts';

export function registerProbe(program: Command): void {
  program
    .command('probe')
    .description("measure the GPU's float32 arithmetic: fusion, division/sqrt ULP error, subnormal flushing, max/select on -0 and NaN, and what relaxed math changes (NaN/Inf, signed zeros, reciprocal division, reassociation, contraction)")
    .addOption(new Option('--backend <backend>', 'Dawn backend (default: REFSIM_BACKEND, else the platform default)').choices([...BACKENDS]))
    .option('--adapter <name>', 'adapter name substring, when several exist')
    .option('--samples <n>', 'random samples per measured operation', integerOption('--samples', 1, Number.MAX_SAFE_INTEGER), 1 << 20)
    .option('--seed <n>', 'PRNG seed of the samples', integerOption('--seed', 1, Number.MAX_SAFE_INTEGER), 20261126)
    .option('--json', 'print the result as JSON')
    .action(async (opts: { backend?: BackendName; adapter?: string; samples: number; seed: number; json?: boolean }) => {
      const { samples, seed } = opts;
      // Loaded here, not at start-up, so commands without a GPU start fast.
      const [{ IsolatedGpu }, { formatProbe, probeResultSchema }] = await Promise.all([import('../../gpu/isolate.ts'), import('../../gpu/probe.ts')]);
      const gpu = await withElapsed('probe: opening the GPU', IsolatedGpu.open({ ...(opts.backend === undefined ? {} : { backend: opts.backend }), ...(opts.adapter === undefined ? {} : { adapter: opts.adapter }) }));
      try {
        const result: ProbeResult = probeResultSchema.parse(await withElapsed(`probe: measuring ${samples} samples per operation`, gpu.job('probe', { samples, seed })));
        process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatProbe(result)}\n`);
      } finally {
        await gpu.close();
      }
    });
}
