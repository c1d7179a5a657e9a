export * from './reference/index.ts';
export * from './errors.ts';
export * from './reference/bounds/index.ts';
export * from './ops/index.ts';
