/**
 * `refsim check` end to end: the exit-code contract (0 / 1 / 2 / 3), the table, the --json fields
 * the issue names, --explain, directory walking, and one-line errors. Exit 0 and 1 through the real
 * executable; the rest through main(argv) in this process (the code the executable runs, without
 * a process start per run).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../src/check/safetensors.ts';
import { getOpSpec } from '../../src/ops/registry.ts';
import type { OpCase } from '../../src/ops/types.ts';
import { runCli } from '../support/cli.ts';
import { runMain } from './inProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-check-'));

/** A linear dump whose output is the reference's, with `edit` applied. */
function linearDump(name: string, edit: (o: Float32Array) => void = () => {}, x = Float32Array.of(1, 2, 3, -1, 0.5, 0.25)): string {
  const c: OpCase = {
    op: 'linear', params: {},
    inputs: { x: { shape: [2, 3], data: x }, weight: { shape: [2, 3], data: Float32Array.of(1, 1, 2, 1, 1, 1) }, bias: null },
  };
  const out = getOpSpec('linear').reference(c, 'strict');
  edit(out.data);
  const p = join(dir, name);
  writeFileSync(p, encodeSafetensors({ x: c.inputs['x']!, weight: c.inputs['weight']!, output: out }, { op: 'linear', params: '{}', device: 'cpu' }));
  return p;
}

describe('refsim check', () => {
  it('exit 0 on a matching dump; exit 1 with the violating element, its coordinates and bits', () => {
    const good = linearDump('good.safetensors');
    const r0 = runCli(['check', good]);
    expect(r0.stderr).toBe('');
    expect(r0.code).toBe(0);
    expect(r0.stdout).toMatch(/file +op +device +elements +exact +ulp 0 .* unbounded +violations/);
    expect(r0.stdout).toMatch(/OK: no violations/);

    const bad = linearDump('bad.safetensors', (o) => { o[3] = o[3]! + 0.5; });
    const json = join(dir, 'r.json');
    const r1 = runCli(['check', bad, '--json', json]);
    expect(r1.code).toBe(1);
    expect(r1.stdout).toMatch(/\[1, 1\]: got .* \(0x[0-9a-f]{8}\) vs ref .* \(0x[0-9a-f]{8}\) +\d+ ULP \(\|err\| 5\.00e-1 > bound .*\) +index 3 +VIOLATION \(bound\)/);
    expect(r1.stdout).toMatch(/FAILED: 1 violation/);
    const j = JSON.parse(readFileSync(json, 'utf8'));
    expect(j.files).toHaveLength(1);
    expect(j.files[0]).toMatchObject({ file: bad, op: 'linear', elements: 4, exact: 3, within: 0, unbounded: 0, violations: 1 });
    expect(j.files[0].differing[0]).toMatchObject({ index: 3, coords: '[1, 1]', verdict: 'violation', reason: 'bound' });
  });

  it('exit 3 when nothing is a violation but an element differs under an infinite bound', async () => {
    // Row 0 sums 3e38 − 3e38 + 0 = 0: its bound may overflow, so it is infinite; the output differs by 1.
    const p = linearDump('unbounded.safetensors', (o) => { o[0] = o[0]! + 1; }, Float32Array.of(3e38, -3e38, 0, 1, 1, 1));
    const r = await runMain(['check', p]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/UNBOUNDED/);
    expect(r.stdout).toMatch(/under an infinite bound/);
  });

  it('walks directories for *.safetensors, and --explain prints one element with its inputs', async () => {
    const sub = join(dir, 'walk');
    mkdirSync(join(sub, 'deeper'), { recursive: true });
    writeFileSync(join(sub, 'notes.txt'), 'not a dump');
    writeFileSync(join(sub, 'deeper', 'a.safetensors'), readFileSync(linearDump('a.safetensors')));
    const r = await runMain(['check', sub, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/refsim check · 1 dump /);
    const e = await runMain(['check', linearDump('e.safetensors', (o) => { o[1] = o[1]! * 2; }), '--explain', '1']);
    expect(e.code).toBe(1);
    expect(e.stdout).toMatch(/output\[0, 1\] \(index 1\): VIOLATION \(bound\)/);
    expect(e.stdout).toMatch(/receptive field: 6 input elements/);
    expect(e.stdout).toMatch(/weight\[1, 2\] = 1 \(0x3f800000\)/);
  });

  it('bad input is one line on stderr and exit 2, before any output file is written', async () => {
    const notDump = join(dir, 'junk.safetensors');
    writeFileSync(notDump, 'xyz');
    const cases: Array<[string[], RegExp]> = [
      [['check', notDump], /junk\.safetensors: truncated: 3 bytes/],
      [['check', join(dir, 'nope.safetensors')], /nope\.safetensors: no such file or directory/],
      [['check', mkdtempSync(join(tmpdir(), 'refsim-empty-'))], /no \*\.safetensors dumps in this directory/],
      [['check', linearDump('acc.safetensors'), '--accuracy', 'fast'], /--accuracy must be exact, wgsl, cuda, or a JSON object/],
      [['check', linearDump('lim.safetensors'), '--limit', '0'], /--limit must be an integer in \[1, 10000\]/],
      [['check', linearDump('x1.safetensors'), linearDump('x2.safetensors'), '--explain', '0'], /--explain must be used with exactly one dump file/],
      [['check', linearDump('x3.safetensors'), '--explain', '4'], /--explain must be an element index in \[0, 3\]/],
      [['check', linearDump('j.safetensors'), '--json', join(dir, 'same'), '--html', join(dir, 'same')], /--html .*the same path as --json/],
    ];
    for (const [args, pattern] of cases) {
      const before = readdirSync(dir).length;
      const r = await runMain(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stdout).toBe('');
      expect(readdirSync(dir).length).toBe(before);
    }
  });
});
