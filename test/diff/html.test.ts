/**
 * The HTML report renders in a real browser: Debian's chromium driven by playwright-core. In CI
 * (CI or REFSIM_REQUIRE_GPU set; .ci/run installs chromium) a missing browser is a failure;
 * locally it is a printed skip. The screenshot goes to test-results/ (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { withBrokenKernel } from '../../src/diff/gpuRunner.ts';
import { renderDiffHtml } from '../../src/diff/html.ts';
import type { DiffReport } from '../../src/diff/report.ts';
import { runOpDiff, type DiffRunOptions } from '../../src/diff/run.ts';
import { EXACT_ACCURACY } from '../../src/ops/types.ts';
import { addUlps, fakeAdapter, fakeGpu, fakeLinear, fakeRelu } from './fakes.ts';

const CHROMIUM = process.env['REFSIM_CHROMIUM'] ?? '/usr/bin/chromium';
const required = Boolean(process.env['CI']) || process.env['REFSIM_REQUIRE_GPU'] === '1';
const have = existsSync(CHROMIUM);
if (!have && !required) console.warn(`SKIP html report test: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

async function sampleReport(): Promise<DiffReport> {
  const opts: DiffRunOptions = {
    cases: 40, seed: 7, shard: { index: 1, count: 1 }, batch: 8, profile: 'strict', accuracy: EXACT_ACCURACY,
    gen: { maxElements: 24, specialValues: false }, fixturesDir: null, shrink: false,
  };
  const gpu = withBrokenKernel(fakeGpu({ relu: fakeRelu, linear: fakeLinear }, (o, c) => { if (c.op === 'linear' && o.data.length > 1) addUlps(o, 1, 1); }), 'relu');
  const ops = [await runOpDiff(fakeRelu, gpu, opts), await runOpDiff(fakeLinear, gpu, opts)];
  return { adapter: fakeAdapter, backend: 'vulkan', profile: 'strict', profileSource: 'forced by test', accuracy: EXACT_ACCURACY, seed: 7, cases: 40, shard: opts.shard, batch: 8, gen: opts.gen, ops, seconds: 1 };
}

describe('refsim diff --html', () => {
  it.runIf(have || required)('renders a histogram and a heatmap per op in headless Chromium, offline', async () => {
    expect(have, `Chromium is required here but missing at ${CHROMIUM}`).toBe(true);
    const report = await sampleReport();
    expect(report.ops.every((o) => o.worstCase !== null)).toBe(true);
    const html = renderDiffHtml(report);
    const dir = mkdtempSync(join(tmpdir(), 'refsim-html-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, html);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      // Offline: any network request is a failure of "self-contained".
      await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (problems.push(`network: ${route.request().url()}`), route.abort())));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-rendered], body[data-render-error]', { timeout: 30_000 });
      expect(await page.getAttribute('body', 'data-render-error')).toBeNull();
      expect(await page.getAttribute('body', 'data-rendered')).toBe('4');
      for (const k of [0, 1]) {
        // Histogram: one bar per ULP bucket; heatmap: one cell per output element of the worst case.
        expect(await page.locator(`#hist-${k} svg .mark-rect.role-mark path`).count()).toBe(7);
        const cells = report.ops[k]!.worstCase!.expected.data.length;
        expect(await page.locator(`#heat-${k} svg .mark-rect.role-mark path`).count()).toBe(cells);
      }
      expect(await page.locator('section.op[data-op="relu"] .bad').textContent()).toMatch(/violations/);
      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: 'test-results/diff-report.png', fullPage: true });
      expect(statSync('test-results/diff-report.png').size).toBeGreaterThan(10_000);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
