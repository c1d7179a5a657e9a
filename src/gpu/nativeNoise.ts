/**
 * Lines of a GPU process's stderr that say nothing about a failure: Dawn's start-up warnings
 * ("maxDynamic…PerPipelineLayout artificially reduced …", printed on every device open) and the
 * frames of a native stack trace. A crash report keeps the rest (the driver's or Node's message).
 * REFSIM_GPU_DEBUG=1 still shows everything, unfiltered, as it arrives.
 */
const NOISE: readonly RegExp[] = [
  /artificially reduced/,
  /^\s*\d+: 0x[0-9a-f]+ /i, // Node's native stack frames: " 1: 0xb78db3 node::OOMErrorHandler(...)"
  /^\s*#\d+\s+0x[0-9a-f]+/i, // gdb/libc backtrace style
  /^-+ Native stack trace -+$/,
  /^<--- .* --->$/,
];

export function filterNativeNoise(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !NOISE.some((re) => re.test(line)))
    .join('\n');
}
