/**
 * The self-contained HTML report of `refsim diff --html FILE`: per op a ULP-error histogram and,
 * for the case holding the worst element, a heatmap of the ULP error over the output tensor.
 * Charts are Vega-Lite specs rendered by Vega in the page; both libraries' built JS is inlined, so
 * the file opens offline and can be attached to a CI run as is.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { version } from '../version.ts';
import { ULP_BUCKETS } from './classify.ts';
import { ulpDistanceBits } from '../reference/float32.ts';
import { unravel } from '../util/coords.ts';
import { f32WithBits, formatAccuracy, formatAdapter, formatPercent } from './format.ts';
import { reportOk, type DiffReport, type VerdictCounts } from './report.ts';
import type { Tensor } from '../reference/tensor.ts';

/** Heatmaps show at most this many output elements (the first ones, row-major). */
export const HEATMAP_MAX_CELLS = 16_384;
/** Stand-in ULP value for NaN/Inf disagreements on the colour scale. */
const NON_FINITE_ULP = 2 ** 32;

const require = createRequire(import.meta.url);

function builtScript(pkg: string, file: string): string {
  // The packages export only their ESM entry; the UMD builds sit beside it in build/.
  return readFileSync(join(dirname(require.resolve(pkg)), file), 'utf8');
}

export const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
/** Text safe inside <script>: no "</script" or "<!--" can appear. */
const scriptSafe = (s: string): string => s.replace(/</g, '\\u003c');

type Spec = Record<string, unknown>;

export function histogramSpec(title: string, counts: Pick<VerdictCounts, 'elements' | 'histogram'>, gotLabel: string): Spec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${title}: ULP error per element (${counts.elements} elements)`,
    width: 360,
    height: 180,
    data: { values: ULP_BUCKETS.map((b, i) => ({ bucket: b.label, order: i, elements: counts.histogram[i] ?? 0 })) },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'bucket', type: 'ordinal', sort: { field: 'order' }, title: `ULP distance ${gotLabel} vs reference` },
      y: { field: 'elements', type: 'quantitative', scale: { type: 'symlog' }, title: 'elements (symlog)' },
      color: { condition: { test: 'datum.order === 0', value: '#4c78a8' }, value: '#e45756' },
    },
  };
}

/** Where element `i` of `shape` sits on the heatmap: NCHW planes side by side (channels across, batch down). */
function heatmapLayout(shape: readonly number[]): { cols: number; rows: number; place(i: number): [number, number]; caption: string } {
  if (shape.length === 4) {
    const [n, c, h, w] = shape as [number, number, number, number];
    return {
      cols: c * (w + 1) - 1,
      rows: n * (h + 1) - 1,
      place(i) {
        const [ni, ci, hi, wi] = unravel(shape, i) as [number, number, number, number];
        return [ci * (w + 1) + wi, ni * (h + 1) + hi];
      },
      caption: `one ${h}×${w} plane per (n, c): channels across, batch down`,
    };
  }
  const last = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  const total = shape.reduce((a, b) => a * b, 1);
  return { cols: last, rows: Math.ceil(total / last), place: (i) => [i % last, Math.floor(i / last)], caption: shape.length === 2 ? 'rows: first axis, columns: second' : 'row-major' };
}

/** An output tensor to map: what the backend computed and what the reference computed. */
export interface HeatmapInput {
  /** e.g. "relu: ULP error over the output of case 12". */
  readonly title: string;
  readonly got: Tensor;
  readonly expected: Tensor;
}

/** Heatmap of the per-element ULP error over an output tensor. */
export function heatmapSpec(wc: HeatmapInput, gotLabel: string): Spec {
  const shape = wc.expected.shape;
  const n = Math.min(wc.expected.data.length, wc.got.data.length, HEATMAP_MAX_CELLS);
  const layout = heatmapLayout(shape);
  const gb = new Uint32Array(wc.got.data.buffer, wc.got.data.byteOffset, wc.got.data.length);
  const rb = new Uint32Array(wc.expected.data.buffer, wc.expected.data.byteOffset, wc.expected.data.length);
  const values: Array<Record<string, number | string>> = [];
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const d = ulpDistanceBits(gb[i]!, rb[i]!);
    const nanPair = Number.isNaN(wc.got.data[i]!) && Number.isNaN(wc.expected.data[i]!);
    const [x, y] = layout.place(i);
    rows = Math.max(rows, y + 1);
    values.push({
      x, x2: x + 1, y, y2: y + 1,
      ulp: nanPair ? 0 : Number.isFinite(d) ? d : NON_FINITE_ULP,
      at: `[${unravel(shape, i).join(',')}]`,
      [gotLabel]: f32WithBits(wc.got.data[i]!, gb[i]!),
      reference: f32WithBits(wc.expected.data[i]!, rb[i]!),
    });
  }
  const cols = layout.cols;
  const cell = Math.max(2, Math.min(20, Math.floor(640 / Math.max(cols, 1)), Math.floor(640 / Math.max(rows, 1))));
  const noAxis = { labels: false, ticks: false, grid: false, domain: false };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${wc.title} [${shape.join('×')}]${n < wc.expected.data.length ? ` (first ${n} elements)` : ''}`, subtitle: layout.caption },
    width: cols * cell,
    height: rows * cell,
    data: { values },
    mark: { type: 'rect', tooltip: { content: 'data' } },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { domain: [0, cols], nice: false, zero: true }, axis: { ...noAxis, title: null } },
      x2: { field: 'x2' },
      y: { field: 'y', type: 'quantitative', scale: { domain: [0, rows], nice: false, zero: true, reverse: true }, axis: { ...noAxis, title: null } },
      y2: { field: 'y2' },
      color: { field: 'ulp', type: 'quantitative', scale: { type: 'symlog', scheme: 'inferno', reverse: true }, title: 'ULP' },
    },
  };
}

/** One section of a report page: a diff op or a check file. */
export interface HtmlSection {
  /** data-op / data-file attribute value, for tests and deep links. */
  readonly attr: readonly [name: string, value: string];
  readonly title: string;
  readonly counts: VerdictCounts;
  /** Extra HTML after the counts line (already escaped). */
  readonly extraHtml: string;
  readonly heat: HeatmapInput | null;
}

function countsLine(c: VerdictCounts): string {
  const status = c.violations > 0 ? `<span class="bad">${c.violations} violations</span>` : '<span class="ok">no violations</span>';
  const unbounded = c.unbounded > 0 ? `, <span class="bad">${c.unbounded} unbounded</span>` : '';
  return `${c.elements} elements, ${formatPercent(c.exact, c.elements)} exact, ${c.within} within bound${unbounded}, ${status}`;
}

/** A self-contained page: a header, then per section a histogram and (where something differs) a heatmap. */
export function renderReportHtml(title: string, headerHtml: string, sections: readonly HtmlSection[], gotLabel: string): string {
  const charts: Array<{ id: string; spec: Spec }> = [];
  const body = sections.map((sec, k) => {
    const hid = `hist-${k}`;
    charts.push({ id: hid, spec: histogramSpec(sec.title, sec.counts, gotLabel) });
    const mid = `heat-${k}`;
    if (sec.heat !== null) charts.push({ id: mid, spec: heatmapSpec(sec.heat, gotLabel) });
    return `<section class="op" data-${sec.attr[0]}="${escapeHtml(sec.attr[1])}">
<h2>${escapeHtml(sec.title)}</h2>
<p>${sec.extraHtml}${countsLine(sec.counts)}</p>
<div class="charts"><div class="chart" id="${hid}"></div>${sec.heat === null ? '<p class="note">every element bit-identical: no error to map</p>' : `<div class="chart" id="${mid}"></div>`}</div>
</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
.ok{color:#1a7f37}.bad{color:#cf222e;font-weight:bold}
.charts{display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start}
code{background:#f3f3f3;padding:0 .2em}.note{color:#666}
</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${headerHtml}
${body.join('\n')}
<script>${builtScript('vega', 'vega.min.js')}</script>
<script>${builtScript('vega-lite', 'vega-lite.min.js')}</script>
<script type="application/json" id="refsim-charts">${scriptSafe(JSON.stringify(charts))}</script>
<script>
(function () {
  var charts = JSON.parse(document.getElementById('refsim-charts').textContent);
  Promise.all(charts.map(function (c) {
    var view = new vega.View(vega.parse(vegaLite.compile(c.spec).spec), { renderer: 'svg', container: '#' + c.id, hover: true });
    return view.runAsync();
  })).then(function () {
    document.body.setAttribute('data-rendered', String(charts.length));
  }, function (e) {
    document.body.setAttribute('data-render-error', String(e));
    console.error(e);
  });
})();
</script>
</body></html>
`;
}

export function renderDiffHtml(r: DiffReport): string {
  const sections = r.ops.map((o): HtmlSection => {
    const wc = o.worstCase;
    const fixture = o.shrunk?.fixture ? `fixture: <code>${escapeHtml(o.shrunk.fixture)}</code> (<code>npx refsim repro ${escapeHtml(o.shrunk.fixture)}</code>)<br>` : '';
    return {
      attr: ['op', o.op],
      title: o.op,
      counts: o,
      extraHtml: `${o.cases} cases, ${fixture}`,
      heat: wc === null ? null : { title: `${o.op}: ULP error over the output of case ${wc.index}`, got: wc.got, expected: wc.expected },
    };
  });
  const header = `<p>refsim ${escapeHtml(version)} · adapter ${escapeHtml(formatAdapter(r.adapter))}<br>
profile ${r.profile} (${escapeHtml(r.profileSource)}) · accuracy ${escapeHtml(formatAccuracy(r.accuracy))}<br>
seed ${r.seed} · ${r.cases} cases per op · shard ${r.shard.index}/${r.shard.count} · batch ${r.batch} · ≤${r.gen.maxElements} elements per input${r.gen.specialValues ? ' · special values' : ''}</p>`;
  return renderReportHtml(`refsim diff: ${reportOk(r) ? 'OK' : 'FAILED'}`, header, sections, 'gpu');
}
