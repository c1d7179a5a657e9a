export * from './reference/index.ts';
export * from './errors.ts';
