#!/usr/bin/env node
// The `refsim` command. In a checkout (the TypeScript sources beside bin/) it runs the sources
// through tsx, so an edit takes effect with no build step and tests never meet a stale dist/. The
// installed package ships no sources: it runs the JavaScript compiled into dist/, without tsx. The
// test suite, which builds dist/ before it starts and sets REFSIM_TEST_CHILDREN_FROM_DIST=1, runs
// that JavaScript too (src/testHooks.ts, childrenFromDist).
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/run.ts', import.meta.url);
if (existsSync(sources) && process.env.REFSIM_TEST_CHILDREN_FROM_DIST !== '1') {
  (await import('tsx/esm/api')).register();
  await import(sources.href);
} else {
  await import('../dist/cli/run.js');
}
