/**
 * `npm run build` (and `prepare`, so `npm ci` and `npm pack` run it): compiles src/ into dist/, the
 * JavaScript and .d.ts files the package ships. tsc builds incrementally (tsconfig.build.json); then
 * the plain-JavaScript runtime files of src/ (worker entry scripts) are copied beside the compiled
 * modules, and files of dist/ whose source is gone (a moved or deleted module) are removed, so an
 * incremental build ships exactly what a clean one would.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
/** Files of src/ that run as they are: worker and thread entry scripts. */
const ASSET = /\.(js|mjs|cjs)$/;

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The source files in src/ that a file of dist/ may come from (tsc output or a copied asset). */
function sourcesOf(distFile: string): string[] {
  const rel = relative(dist, distFile);
  if (rel.endsWith('.d.ts')) return [rel.slice(0, -'.d.ts'.length) + '.ts'];
  if (rel.endsWith('.js')) return [rel.slice(0, -'.js'.length) + '.ts', rel];
  if (ASSET.test(rel)) return [rel];
  return [];
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

for (const file of files(src).filter((f) => ASSET.test(f))) {
  const target = join(dist, relative(src, file));
  if (existsSync(target) && readFileSync(target).equals(readFileSync(file))) continue;
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
}

for (const file of files(dist)) {
  if (file === join(dist, '.tsbuildinfo')) continue;
  if (!sourcesOf(file).some((s) => existsSync(join(src, s)))) unlinkSync(file);
}
// Directories left empty by the removals, deepest first.
for (const dir of readdirSync(dist, { withFileTypes: true, recursive: true }).filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name)).sort().reverse()) {
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}
