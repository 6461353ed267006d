import type { ResultChunk, ResultStream } from '../db/streamRows.js';

/**
 * The text formats of `rtlake query`, written as rows arrive. `table` is DuckDB's duckbox: names
 * with their types under them, numbers right-aligned, at most maxRows rows (the first and last
 * halves, with a line counting the rest), fitted to the terminal's width; it keeps only the rows it
 * will print. markdown, tsv and line stream every row.
 */

export type Write = (text: string) => Promise<void>;

const numericType =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

const typeNames: Record<string, string> = {
  TINYINT: 'int8',
  SMALLINT: 'int16',
  INTEGER: 'int32',
  BIGINT: 'int64',
  HUGEINT: 'int128',
  UTINYINT: 'uint8',
  USMALLINT: 'uint16',
  UINTEGER: 'uint32',
  UBIGINT: 'uint64',
  UHUGEINT: 'uint128',
};

/** How duckbox names a type: int64 for BIGINT, the rest in lower case. */
export function boxTypeName(type: string): string {
  return typeNames[type] ?? type.toLowerCase();
}

const n = (x: number) => x.toLocaleString('en-US');

/** Characters a terminal shows for a string (code points; wide characters are rare in this data). */
const width = (s: string) => [...s].length;

function clip(text: string, max: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

function pad(text: string, w: number, right: boolean): string {
  const gap = ' '.repeat(Math.max(0, w - width(text)));
  return right ? gap + text : text + gap;
}

export interface TableOptions {
  /** 0: every row (all held in memory). */
  maxRows: number;
  /** The terminal's width; undefined when stdout is not a terminal (no fitting). */
  terminalWidth?: number;
  /** Longest cell shown; longer values end in "…". */
  maxCellWidth?: number;
}

/** Reads the stream keeping only the rows to print: the first ceil(max/2) and the last floor(max/2). */
async function collectShown(
  chunks: AsyncIterable<ResultChunk>,
  maxRows: number,
): Promise<{ head: (string | null)[][]; tail: (string | null)[][]; total: number }> {
  const head: (string | null)[][] = [];
  const tailWanted = Math.floor(maxRows / 2);
  const recent: ResultChunk[] = [];
  let recentRows = 0;
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.rowCount;
    if (maxRows === 0 || head.length < maxRows) {
      const room = maxRows === 0 ? Infinity : maxRows - head.length;
      const rows = chunk.displayRows();
      head.push(...rows.slice(0, room));
    }
    if (maxRows > 0) {
      recent.push(chunk);
      recentRows += chunk.rowCount;
      while (recent.length > 1 && recentRows - recent[0]!.rowCount >= tailWanted) {
        recentRows -= recent.shift()!.rowCount;
      }
    }
  }
  if (maxRows === 0 || total <= maxRows) return { head, tail: [], total };
  const tailRows = recent.flatMap((c) => c.displayRows()).slice(-tailWanted || recentRows);
  return { head: head.slice(0, maxRows - tailWanted), tail: tailWanted ? tailRows : [], total };
}

/** Which columns fit the width: all, or the first and last ones around a "…" column. */
function fitColumns(widths: number[], terminalWidth: number | undefined): { shown: number[]; gapAt: number } {
  const all = widths.map((_, i) => i);
  const total = (cols: number[], gap: boolean) =>
    cols.reduce((s, i) => s + widths[i]! + 3, 1) + (gap ? 4 : 0);
  if (terminalWidth === undefined || total(all, false) <= terminalWidth) return { shown: all, gapAt: -1 };
  let left = 0;
  let right = widths.length - 1;
  const shown: number[] = [];
  const tail: number[] = [];
  // Alternate from both ends, as DuckDB keeps the first and the last columns.
  for (let turn = 0; left <= right; turn++) {
    const pick = turn % 2 === 0 ? left : right;
    const candidate = [
      ...shown,
      ...(turn % 2 === 0 ? [pick] : []),
      ...(turn % 2 === 1 ? [pick] : []),
      ...tail,
    ];
    if (total(candidate, true) > terminalWidth) break;
    if (turn % 2 === 0) {
      shown.push(pick);
      left++;
    } else {
      tail.unshift(pick);
      right--;
    }
  }
  if (shown.length === 0) shown.push(0);
  return { shown: [...shown, ...tail], gapAt: shown.length };
}

export async function writeTable(result: ResultStream, write: Write, options: TableOptions): Promise<number> {
  const maxCell = options.maxCellWidth ?? 40;
  const { head, tail, total } = await collectShown(result.chunks, options.maxRows);
  const names = result.columns;
  const types = result.types.map(boxTypeName);
  const right = result.types.map((t) => numericType.test(t));
  const cell = (v: string | null) => clip(v ?? 'NULL', maxCell);
  const rows = [...head, ...tail].map((r) => r.map(cell));
  const widths = names.map((name, i) =>
    Math.max(
      width(clip(name, maxCell)),
      width(clip(types[i]!, maxCell)),
      ...rows.map((r) => width(r[i]!)),
      1,
    ),
  );
  const { shown, gapAt } = fitColumns(widths, options.terminalWidth);
  const hiddenColumns = names.length - shown.length;
  const columnsOf = <T>(values: T[], gap: T): T[] => {
    const picked: T[] = shown.map((i) => values[i] as T);
    if (gapAt >= 0) picked.splice(gapAt, 0, gap);
    return picked;
  };
  const w = columnsOf(widths, 1);
  const alignRight = columnsOf(right, false);
  const counted =
    total > rows.length
      ? `${n(total)} rows (${n(rows.length)} shown, ${n(total - rows.length)} not shown)`
      : `${n(total)} row${total === 1 ? '' : 's'}`;
  const cols = hiddenColumns > 0 ? `${n(names.length)} columns (${n(shown.length)} shown)` : '';
  const footer = [counted, cols].filter(Boolean).join(', ');
  // A narrow table is widened (at its last column) so the footer fits inside the box.
  const inner = () => w.reduce((s, x) => s + x + 3, -1);
  w[w.length - 1]! += Math.max(0, width(footer) + 2 - inner());
  const line = (l: string, mid: string, r: string) =>
    `${l}${w.map((x) => '─'.repeat(x + 2)).join(mid)}${r}\n`;
  const row = (cells: string[]) =>
    `│${cells.map((c, i) => ` ${pad(c, w[i]!, alignRight[i]!)} `).join('│')}│\n`;
  let out = line('┌', '┬', '┐');
  out += row(
    columnsOf(
      names.map((x) => clip(x, maxCell)),
      '…',
    ),
  );
  out += row(
    columnsOf(
      types.map((x) => clip(x, maxCell)),
      '',
    ),
  );
  out += line('├', '┼', '┤');
  await write(out);
  const body = async (list: string[][]) => {
    let text = '';
    for (const r of list) text += row(columnsOf(r, '…'));
    if (text) await write(text);
  };
  await body(rows.slice(0, head.length));
  if (total > rows.length) {
    await body(
      Array.from({ length: 3 }, () =>
        columnsOf(
          names.map(() => '·'),
          '·',
        ),
      ),
    );
    await body(rows.slice(head.length));
  }
  await write(`${line('├', '┴', '┤')}│ ${pad(footer, inner() - 2, false)} │\n└${'─'.repeat(inner())}┘\n`);
  return total;
}

export async function writeMarkdown(result: ResultStream, write: Write): Promise<number> {
  const esc = (v: string | null) => (v ?? 'NULL').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
  const right = result.types.map((t) => numericType.test(t));
  await write(
    `| ${result.columns.map(esc).join(' | ')} |\n|${right.map((r) => (r ? '---:' : '---')).join('|')}|\n`,
  );
  let count = 0;
  for await (const chunk of result.chunks) {
    const rows = chunk.displayRows();
    await write(rows.map((r) => `| ${r.map(esc).join(' | ')} |\n`).join(''));
    count += rows.length;
  }
  return count;
}

export function tsvCell(v: string | null): string {
  if (v === null) return '';
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export async function writeTsv(result: ResultStream, write: Write): Promise<number> {
  await write(`${result.columns.map(tsvCell).join('\t')}\n`);
  let count = 0;
  for await (const chunk of result.chunks) {
    const rows = chunk.displayRows();
    await write(rows.map((r) => `${r.map(tsvCell).join('\t')}\n`).join(''));
    count += rows.length;
  }
  return count;
}

/** DuckDB's `.mode line`: one `name = value` per line, names right-aligned, a blank line between rows. */
export async function writeLines(result: ResultStream, write: Write): Promise<number> {
  const w = Math.max(0, ...result.columns.map(width));
  let count = 0;
  for await (const chunk of result.chunks) {
    let text = '';
    for (const r of chunk.displayRows()) {
      text += `${count > 0 ? '\n' : ''}${r.map((v, i) => `${pad(result.columns[i]!, w, true)} = ${v ?? 'NULL'}\n`).join('')}`;
      count++;
    }
    if (text) await write(text);
  }
  return count;
}
