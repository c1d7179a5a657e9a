/**
 * The package as a user gets it: `npm pack` of this checkout (dist/ compiled before the tests)
 * installed into a temporary project with no network, for test/package/pack.test.ts.
 *
 * Offline install: `npm install --offline <tarball>` has to resolve every dependency's version range,
 * which needs the registry's metadata documents; the cache that `npm ci` filled need not hold them
 * (here it fails with ENOTCACHED). A lockfile pins each version with its integrity, so the temporary
 * project gets one: this project's own entries for the packages it ships with (every entry not marked
 * dev) plus the tarball, and `npm ci --offline` installs exactly those from the cache.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly bin: Record<string, string>;
  readonly exports: Record<string, string | Record<string, string>>;
  readonly dependencies: Record<string, string>;
  readonly engines?: Record<string, string>;
  readonly license?: string;
}

interface LockEntry {
  readonly dev?: boolean;
  readonly [key: string]: unknown;
}

export interface Installed {
  /** Paths inside the tarball, relative to the package root. */
  readonly files: readonly string[];
  /** The installed package.json. */
  readonly pkg: PackageJson;
  /** The temporary project; the package is in node_modules/<name>. */
  readonly project: string;
  /** The installed package's root. */
  readonly installed: string;
  /** Seconds taken by `npm pack` and by the install. */
  readonly packSeconds: number;
  readonly installSeconds: number;
  remove(): void;
}

/** The environment of every command run on the installed package: no loader hooks carried over (e.g. tsx). */
export function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env['NODE_OPTIONS'];
  return env;
}

function run(cmd: string, args: readonly string[], opts: SpawnSyncOptions & { cwd: string }): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 180_000, env: plainEnv(), ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${opts.cwd}) exited ${r.status ?? r.signal}: ${String(r.stderr ?? '').slice(-3000)}${String(r.stdout ?? '').slice(-2000)}`);
  }
  return String(r.stdout);
}

/** The temporary project's lockfile: the tarball, and this project's non-dev entries (its dependency tree as installed here). */
function lockfileFor(pkg: PackageJson, tarball: string, tarballFile: string): object {
  const own = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const shipped = Object.fromEntries(Object.entries(own.packages).filter(([path, e]) => path !== '' && e.dev !== true));
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarballFile)).digest('base64')}`;
  return {
    name: 'refsim-pack-test',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'refsim-pack-test', dependencies: { [pkg.name]: tarball } },
      [`node_modules/${pkg.name}`]: {
        version: pkg.version, resolved: tarball, integrity, dependencies: pkg.dependencies, bin: pkg.bin,
        ...(pkg.engines === undefined ? {} : { engines: pkg.engines }), ...(pkg.license === undefined ? {} : { license: pkg.license }),
      },
      ...shipped,
    },
  };
}

export function installPackedProject(): Installed {
  const dir = mkdtempSync(join(tmpdir(), 'refsim-pack-'));
  try {
    const t0 = performance.now();
    // --ignore-scripts: dist/ is already built for this run (test/support/buildDist.ts, the same
    // scripts/build.ts that `prepare` runs), so pack it as it is rather than build it again.
    const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot })) as [{ filename: string; files: { path: string }[] }];
    const t1 = performance.now();
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
    const project = join(dir, 'project');
    mkdirSync(project);
    const tarball = `file:../${packed[0].filename}`;
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'refsim-pack-test', private: true, type: 'module', dependencies: { [pkg.name]: tarball } }, null, 2)}\n`);
    writeFileSync(join(project, 'package-lock.json'), `${JSON.stringify(lockfileFor(pkg, tarball, join(dir, packed[0].filename)), null, 2)}\n`);
    // --ignore-scripts: the dependencies' install scripts stay off, as this project's allowScripts keeps them.
    run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project });
    const t2 = performance.now();
    const installed = join(project, 'node_modules', pkg.name);
    return {
      files: packed[0].files.map((f) => f.path),
      pkg: JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as PackageJson,
      project,
      installed,
      packSeconds: (t1 - t0) / 1000,
      installSeconds: (t2 - t1) / 1000,
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
