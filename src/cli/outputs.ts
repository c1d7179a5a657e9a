/**
 * Output paths are checked before a command starts its work, so a run never ends (or dies halfway)
 * on a path it could not write: `--json`, `--html` (files), `--fixtures-dir`, stress `--fixtures`
 * (directories). Nothing is created here; files are written later with writeFileAtomic (temp file
 * + rename) and directories made when the first fixture is saved.
 */
import { accessSync, constants, realpathSync, type Stats, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { describeValue, RefsimError } from '../errors.ts';

export interface OutputPath {
  /** The option as the user typed it, e.g. '--json'. */
  readonly option: string;
  readonly path: string;
  readonly kind: 'file' | 'dir';
}

/** Kernel and device file systems: never a place for reports (writing there hangs, fails or replaces a device). */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

/** A path that cannot be used as an output (exit 2: bad input). */
export class OutputPathError extends RefsimError {
  constructor(readonly option: string, readonly path: string, reason: string) {
    super('E_OUTPUT', `${option} ${describeValue(path)}: ${reason}`);
  }
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p, { throwIfNoEntry: false }) ?? null;
  } catch (e) {
    // A file where a directory component should be: that part does not exist as a directory.
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw e;
  }
}

function isSpecial(p: string): boolean {
  return SPECIAL_ROOTS.some((root) => p === root || p.startsWith(`${root}${sep}`));
}

/** The deepest existing ancestor of `abs` (itself if it exists), with its stat. */
function nearestExisting(abs: string): { path: string; isDir: boolean } {
  let p = abs;
  for (;;) {
    const st = statOrNull(p);
    if (st !== null) return { path: p, isDir: st.isDirectory() };
    const up = dirname(p);
    if (up === p) return { path: p, isDir: true };
    p = up;
  }
}

function writableDir(option: string, path: string, dir: string): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new OutputPathError(option, path, `directory ${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Checks one output path; returns its absolute, symlink-resolved form (for the same-path check). */
export function checkOutput(o: OutputPath): string {
  try {
    return checkOutputPath(o);
  } catch (e) {
    if (e instanceof OutputPathError) throw e;
    // ENAMETOOLONG, ELOOP, EACCES on a parent, ...: still the path's problem, one line.
    const err = e as NodeJS.ErrnoException;
    throw new OutputPathError(o.option, o.path, `cannot be used (${err.code ?? err.message})`);
  }
}

function checkOutputPath(o: OutputPath): string {
  const { option, path, kind } = o;
  if (path.trim() === '') throw new OutputPathError(option, path, `an empty path; give a ${kind === 'file' ? 'file' : 'directory'} name`);
  if (path.includes('\0')) throw new OutputPathError(option, path, 'a path may not contain a NUL character');
  const abs = resolve(path);
  if (isSpecial(abs)) throw new OutputPathError(option, path, `${abs} is under ${SPECIAL_ROOTS.join(', ')}, not an ordinary ${kind === 'file' ? 'file' : 'directory'}`);
  const near = nearestExisting(abs);
  // Resolve symlinks of the existing part, so a link into /proc or to another output is caught too.
  const real = resolve(realpathSync(near.path), abs.slice(near.path.length).replace(/^[/\\]+/, ''));
  if (isSpecial(real)) throw new OutputPathError(option, path, `it resolves to ${real}, under ${SPECIAL_ROOTS.join(', ')}`);
  if (near.path === abs) {
    const st = statSync(abs);
    if (kind === 'dir') {
      if (!st.isDirectory()) throw new OutputPathError(option, path, 'it exists and is not a directory');
      writableDir(option, path, abs);
    } else {
      if (st.isDirectory()) throw new OutputPathError(option, path, 'it is a directory; give a file name');
      if (!st.isFile()) throw new OutputPathError(option, path, 'it exists and is not a regular file');
      // Replaced by rename, so the directory must be writable (the file itself is not opened).
      writableDir(option, path, dirname(abs));
    }
    return real;
  }
  if (!near.isDir) throw new OutputPathError(option, path, `${near.path} is a file, so ${kind === 'file' ? 'the file' : 'the directory'} cannot be created under it`);
  writableDir(option, path, near.path);
  return real;
}

/** Checks every output (nulls are outputs not asked for) and that no two are the same path. */
export function checkOutputs(outputs: ReadonlyArray<OutputPath | null>): void {
  const seen = new Map<string, OutputPath>();
  for (const o of outputs) {
    if (o === null) continue;
    const real = checkOutput(o);
    const other = seen.get(real);
    if (other !== undefined) throw new OutputPathError(o.option, o.path, `the same path as ${other.option}; each output needs its own path`);
    seen.set(real, o);
  }
}
