/**
 * The vitest projects' file lists (test/support/projects.ts): every entry names existing test files
 * (a stale entry would silently move nothing), and none is in two lists.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryMatches, GPU, listRank, PROCESS, TIMING } from '../support/projects.ts';

const root = join(import.meta.dirname, '..', '..');
const testFiles = readdirSync(join(root, 'test'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => relative(root, join(root, 'test', f)).split('\\').join('/'));

/** The test files an entry names. */
const filesOf = (entry: string): string[] => testFiles.filter((f) => entryMatches(entry, f));

describe('vitest projects', () => {
  it('every entry of TIMING, PROCESS and GPU names at least one existing test file', () => {
    const empty = [...TIMING, ...PROCESS, ...GPU].filter((e) => filesOf(e).length === 0);
    expect(empty).toEqual([]);
  });

  it('no test file is in two lists', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [name, list] of [['timing', TIMING], ['process', PROCESS], ['gpu', GPU]] as const) {
      for (const f of list.flatMap(filesOf)) {
        if (seen.has(f)) twice.push(`${f}: ${seen.get(f)} and ${name}`);
        seen.set(f, name);
      }
    }
    expect(twice).toEqual([]);
  });

  it('a file that opens a GPU or starts a process is not in the unit project', () => {
    // The unit project shares workers with no GPU child and no process budget of its own.
    const listed = new Set([...TIMING, ...PROCESS, ...GPU].flatMap(filesOf));
    const needs = /from '(?:[./]*support\/(?:gpu|cli)\.ts|node:child_process)'/;
    const misplaced = testFiles.filter((f) => !listed.has(f) && needs.test(readFileSync(join(root, f), 'utf8')));
    expect(misplaced).toEqual([]);
  });

  it('entries match paths and one-directory patterns only, and rank files by their list', () => {
    expect(entryMatches('test/ops/*/kernel.test.ts', 'test/ops/relu/kernel.test.ts')).toBe(true);
    expect(entryMatches('test/ops/*/kernel.test.ts', 'test/ops/a/b/kernel.test.ts')).toBe(false);
    expect(entryMatches('test/ops/*/kernel.test.ts', 'test/ops/kernel.test.ts')).toBe(false);
    expect(entryMatches('test/a.test.ts', 'test/a.test.ts')).toBe(true);
    expect(listRank(GPU, 'test/ops/linear/kernel.test.ts')).toBe(GPU.indexOf('test/ops/*/kernel.test.ts'));
    expect(listRank(TIMING, 'test/not/listed.test.ts')).toBe(TIMING.length);
  });
});
