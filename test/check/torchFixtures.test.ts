/**
 * fixtures/torch: real PyTorch dumps (scripts/gen_torch_dumps.py, CPU and CUDA, float32, TF32 off)
 * judged by `refsim check`'s code path. Every dump must be exact or within its bound — no
 * violation and no unbounded element — and every op must be there for both devices, so the
 * test never passes on a missing directory.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { checkDump } from '../../src/check/check.ts';
import { readDump } from '../../src/check/dump.ts';
import { OP_NAMES } from '../../src/ops/index.ts';

const root = fileURLToPath(new URL('../../fixtures/torch/', import.meta.url));
const DEVICES = ['cpu', 'cuda'] as const;
const files = (device: string) => readdirSync(join(root, device)).filter((f) => f.endsWith('.safetensors')).sort();

describe.each(DEVICES)('fixtures/torch/%s', (device) => {
  test('holds a dump of every op, each naming its device and torch version', () => {
    const dumps = files(device).map((f) => readDump(join(root, device, f)));
    expect(new Set(dumps.map((d) => d.op))).toEqual(new Set(OP_NAMES));
    for (const d of dumps) {
      expect(d.device, d.file).toMatch(device === 'cpu' ? /^cpu$/ : /^cuda(:\d+)?$/);
      expect(d.metadata['torch'], d.file).toMatch(/^\d+\.\d+/);
    }
  });

  test('every element is exact or within its bound (no violation, nothing unbounded)', () => {
    const problems: string[] = [];
    const ratios: string[] = [];
    for (const f of files(device)) {
      const { check } = checkDump(readDump(join(root, device, f)), { moments: 'stable', profile: 'strict', keep: 3 });
      const v = check.verdict;
      if (v.violations + v.unbounded > 0) problems.push(`${f}: ${v.violations} violations, ${v.unbounded} unbounded: ${JSON.stringify(v.differing.slice(0, 2))}`);
      expect(v.exact + v.within + v.unbounded + v.violations, f).toBe(v.elements);
      ratios.push(`${f} ${v.maxBoundRatio.toFixed(3)}`);
    }
    expect(problems).toEqual([]);
    console.log(`${device}: ${files(device).length} dumps; largest |err|/bound per dump: ${ratios.join(', ')}`);
  });
});
