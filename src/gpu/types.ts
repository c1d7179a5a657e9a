// The GPU* types (GPUDevice, GPUBuffer, ...) come from @webgpu/types; kept in the emitted .d.ts so
// a TypeScript user of mps-refsim/gpu gets them without listing the package in their own tsconfig.
/// <reference types="@webgpu/types" preserve="true" />
/**
 * The contract of the GPU side (implemented in src/gpu/device.ts and src/gpu/registry.ts), used by
 * the differential checker and the stress run.
 */
import { z } from 'zod';
import type { OpCase, OpName } from '../ops/types.ts';
import type { Tensor } from '../reference/tensor.ts';

export const BACKENDS = ['metal', 'vulkan', 'd3d12', 'opengles'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface OpenGpuOptions {
  /** Dawn backend; default REFSIM_BACKEND, else Dawn's default for the platform. */
  readonly backend?: BackendName;
  /** Substring of the adapter's description/device name, when several adapters exist. */
  readonly adapter?: string;
}

/**
 * The size limits the device was opened with (the adapter's own maxima, src/gpu/device.ts), in
 * bytes and workgroups: what decides whether a problem runs in one piece (docs/gpu-limits.md).
 */
export interface AdapterLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
}

/** What every result reports about where it ran. */
export interface AdapterReport {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly backend: string;
  readonly featureLevel: 'core' | 'compatibility';
  /** Absent in reports of stand-in devices and in files written before limits were recorded. */
  readonly limits?: AdapterLimits;
}

const limit = z.number().int().nonnegative();

/** An AdapterReport read back from a file (fixtures, probe results): exactly these fields. */
export const adapterReportSchema = z.strictObject({
  vendor: z.string(),
  architecture: z.string(),
  device: z.string(),
  description: z.string(),
  backend: z.string(),
  featureLevel: z.enum(['core', 'compatibility']),
  limits: z.strictObject({ maxStorageBufferBindingSize: limit, maxBufferSize: limit, maxComputeWorkgroupsPerDimension: limit }).exactOptional(),
}) satisfies z.ZodType<AdapterReport>;

/** A live device. `destroy()` releases it; the Dawn instance stays referenced while any context lives. */
export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapter: AdapterReport;
  destroy(): void;
}

/** A kernel family for one op: runs many independent cases, batched into as few dispatches as possible. */
export interface GpuOp {
  readonly name: OpName;
  runBatch(ctx: GpuContext, cases: readonly OpCase[]): Promise<Tensor[]>;
}
