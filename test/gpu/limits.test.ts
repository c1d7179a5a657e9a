/**
 * The storage limit the kernels split problems by (src/gpu/limits.ts): the smallest of the device's
 * binding and buffer limits, the kernels' u32 indexing and the test hooks, in whole 16-byte units.
 */
import { afterEach, expect, it } from 'vitest';
import { U32_INDEX_BYTES, storageLimit } from '../../src/gpu/limits.ts';
import type { GpuContext } from '../../src/gpu/types.ts';
import { adapterReportSchema } from '../../src/gpu/types.ts';

const ctx = (binding: number, buffer: number): GpuContext =>
  ({ device: { limits: { maxStorageBufferBindingSize: binding, maxBufferSize: buffer } } }) as unknown as GpuContext;

const HOOKS = ['REFSIM_TEST_MAX_BINDING_BYTES', 'REFSIM_TEST_MAX_BUFFER_BYTES'];
afterEach(() => {
  for (const k of HOOKS) delete process.env[k];
});

it('is the smaller device limit, rounded down to 16 bytes', () => {
  expect(storageLimit(ctx(134217728, 4294967295))).toEqual({ bytes: 134217728, words: 33554432, name: 'maxStorageBufferBindingSize', value: 134217728 });
  expect(storageLimit(ctx(2 ** 31, 1000003))).toEqual({ bytes: 1000000, words: 250000, name: 'maxBufferSize', value: 1000003 });
});

it('never exceeds what u32 indexing reaches', () => {
  const l = storageLimit(ctx(2 ** 40, 2 ** 40));
  expect(l.name).toBe('u32 indexing of the kernels');
  expect(l.bytes).toBe(U32_INDEX_BYTES);
  expect(l.words).toBe(2 ** 30);
});

it('the test hooks lower it and are named as the limit', () => {
  process.env['REFSIM_TEST_MAX_BINDING_BYTES'] = '4100';
  expect(storageLimit(ctx(134217728, 4294967295))).toEqual({ bytes: 4096, words: 1024, name: 'REFSIM_TEST_MAX_BINDING_BYTES', value: 4100 });
  process.env['REFSIM_TEST_MAX_BUFFER_BYTES'] = '2048';
  expect(storageLimit(ctx(134217728, 4294967295)).name).toBe('REFSIM_TEST_MAX_BUFFER_BYTES');
  process.env['REFSIM_TEST_MAX_BUFFER_BYTES'] = 'lots';
  expect(storageLimit(ctx(134217728, 4294967295)).words).toBe(1024);
});

it('the adapter schema reads reports with and without limits, and rejects unknown limit fields', () => {
  const base = { vendor: 'v', architecture: 'a', device: 'd', description: 'x', backend: 'vulkan', featureLevel: 'core' };
  const limits = { maxStorageBufferBindingSize: 134217728, maxBufferSize: 4294967295, maxComputeWorkgroupsPerDimension: 65535 };
  expect(adapterReportSchema.parse(base)).toEqual(base);
  expect(adapterReportSchema.parse({ ...base, limits })).toEqual({ ...base, limits });
  expect(adapterReportSchema.safeParse({ ...base, limits: { ...limits, maxFoo: 1 } }).success).toBe(false);
  expect(adapterReportSchema.safeParse({ ...base, limits: { ...limits, maxBufferSize: -1 } }).success).toBe(false);
});
