/**
 * Entry modules of worker threads and child processes, for code that runs both from the TypeScript
 * sources (a development checkout, vitest, tsx) and compiled (dist/ of the installed package, where
 * tsx is absent). An entry is named by its source file, relative to the calling module, so it moves
 * with its caller; when the caller is compiled JavaScript, a `.ts` name maps to the `.js` that tsc
 * emitted beside the caller's own.
 */
import { existsSync } from 'node:fs';
import { relative as relativePath, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { childrenFromDist } from '../testHooks.ts';

/** A path or URL naming a TypeScript module. */
const isTypeScript = (entry: string | URL): boolean => (entry instanceof URL ? entry.pathname : entry).endsWith('.ts');

/** URL of the entry `relative` (a source name such as './child.ts') as seen from the module at `callerUrl` (its import.meta.url). */
export function entryUrl(relative: string, callerUrl: string): URL {
  if (!isTypeScript(new URL(callerUrl))) return new URL(relative.replace(/\.ts$/, '.js'), callerUrl);
  const source = new URL(relative, callerUrl);
  return childrenFromDist() ? compiledUrl(source) : source;
}

const srcDir = fileURLToPath(new URL('../', import.meta.url));
const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));

/** The file tsc compiles the source `source` to (src/a/b.ts → dist/a/b.js); it must exist. */
function compiledUrl(source: URL): URL {
  const rel = relativePath(srcDir, fileURLToPath(source));
  if (rel.startsWith('..') || rel.startsWith(sep)) throw new Error(`entry ${source.href} is not under ${srcDir}`);
  const compiled = `${distDir}${rel.replace(/\.ts$/, '.js')}`;
  if (!existsSync(compiled)) throw new Error(`REFSIM_TEST_CHILDREN_FROM_DIST=1 but ${compiled} is missing: run npm run build`);
  return pathToFileURL(compiled);
}

/** File path of `entryUrl(relative, callerUrl)`, for child_process.fork. */
export function entryPath(relative: string, callerUrl: string): string {
  return fileURLToPath(entryUrl(relative, callerUrl));
}

/**
 * Node options a child process needs to run `entry`: tsx's loader for a TypeScript entry (resolved
 * from this package, not the working directory, so a command run elsewhere still finds it), none
 * for compiled JavaScript.
 */
export function loaderArgs(entry: string | URL): string[] {
  return isTypeScript(entry) ? ['--import', import.meta.resolve('tsx')] : [];
}

/** The plain-JavaScript entry script of a worker thread that runs the module in its workerData.entry (./threadBoot.js). */
export const threadBootUrl = new URL('./threadBoot.js', import.meta.url);
