/**
 * The GitHub Actions workflow (.github/workflows/ci.yml) cannot run here, so it is validated with
 * GitHub's own workflow parser (npm @actions/workflow-parser, from actions/languageservices: the
 * schema and conversion the Actions service and the VS Code extension use), then checked for what
 * it must do: the Linux job runs .ci/run; the macOS arm64 job requires a GPU, runs the tests, the
 * probe and the differential check on Metal, and uploads their results even when a step fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateParseResult } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { loadWorkflowParser } from '../support/workflowParser.ts';

const { convertWorkflowTemplate, isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString, NoOperationTraceWriter, parseWorkflow } = await loadWorkflowParser();
type TemplateToken = NonNullable<TemplateParseResult['value']>;

const FILE = '.github/workflows/ci.yml';
const content = readFileSync(join(import.meta.dirname, '..', '..', FILE), 'utf8');

type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain };

/** A parsed token as plain data; expressions as their `${{ … }}` source. */
function plain(t: TemplateToken): Plain {
  if (isMapping(t)) {
    const out: { [k: string]: Plain } = {};
    for (const { key, value } of t) out[isString(key) ? key.value : String(plain(key))] = plain(value);
    return out;
  }
  if (isSequence(t)) return [...t].map(plain);
  if (isString(t) || isBoolean(t) || isNumber(t)) return t.value;
  if (isBasicExpression(t)) return `\${{ ${t.expression} }}`;
  return null;
}

interface Step { uses?: string; run?: string; if?: string; with?: { [k: string]: Plain }; env?: { [k: string]: Plain } }
interface Job { 'runs-on': Plain; container?: Plain; env?: { [k: string]: Plain }; strategy?: { matrix: { [k: string]: Plain } }; steps: Step[] }

function parse(text: string): { result: TemplateParseResult; errors: string[] } {
  const result = parseWorkflow({ name: FILE, content: text }, new NoOperationTraceWriter());
  return { result, errors: result.context.errors.getErrors().map((e) => e.message) };
}

describe(FILE, () => {
  it('is a valid workflow for GitHub\'s own parser and converter', async () => {
    const { result, errors } = parse(content);
    expect(errors).toEqual([]);
    expect(result.value).toBeDefined();
    const template = await convertWorkflowTemplate(result.context, result.value!);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.map((j) => j.id.value).sort()).toEqual(['linux', 'macos-metal']);
  });

  it('the validator catches a broken workflow (so its silence above means something)', () => {
    expect(parse(content.replace('runs-on: ubuntu-latest', 'runs-on: [ubuntu-latest')).errors).not.toEqual([]);
    expect(parse(content.replace('    steps:\n      - uses: actions/checkout@v4\n      - name: bash .ci/run', '    stepz:\n      - uses: actions/checkout@v4\n      - name: bash .ci/run')).errors.join('\n')).toMatch(/stepz/);
  });

  const jobs = () => (plain(parse(content).result.value!) as unknown as { jobs: { [id: string]: Job } }).jobs;

  it('the Linux job runs .ci/run (the project CI script) in a Debian bookworm container', () => {
    const linux = jobs()['linux']!;
    expect(String(linux.container)).toMatch(/bookworm/);
    expect(linux.steps.map((s) => s.run).filter((r) => r !== undefined)).toEqual(['bash .ci/run']);
  });

  it('the macOS job runs on arm64 runners (macos-14, macos-15), requires a GPU and runs tests, probe and diff on Metal', () => {
    const mac = jobs()['macos-metal']!;
    expect(mac['runs-on']).toBe('${{ matrix.os }}');
    expect(mac.strategy?.matrix['os']).toEqual(['macos-14', 'macos-15']);
    expect(mac.env).toMatchObject({ REFSIM_REQUIRE_GPU: '1', REFSIM_BACKEND: 'metal' });
    const runs = mac.steps.map((s) => s.run).filter((r): r is string => r !== undefined);
    expect(runs).toEqual([
      'npm ci --no-audit --no-fund',
      'npm test',
      'npx refsim probe --json > probe.json',
      'npx refsim diff --cases 1000 --json diff.json --html diff.html --fixtures-dir mismatches',
    ]);
  });

  it('the macOS job uploads the probe, the reports and the mismatch fixtures even after a failure', () => {
    const mac = jobs()['macos-metal']!;
    const upload = mac.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toBe('always()');
    const paths = String(upload?.with?.['path']).trim().split('\n').map((p) => p.trim());
    expect(paths).toEqual(['probe.json', 'diff.json', 'diff.html', 'mismatches/']);
    // The probe and the diff still run after a failed test step, so there is something to upload.
    for (const s of mac.steps.filter((x) => x.run?.startsWith('npx refsim'))) expect(s.if).toBe('always()');
  });
});
