import { appendFileSync, chmodSync, mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The workbench's lasting query history: one JSON object a line ({at, workspace, sql}) appended to
 * <state home>/rtlake/history.jsonl, private to the user (folder 0700, file 0600). Read at start;
 * a line that does not parse (a crash mid-write) is passed over.
 */
export interface HistoryEntry {
  /** ISO time the query ran. */
  at: string;
  /** What was open: the lake and/or sources. */
  workspace: string;
  sql: string;
}

/** The history file under a state home ($XDG_STATE_HOME, default ~/.local/state). */
export function historyFile(stateHome: string): string {
  return join(stateHome, 'rtlake', 'history.jsonl');
}

/** The most recent `limit` entries, oldest first. A missing file is an empty history. */
export function readHistory(file: string, limit = 1000): HistoryEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const e = JSON.parse(line) as Partial<HistoryEntry>;
      if (typeof e.sql === 'string')
        out.push({ at: String(e.at ?? ''), workspace: String(e.workspace ?? ''), sql: e.sql });
    } catch {
      // a torn last line: skip it
    }
  }
  return out.slice(-limit);
}

/** Appends one entry, making the folder (0700) and file (0600) private if they are new. */
export function appendHistory(file: string, entry: HistoryEntry): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}
