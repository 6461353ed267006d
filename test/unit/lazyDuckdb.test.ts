import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** Runs an ES module snippet in a fresh Node; returns whether a module whose path has `name` got loaded. */
function loadsModule(name: string, body: string): boolean {
  const script = `
    import { createRequire } from 'node:module';
    ${body}
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes(${JSON.stringify(name)}));
    process.stdout.write(String(loaded));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dist });
  return out.toString() === 'true';
}

const loadsDuckdb = (body: string) => loadsModule('@duckdb', body);

// Loading DuckDB maps its native library (issue 15): every CLI module imports without it, so
// --help and usage errors never pay for it, and it is loaded once something opens a database.
describe('DuckDB is loaded on first use', () => {
  it('importing every command and the db modules does not load it', () => {
    expect(
      loadsDuckdb(`
        await import('./cli/program.js');
        await import('./db/openDatabase.js');
        await import('./db/streamRows.js');
        const { sqlString, sqlIdent } = await import('./db/sqlText.js');
        if (sqlString("it's").text !== "'it''s'" || sqlIdent('a"b').text !== '"a""b"') throw new Error('quoting');
      `),
    ).toBe(false);
  });

  it('opening a database loads it', () => {
    expect(
      loadsDuckdb(`
        const { openDatabase } = await import('./db/openDatabase.js');
        (await openDatabase()).close();
      `),
    ).toBe(true);
  });
});

// protobufjs and the proto take ~65 ms to load: only the decoder threads need them, and only once
// a protobuf turns up.
describe('protobufjs is loaded only where a protobuf is decoded', () => {
  const loaded = (body: string) => loadsModule('protobufjs', body);

  it('the ingest modules do not load it on the main thread', () => {
    expect(
      loaded(`
        await import('./cli/program.js');
        await import('./pipeline/ingest/loadArchive.js');
        await import('./feeds/decoderPool.js');
      `),
    ).toBe(false);
  });

  it('decoding on the main thread (no decoder threads) loads it', () => {
    expect(
      loaded(`
        const { DecoderPool } = await import('./feeds/decoderPool.js');
        const { mkdtempSync, writeFileSync } = await import('node:fs');
        const { join } = await import('node:path');
        const { tmpdir } = await import('node:os');
        const dir = mkdtempSync(join(tmpdir(), 'rtlake-lazy-pb-'));
        writeFileSync(join(dir, 'x.pb'), Buffer.from([0x0a, 0x00]));
        await new DecoderPool(0).decode(join(dir, 'x.pb'), dir).catch(() => {});
      `),
    ).toBe(true);
  });
});
