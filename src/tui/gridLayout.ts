import type { Cell } from '../db/queryPage.js';

/** Widest a column gets before its cells are cut (the detail view shows them whole). */
export const maxColumnWidth = 32;
/** SQL NULL in the grid: a sign no string can be mistaken for (the string 'NULL' shows as NULL). */
export const nullText = '∅';

/** One line of a cell: control characters and newlines made visible, so a row stays one line. */
export function cellLine(c: Cell): string {
  if (c === null) return nullText;
  return c.replace(/\r?\n/g, '↵').replace(/[\x00-\x1f\x7f]/g, '·');
}

const numericType =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;
/** Counts and other 64-bit integers get thousands separators (years and small codes do not). */
const largeIntegerType = /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT)$/;

export function isNumericType(type: string | undefined): boolean {
  return type !== undefined && numericType.test(type);
}

/** A cell as the grid shows it: cellLine, with thousands separators in large integers. */
export function displayCell(c: Cell, type: string | undefined): string {
  if (c !== null && type !== undefined && largeIntegerType.test(type) && /^-?\d{4,}$/.test(c))
    return c.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return cellLine(c);
}

/** A DuckDB type in the header's second line: lower case, parameters kept (decimal(18,3)). */
export function typeLabel(type: string | undefined): string {
  return (type ?? '').toLowerCase().replace('timestamp with time zone', 'timestamptz');
}

export function fit(text: string, width: number, alignRight = false): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
  return alignRight ? text.padStart(width) : text.padEnd(width);
}

/** Widths from the header and the first rows (stable while more rows are fetched). */
export function columnWidths(
  columns: string[],
  rows: Cell[][],
  types: string[] = [],
  sample = 200,
): number[] {
  return columns.map((name, i) => {
    let w = Math.max(3, name.length + 2, Math.min(12, typeLabel(types[i]).length)); // room for a sort arrow
    for (let r = 0; r < Math.min(rows.length, sample); r++)
      w = Math.max(w, displayCell(rows[r]![i] ?? null, types[i]).length);
    return Math.min(w, maxColumnWidth);
  });
}

/** The first column stays put when a table is wider than the screen (there are at least two). */
export function frozenCount(widths: number[]): number {
  return widths.length > 1 ? 1 : 0;
}

/** Column indices shown with the scrolling part starting at `left`; the last may be cut. */
export function visibleColumns(widths: number[], left: number, width: number): number[] {
  const out: number[] = [];
  let used = 0;
  const frozen = frozenCount(widths);
  for (let i = 0; i < frozen; i++) {
    out.push(i);
    used += widths[i]! + 1;
  }
  for (let i = Math.max(left, frozen); i < widths.length; i++) {
    if (used >= width && out.length > frozen) break;
    out.push(i);
    used += widths[i]! + 1;
  }
  return out;
}

/** The `left` that keeps column `col` fully visible, moving as little as possible. */
export function scrollLeftFor(widths: number[], col: number, left: number, width: number): number {
  const frozen = frozenCount(widths);
  let l = Math.max(frozen, Math.min(left, widths.length - 1));
  if (col < frozen) return l;
  if (col < l) return col;
  const fits = (start: number) => {
    let used = 0;
    for (let i = 0; i < frozen; i++) used += widths[i]! + 1;
    for (let i = start; i <= col; i++) used += widths[i]! + 1;
    return used <= width + 1;
  };
  while (l < col && !fits(l)) l++;
  return l;
}

/** The first row shown so that `row` is visible in `height` rows. */
export function scrollTopFor(row: number, top: number, height: number): number {
  if (row < top) return row;
  if (row >= top + height) return row - height + 1;
  return top;
}
