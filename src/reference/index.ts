/** Public API of the reference simulator. External checks import from here. */
export * from './uint.ts';
export * from './alignUp.ts';
export * from './allocator.ts';
export * from './tensor.ts';
export * from './float32.ts';
export * from './treeSum.ts';
export * from './eventCounter.ts';
export * from './eventIdCheck.ts';
export * from './counterStress.ts';
export * from './eventPool.ts';
export * from './eventPoolScenario.ts';
