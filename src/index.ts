export * from './reference/index.ts';
export * from './errors.ts';
export * from './reference/bounds/index.ts';
export * from './ops/index.ts';
export * from './ops/types.ts';
export * from './ops/registry.ts';
export * from './ops/pytorchFixture.ts';
