import { Command, Option } from 'commander';
import { COUNTER_VARIANTS, type CounterVariant, DEFAULT_ID_WIDTH, type IdWidth } from '../../mps/events/counter.ts';
import { type PoolScenario, runPoolScenario } from '../../mps/events/poolScenario.ts';
import { EXIT, reportExit } from '../exitCodes.ts';

export function registerPool(program: Command): void {
  program
    .command('pool')
    .description("replay a short acquire/release sequence on the MPSEventPool model: LIFO reuse, the id wrap, emplace collisions")
    .addOption(new Option('--variant <variant>', 'source variant').choices([...COUNTER_VARIANTS]).default('seed'))
    .addOption(new Option('--width <bits>', 'id width (default: 64 for seed, 32 = id_t for upstream)').choices(['64', '32']))
    .option('--json', 'print JSON')
    .action((opts: { variant: CounterVariant; width?: string; json?: boolean }) => {
      const width = (opts.width === undefined ? DEFAULT_ID_WIDTH[opts.variant] : Number(opts.width)) as IdWidth;
      const s = runPoolScenario(opts.variant, width);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(s, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 2)}\n`);
      } else {
        process.stdout.write(`${format(s)}\n`);
      }
      // The replay shows the defects; it exits 1 when the model handed out a colliding or sentinel id.
      if (s.collisions > 0 || s.sentinelIds > 0 || s.failedReleases > 0) reportExit(EXIT.FINDING);
    });
}

function format(s: PoolScenario): string {
  const lines = [`MPSEventPool model  variant=${s.variant}  ids ${s.width}-bit`];
  s.steps.forEach((st, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${st.action}`);
    lines.push(`    → ${st.outcome}${st.error === undefined ? '' : `: ${st.error}`}`);
    lines.push(`      counter=${st.counter}  pool(bottom→top)=[${st.pooled.join(', ')}]  in-use={${st.inUse.map(([id, serial]) => `${id}: #${serial}`).join(', ')}}`);
  });
  lines.push(`summary: ${s.sentinelIds} sentinel id(s) handed out, ${s.collisions} id(s) returned that named another caller's event, ${s.failedReleases} release(s) failed`);
  return lines.join('\n');
}
