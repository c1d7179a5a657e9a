import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/refsim.js', import.meta.url));

describe('bin/refsim.js and a closed stdout', () => {
  it('`refsim --help | true` ends quietly: no EPIPE stack trace, exit status 0', () => {
    // `true` exits without reading long before node has started, so the write hits a closed pipe.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" --help | true; echo "status=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at .*:\d+:\d+/);
    expect(r.stderr).toMatch(/status=0/);
  });
});
