import type { Chart } from '../db/workbenchQueries.js';

/**
 * A chart DuckDB has binned, laid out as lines of text: vertical bars of eighth blocks for a
 * histogram or time buckets (y axis in rows, x axis in the column's values or UTC times), horizontal
 * bars for top values. Pure: the view only colours the parts.
 */
export type ChartPart = { text: string; role: 'title' | 'axis' | 'bar' | 'label' | 'dim' };
export type ChartLine = ChartPart[];

const eighths = ' ▁▂▃▄▅▆▇█';
const hEighths = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

export const thousands = (n: number) => n.toLocaleString('en-US');

/** A bin edge with about four significant digits (no exponent for everyday magnitudes). */
export function formatEdge(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(2);
  if (Number.isInteger(x)) return thousands(x);
  return String(Number(x.toPrecision(4)));
}

/** A UTC time label fit for the bucket unit. */
export function formatTime(us: number, unit: string): string {
  const iso = new Date(us / 1000).toISOString();
  if (unit === 'second') return iso.slice(11, 19);
  if (unit === 'minute') return iso.slice(11, 16);
  if (unit === 'hour') return `${iso.slice(5, 10)} ${iso.slice(11, 13)}h`;
  return iso.slice(0, 10);
}

/** How many bars a chart of `width` columns gets (the binning asks DuckDB for this many). */
export function chartBins(kind: Chart['kind'], width: number, height: number): number {
  const plot = Math.max(4, width - 12);
  if (kind === 'histogram') return Math.max(1, Math.min(60, Math.floor(plot / 2)));
  if (kind === 'time') return Math.max(1, plot);
  return Math.max(1, height - 2);
}

function place(labels: { at: number; text: string }[], width: number): string {
  const line = Array.from({ length: width }, () => ' ');
  let free = 0;
  for (const l of labels) {
    const at = Math.max(free, Math.min(width - l.text.length, l.at));
    if (at < free || at + l.text.length > width) continue;
    for (let i = 0; i < l.text.length; i++) line[at + i] = l.text[i]!;
    free = at + l.text.length + 1;
  }
  return line.join('');
}

function verticalChart(
  title: string,
  counts: number[],
  edgeLabel: (i: number) => string,
  width: number,
  height: number,
): ChartLine[] {
  const max = Math.max(1, ...counts);
  const yWidth = Math.max(thousands(max).length, 1) + 1;
  const plotW = Math.max(1, width - yWidth - 1);
  const plotH = Math.max(1, height - 3);
  const n = Math.max(1, counts.length);
  const per = Math.max(1, Math.floor(plotW / n));
  const barW = per >= 3 ? per - 1 : per;
  const lines: ChartLine[] = [[{ text: title, role: 'title' }]];
  for (let r = 0; r < plotH; r++) {
    const fromBottom = plotH - 1 - r;
    const yLabel =
      r === 0
        ? thousands(max)
        : fromBottom === 0
          ? '0'
          : r === Math.floor(plotH / 2)
            ? thousands(Math.round(max / 2))
            : '';
    let bars = '';
    for (let i = 0; i < counts.length && bars.length + per <= plotW; i++) {
      const eighthsTall = Math.round((counts[i]! / max) * plotH * 8);
      const level = Math.max(0, Math.min(8, eighthsTall - fromBottom * 8));
      // A bin with rows is never drawn empty: at least the lowest eighth shows.
      const ch = level === 0 && fromBottom === 0 && counts[i]! > 0 ? eighths[1]! : eighths[level]!;
      bars += ch.repeat(barW) + ' '.repeat(per - barW);
    }
    lines.push([
      { text: `${yLabel.padStart(yWidth - 1)} ┤`, role: 'axis' },
      { text: bars.padEnd(plotW), role: 'bar' },
    ]);
  }
  lines.push([{ text: `${' '.repeat(yWidth - 1)} └${'─'.repeat(plotW)}`, role: 'axis' }]);
  const last = counts.length;
  const labelAt = (i: number) => Math.min(i, last) * per;
  lines.push([
    {
      text:
        ' '.repeat(yWidth + 1) +
        place(
          [
            { at: labelAt(0), text: edgeLabel(0) },
            { at: labelAt(Math.floor(last / 2)) - 4, text: edgeLabel(Math.floor(last / 2)) },
            { at: labelAt(last) - edgeLabel(last).length, text: edgeLabel(last) },
          ],
          plotW,
        ),
      role: 'label',
    },
  ]);
  return lines;
}

export function chartLines(chart: Chart, width: number, height: number): ChartLine[] {
  if (chart.kind === 'histogram') {
    if (chart.counts.length === 0)
      return [
        [{ text: `${chart.column}: no numeric values in ${thousands(chart.rows)} rows`, role: 'title' }],
      ];
    const nulls = chart.rows - chart.values;
    const title = `${chart.column}: rows per bin of width ${formatEdge(chart.width)} (${chart.column} units) · ${thousands(chart.values)} values${nulls > 0 ? `, ${thousands(nulls)} NULL or not finite` : ''} · ${formatEdge(chart.lo)} to ${formatEdge(chart.hi)}`;
    return verticalChart(title, chart.counts, (i) => formatEdge(chart.lo + i * chart.width), width, height);
  }
  if (chart.kind === 'time') {
    if (chart.counts.length === 0)
      return [[{ text: `${chart.column}: no times in ${thousands(chart.rows)} rows`, role: 'title' }]];
    const nulls = chart.rows - chart.values;
    const title = `${chart.column}: rows per ${chart.unit} (UTC) · ${thousands(chart.values)} rows${nulls > 0 ? `, ${thousands(nulls)} NULL` : ''} · ${chart.counts.length} buckets · busiest ${thousands(Math.max(...chart.counts))}`;
    return verticalChart(
      title,
      chart.counts,
      (i) =>
        formatTime(
          chart.startUs + i * chart.widthUs,
          chart.unit === 'second' || chart.unit === 'minute' || chart.unit === 'hour' ? chart.unit : 'day',
        ),
      width,
      height,
    );
  }
  const lines: ChartLine[] = [
    [
      {
        text: `${chart.column}: top ${chart.values.length} of ${thousands(chart.distinct)} values · rows per value · ${thousands(chart.rows)} rows`,
        role: 'title',
      },
    ],
  ];
  const max = Math.max(1, ...chart.values.map((v) => v.n));
  const labelW = Math.min(24, Math.max(4, ...chart.values.map((v) => (v.value ?? 'NULL').length)));
  const countW = Math.max(...chart.values.map((v) => thousands(v.n).length)) + 8;
  const barMax = Math.max(1, width - labelW - countW - 3);
  for (const v of chart.values.slice(0, Math.max(0, height - 1))) {
    const label = v.value ?? 'NULL';
    const cut = label.length > labelW ? `${label.slice(0, labelW - 1)}…` : label.padEnd(labelW);
    const e = Math.round((v.n / max) * barMax * 8);
    const bar = '█'.repeat(Math.floor(e / 8)) + hEighths[e % 8]!;
    const pct = ((100 * v.n) / Math.max(1, chart.rows)).toFixed(1);
    lines.push([
      { text: `${cut} `, role: v.value === null ? 'dim' : 'label' },
      { text: (bar || '▏').padEnd(barMax), role: 'bar' },
      { text: ` ${thousands(v.n)} (${pct}%)`, role: 'label' },
    ]);
  }
  return lines;
}
