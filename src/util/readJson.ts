/**
 * Reading a JSON document from a user-named file without trusting it: stat first (a regular file,
 * not a device, FIFO or directory), a size cap before anything is read (`/dev/zero` or a 3 GB file
 * is one line, not an allocation failure), then parse. Every failure is RefsimError(code) naming
 * the file.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { RefsimError } from '../errors.ts';

export function readJsonCapped(file: string, maxBytes: number, code: string, what: string): unknown {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new RefsimError(code, `cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let text: string;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new RefsimError(code, `${what} ${file} is not a regular file`);
    if (st.size > maxBytes) throw new RefsimError(code, `${what} ${file} is ${st.size} bytes; at most ${maxBytes} are read`);
    text = readFileSync(fd, 'utf8');
  } catch (e) {
    if (e instanceof RefsimError) throw e;
    throw new RefsimError(code, `cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    closeSync(fd);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RefsimError(code, `${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}
