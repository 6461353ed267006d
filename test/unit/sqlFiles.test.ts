import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlDir } from '../../src/db/runSqlFile.js';
import { sqlFiles } from '../../src/db/sqlFiles.js';

/** The slots a file really uses: {{name}} outside whole-line comments. */
function slotsIn(text: string): string[] {
  const code = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n');
  return [...new Set([...code.matchAll(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi)].map((m) => m[1]!))].sort();
}

const files = readdirSync(sqlDir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.sql'))
  .map((e) =>
    relative(sqlDir, join(e.parentPath, e.name))
      .split(sep)
      .join('/')
      .replace(/\.sql$/, ''),
  )
  // Checks are run by the tests (test/helpers/lakeChecks.ts), not by the program.
  .filter((f) => !f.startsWith('checks/'))
  .sort();

describe('sql/ and its typed table (src/db/sqlFiles.ts)', () => {
  it('lists every file, and no file that does not exist', () => {
    expect(Object.keys(sqlFiles).sort()).toEqual(files);
  });
  it('gives each file exactly the slots it uses', () => {
    for (const f of files) {
      const declared = [...(sqlFiles[f as keyof typeof sqlFiles] as readonly string[])].sort();
      expect([f, declared]).toEqual([f, slotsIn(readFileSync(join(sqlDir, `${f}.sql`), 'utf8'))]);
    }
  });
  it('starts every file with a header saying its grain', () => {
    for (const f of files)
      expect([f, readFileSync(join(sqlDir, `${f}.sql`), 'utf8').startsWith('-- ')]).toEqual([f, true]);
  });
});
