import { Command, Option } from 'commander';
import { ALIGN_VARIANTS, type AlignVariant } from '../../mps/alignUp.ts';
import { type AllocPlan, type AllocatorVersion, InvalidBufferSizeError, makeDeviceModel, planAllocation } from '../../mps/allocator.ts';
import { parseUintLiteral } from '../../mps/uint.ts';
import { EXIT, reportExit } from '../exitCodes.ts';

const MiB = 1n << 20n;
const human = (v: bigint): string =>
  v >= MiB && v % (MiB / 1024n) === 0n ? `${v} B (${(Number(v) / 2 ** 20).toFixed(v % MiB === 0n ? 0 : 3)} MiB)` : `${v} B`;

export function registerAlloc(program: Command): void {
  program
    .command('alloc')
    .description("size an MPS allocation as PyTorch's MPSAllocator does: pool, allocation size, heap size")
    .argument('<size>', 'requested bytes: decimal, 0x.., 2^k±m')
    .option('--shared', 'shared storage (unified memory) usage', false)
    .option('--scalar', 'scalar usage (CPU scalar imported to the GPU)', false)
    .addOption(new Option('--allocator <version>', 'allocator source version').choices(['classic', 'bucketed']).default('classic'))
    .addOption(new Option('--variant <variant>', 'alignUp variant').choices([...ALIGN_VARIANTS]).default('seed'))
    .option('--heap-align <bytes>', "alignment Metal's heapBufferSizeAndAlignWithLength reports (device model)", '16384')
    .option('--max-buffer <bytes>', "the device's maxBufferLength (device model)", '2^35')
    .option('--memory-pressure', 'allocate as if under the low watermark (no 1 GiB heaps)', false)
    .option('--json', 'print JSON')
    .action((sizeText: string, opts: {
      shared: boolean; scalar: boolean; allocator: AllocatorVersion; variant: AlignVariant;
      heapAlign: string; maxBuffer: string; memoryPressure: boolean; json?: boolean;
    }) => {
      const size = parseUintLiteral(sizeText, 64, 'size');
      const device = makeDeviceModel({
        align: parseUintLiteral(opts.heapAlign, 64, '--heap-align'),
        maxBufferLength: parseUintLiteral(opts.maxBuffer, 64, '--max-buffer'),
      });
      let p: AllocPlan;
      try {
        p = planAllocation(size, {
          usage: { shared: opts.shared, scalar: opts.scalar }, device, version: opts.allocator,
          variant: opts.variant, memoryPressure: opts.memoryPressure,
        });
      } catch (e) {
        // The simulated TORCH_CHECK failing is what the command reports, not an input error.
        if (!(e instanceof InvalidBufferSizeError)) throw e;
        process.stdout.write(opts.json
          ? `${JSON.stringify({ device: device.name, requested: String(size), error: e.code, message: e.message }, null, 2)}\n`
          : `request ${human(size)}  allocator=${opts.allocator}  device=${device.name}\nFAILED (simulated TORCH_CHECK): ${e.message}\n`);
        reportExit(EXIT.FINDING);
        return;
      }
      if (opts.json) {
        const out = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'bigint' ? String(v) : v]));
        process.stdout.write(`${JSON.stringify({ device: device.name, ...out }, null, 2)}\n`);
        return;
      }
      process.stdout.write([
        `request ${human(p.requested)}  allocator=${p.version}  alignUp variant=${p.variant}  device=${device.name}`,
        `  Metal size/align      ${p.metalSize} / ${p.metalAlign}`,
        `  alignUp               ${human(p.aligned)}`,
        ...(p.bucketGranule === null ? [] : [`  bucketed (granule ${p.bucketGranule})  ${human(p.allocationSize)}`]),
        `pool: ${p.pool}`,
        `allocation size: ${human(p.allocationSize)}`,
        `heap size: ${human(p.heapSize)} (${p.heapTier} tier, ${p.heapSplit ? 'split among buffers' : 'one buffer'})`,
      ].join('\n') + '\n');
    });
}
