import { createRequire } from 'node:module';

/**
 * DuckDB's Node API, loaded on first use. Loading it maps DuckDB's native library (~0.1 CPU-s),
 * which `rtlake --version`, `--help` and usage errors never need: every module of the CLI can be
 * imported without it. Only src/db calls this; everything else imports DuckDB's types only.
 */
const require = createRequire(import.meta.url);

type DuckDBApi = typeof import('@duckdb/node-api');

let api: DuckDBApi | undefined;

export function duckdb(): DuckDBApi {
  return (api ??= require('@duckdb/node-api') as DuckDBApi);
}
