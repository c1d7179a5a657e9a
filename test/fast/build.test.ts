import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { assembleKernels, kernelsModuleFile, MAX_PAGES as DECLARED_PAGES, renderKernelsModule } from '../../src/fast/build.ts';
import { MAX_PAGES } from '../../src/fast/module.ts';

test('src/fast/kernels.wasm.ts is exactly what the .wat sources assemble to (reproducible build)', async () => {
  const rebuilt = renderKernelsModule(await assembleKernels());
  const shipped = readFileSync(kernelsModuleFile, 'utf8');
  expect(shipped === rebuilt, 'kernels.wasm.ts is stale: run `npm run build:wasm` and commit it').toBe(true);
});

test('assembling twice gives the same bytes', async () => {
  expect(Buffer.from(await assembleKernels()).equals(Buffer.from(await assembleKernels()))).toBe(true);
});

test('the loader creates the memory the module declares (same maximum)', () => {
  expect(MAX_PAGES).toBe(DECLARED_PAGES);
});
