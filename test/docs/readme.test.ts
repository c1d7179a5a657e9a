/**
 * The README is the contract a newcomer reads: at most 200 lines, its generated sections equal to
 * what the code prints now (scripts/readme.ts; `npm run docs:readme` rewrites them), and no link in
 * it or in docs/ to a path a clone does not have.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { README, renderReadme } from '../../scripts/readme.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pages = [README, ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(root, 'docs', f))];

describe('README.md', () => {
  test('is at most 200 lines', () => {
    expect(readFileSync(README, 'utf8').split('\n').length).toBeLessThanOrEqual(200);
  });

  test('its generated sections are what the commands print now (run npm run docs:readme after a change)', async () => {
    const text = readFileSync(README, 'utf8');
    expect(await renderReadme(text)).toBe(text);
  });
});

test.each(pages.map((p) => [p.slice(root.length), p]))('%s links only to paths a clone has', (_name, page) => {
  const text = readFileSync(page, 'utf8');
  const missing: string[] = [];
  for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
    const target = m[1]!;
    if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
    if (!existsSync(resolve(dirname(page), target))) missing.push(target);
  }
  // Code paths named in backquotes, e.g. `src/ops/relu/wgsl.ts` (not another repository's, "google/dawn `src/…`").
  for (const m of text.matchAll(/(\S+ )?`((?:src|test|bench|scripts|python|fixtures)\/[\w./-]+)`/g)) {
    if (m[1] !== undefined && /^[\w-]+\/[\w-]+ $/.test(m[1])) continue;
    if (!existsSync(join(root, m[2]!))) missing.push(m[2]!);
  }
  expect(missing).toEqual([]);
  // Paths that exist only on a developer's machine: the shared research folder, the GPU-machine pack.
  expect(text).not.toMatch(/\.\.\/shared\/|\.device\//);
});
