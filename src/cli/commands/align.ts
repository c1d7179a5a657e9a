import { Command, Option } from 'commander';
import { ALIGN_VARIANTS, type AlignVariant, traceAlignUp } from '../../mps/alignUp.ts';
import { hex, parseUintLiteral, type UintBits } from '../../mps/uint.ts';
import { EXIT, reportExit } from '../exitCodes.ts';

export function registerAlign(program: Command): void {
  program
    .command('align')
    .description("simulate BufferBlock::alignUp(Size, Alignment) on a 64- or 32-bit size_t")
    .argument('<size>', 'Size: decimal, 0x.., 2^k±m or SIZE_MAX')
    .argument('<alignment>', 'Alignment: same forms')
    .addOption(new Option('--bits <bits>', 'width of size_t').choices(['64', '32']).default('64'))
    .addOption(new Option('--variant <variant>', 'source variant').choices([...ALIGN_VARIANTS]).default('seed'))
    .option('--json', 'print the trace as JSON')
    .action((sizeText: string, alignText: string, opts: { bits: string; variant: AlignVariant; json?: boolean }) => {
      const bits = Number(opts.bits) as UintBits;
      const size = parseUintLiteral(sizeText, bits, 'size');
      const alignment = parseUintLiteral(alignText, bits, 'alignment');
      const t = traceAlignUp(size, alignment, bits, opts.variant);
      if (opts.json) {
        const out = {
          variant: t.variant, bits, size: String(size), alignment: String(alignment),
          assertOperand: String(t.assertOperand), assertActive: t.assertActive,
          overflowLimit: t.overflowLimit === null ? null : String(t.overflowLimit),
          sum: String(t.sum), sumWrapped: t.sumWrapped, mask: hex(t.mask, bits),
          ...(t.outcome.ok ? { result: String(t.outcome.value) } : { error: t.outcome.error.code, message: t.outcome.error.message }),
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        const lines = [
          `alignUp(${size}, ${alignment})  variant=${t.variant}  size_t=${bits}-bit`,
          `  (Alignment - 1) & Alignment  = ${t.assertOperand}${t.assertActive ? '' : '  (assert compiled out)'}`,
          `  SIZE_MAX - Alignment + 1     = ${t.overflowLimit ?? '(no overflow check in this variant)'}`,
          `  Size + Alignment - 1         = ${t.sum}${t.sumWrapped ? '  (wrapped modulo 2^' + bits + ')' : ''}`,
          `  ~(Alignment - 1)             = ${hex(t.mask, bits)}`,
        ];
        lines.push(t.outcome.ok ? `result: ${t.outcome.value} (${hex(t.outcome.value, bits)})` : `FAILED ${t.outcome.error.name}: ${t.outcome.error.message}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      // A failed check is the simulated program's abort: report it through the exit code too.
      if (!t.outcome.ok) reportExit(EXIT.FINDING);
    });
}
