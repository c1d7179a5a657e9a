import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AlignmentAssertError, AlignmentOverflowError, alignUp, type UintBits } from '../../src/reference/index.ts';
import { edgyUint } from '../support/arbitraries.ts';
import { pinnedSeed } from '../support/seed.ts';

const source = fileURLToPath(new URL('../oracle/align_up.cpp', import.meta.url));
const hasCompiler = spawnSync('g++', ['--version']).status === 0;
if (!hasCompiler) console.warn('SKIP alignUp C++ oracle: no g++ on this machine');

describe.runIf(hasCompiler)('alignUp against a compiled C++ oracle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refsim-oracle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('matches the C++ evaluation line by line on 8000 generated inputs (64 and 32 bits)', () => {
    const exe = join(dir, 'align_up');
    execFileSync('g++', ['-O1', '-std=c++17', '-o', exe, source]);
    const inputs: Array<[UintBits, bigint, bigint]> = [];
    for (const bits of [64, 32] as const) {
      const gen = fc.tuple(edgyUint(bits), edgyUint(bits));
      for (const [s, a] of fc.sample(gen, { numRuns: 4000, seed: pinnedSeed ?? 42 })) inputs.push([bits, s, a]);
    }
    const stdin = inputs.map(([b, s, a]) => `${b} ${s} ${a}`).join('\n');
    const lines = execFileSync(exe, { input: stdin, encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split('\n');
    expect(lines).toHaveLength(inputs.length);
    const mismatches: string[] = [];
    inputs.forEach(([bits, s, a], i) => {
      let ours: string;
      try {
        ours = String(alignUp(s, a, bits));
      } catch (e) {
        ours = e instanceof AlignmentAssertError ? 'ASSERT' : e instanceof AlignmentOverflowError ? 'OVERFLOW' : `THREW ${String(e)}`;
      }
      if (ours !== lines[i]) mismatches.push(`bits=${bits} size=${s} alignment=${a}: simulator ${ours}, C++ ${lines[i]}`);
    });
    expect(mismatches, mismatches.join('\n')).toEqual([]);
    // The sample must reach all three outcomes, or the comparison proves little.
    expect(new Set(lines.map((l) => (/^\d+$/.test(l) ? 'value' : l)))).toEqual(new Set(['value', 'ASSERT', 'OVERFLOW']));
  });
});
