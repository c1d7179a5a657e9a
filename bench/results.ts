/**
 * The text of a bench/RESULTS*.md file, merged with the file it replaces: a run that measured only
 * some suites (a filtered run) replaces those suites' rows and keeps the others, each kept row's run
 * (machine, date, command, commit, notes) named in a generated block; sections that other tools
 * generate into the file between `<!-- key: … -->` and `<!-- /key -->` markers (e.g. the soaks of
 * `refsim stress --results-md`) are carried over as they are.
 */

export interface RunInfo {
  readonly machine: string;
  readonly date: string;
  /** The command line, without backquotes. */
  readonly command: string;
  readonly commit: string;
}

/** A table row as Markdown, with its suite (the first cell). */
export interface TableRow {
  readonly suite: string;
  readonly line: string;
}

interface EarlierRun {
  readonly suites: readonly string[];
  readonly run: RunInfo;
  readonly notes: string;
}

interface Parsed {
  readonly run: RunInfo | null;
  readonly rows: readonly TableRow[];
  readonly notes: string;
  readonly earlier: readonly EarlierRun[];
  /** Other tools' marked sections, verbatim, in file order. */
  readonly sections: readonly string[];
}

const EARLIER = 'refsim-bench-earlier-run';
const TABLE_HEADER = /^\| suite \|/;

/** Suite of a Markdown table row: its first cell. */
export const rowSuite = (line: string): string => line.split('|')[1]?.trim() ?? '';

function runLines(r: RunInfo): string[] {
  return [`- machine: ${r.machine}`, `- date: ${r.date}`, `- command: \`${r.command}\``, `- commit: ${r.commit}`];
}

/** The run described by `- machine:` … `- commit:` lines; null when any is missing. */
function parseRun(lines: readonly string[]): RunInfo | null {
  const field = (name: string): string | undefined => lines.find((l) => l.startsWith(`- ${name}: `))?.slice(name.length + 4);
  const [machine, date, command, commit] = [field('machine'), field('date'), field('command'), field('commit')];
  if (machine === undefined || date === undefined || command === undefined || commit === undefined) return null;
  return { machine, date, command: command.replace(/^`(.*)`$/, '$1'), commit };
}

/** Splits off every marked section `<!-- key: … -->` … `<!-- /key -->` (or `<!-- key -->`); returns the rest and the sections. */
function splitSections(text: string): { rest: string; sections: { key: string; text: string }[] } {
  const sections: { key: string; text: string }[] = [];
  const opener = /<!-- ([^/\s][^:>]*?)(?::[^>]*)? -->/g;
  let rest = '';
  let at = 0;
  for (let m = opener.exec(text); m !== null; m = opener.exec(text)) {
    const key = m[1]!;
    const closer = `<!-- /${key} -->`;
    const end = text.indexOf(closer, m.index);
    if (end < 0) continue;
    rest += text.slice(at, m.index);
    sections.push({ key, text: text.slice(m.index, end + closer.length) });
    at = end + closer.length;
    opener.lastIndex = at;
  }
  return { rest: rest + text.slice(at), sections };
}

function parseEarlier(section: string): EarlierRun | null {
  const head = /^<!-- [^:]*: (\{.*\}) -->$/m.exec(section);
  if (head === null) return null;
  const suites = (JSON.parse(head[1]!) as { suites?: unknown }).suites;
  const lines = section.split('\n').slice(1, -1);
  const run = parseRun(lines);
  if (!Array.isArray(suites) || run === null) return null;
  const notes = lines.filter((l, i) => i > 0 && !/^- (machine|date|command|commit): /.test(l)).join('\n').trim();
  return { suites: suites.map(String), run, notes };
}

export function parseResults(text: string): Parsed {
  const { rest, sections } = splitSections(text);
  const lines = rest.split('\n');
  const tableAt = lines.findIndex((l) => TABLE_HEADER.test(l));
  const headLines = tableAt < 0 ? lines : lines.slice(0, tableAt);
  const tableEnd = tableAt < 0 ? lines.length : lines.findIndex((l, i) => i > tableAt && !l.startsWith('|'));
  const body = tableAt < 0 ? [] : lines.slice(tableAt + 2, tableEnd < 0 ? lines.length : tableEnd);
  const earlier: EarlierRun[] = [];
  const others: string[] = [];
  for (const s of sections) {
    const e = s.key.startsWith(EARLIER) ? parseEarlier(s.text) : null;
    if (e !== null) earlier.push(e);
    else if (!s.key.startsWith(EARLIER)) others.push(s.text);
  }
  return {
    run: parseRun(headLines),
    rows: body.map((line) => ({ suite: rowSuite(line), line })),
    notes: tableAt < 0 || tableEnd < 0 ? '' : lines.slice(tableEnd).join('\n').trim(),
    earlier,
    sections: others,
  };
}

export interface NewResults {
  readonly title: string;
  readonly run: RunInfo;
  /** The table as formatTable renders it (header, separator, rows). */
  readonly table: string;
  readonly notes: string;
  /** Keep the rows of suites this run did not measure (a filtered run); false: the table is this run's alone. */
  readonly keepOthers: boolean;
}

/** The new file's text: this run's table and notes, the kept rows of earlier runs and their provenance, the other tools' sections. */
export function mergeResults(old: string | null, next: NewResults): string {
  const prev = old === null ? null : parseResults(old);
  const [header = '', separator = '', ...fresh] = next.table.split('\n');
  const ran = new Set(fresh.map(rowSuite));
  const kept = next.keepOthers && prev !== null ? prev.rows.filter((r) => !ran.has(r.suite)) : [];
  // Each suite's rows where they were, this run's suites in place of their old rows, new suites last.
  const rows: string[] = [];
  const placed = new Set<string>();
  for (const r of next.keepOthers && prev !== null ? prev.rows : []) {
    if (!ran.has(r.suite)) rows.push(r.line);
    else if (!placed.has(r.suite)) {
      placed.add(r.suite);
      rows.push(...fresh.filter((l) => rowSuite(l) === r.suite));
    }
  }
  rows.push(...fresh.filter((l) => !placed.has(rowSuite(l))));

  const keptSuites = new Set(kept.map((r) => r.suite));
  const earlier: EarlierRun[] = [];
  if (prev !== null && keptSuites.size > 0) {
    const fromEarlier = new Set(prev.earlier.flatMap((e) => e.suites));
    if (prev.run !== null) {
      const suites = [...new Set(prev.rows.map((r) => r.suite))].filter((s) => keptSuites.has(s) && !fromEarlier.has(s));
      if (suites.length > 0) earlier.push({ suites, run: prev.run, notes: prev.notes });
    }
    for (const e of prev.earlier) {
      const suites = e.suites.filter((s) => keptSuites.has(s));
      if (suites.length > 0) earlier.push({ ...e, suites });
    }
  }
  const blocks = earlier.map((e, i) => [
    `<!-- ${EARLIER} ${i + 1}: ${JSON.stringify({ suites: e.suites })} -->`,
    `Rows of ${e.suites.join(', ')} are from an earlier run:`,
    ...runLines(e.run),
    ...(e.notes === '' ? [] : ['', e.notes]),
    `<!-- /${EARLIER} ${i + 1} -->`,
  ].join('\n'));
  const parts = [
    [
      `# ${next.title}`, '', ...runLines(next.run),
      ...(earlier.length === 0 ? [] : [`- rows kept from earlier runs (each named below the table): ${earlier.flatMap((e) => e.suites).join(', ')}`]),
      '', header, separator, ...rows,
    ].join('\n'),
    next.notes.trim(),
    ...blocks,
    ...(prev?.sections ?? []),
  ];
  return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}
