import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { duckdb } from './duckdb.js';
import { runSqlFile } from './runSqlFile.js';

export interface DatabaseOptions {
  /** A database file; omitted means in-memory. */
  path?: string;
  /** DuckDB memory_limit, e.g. '1GB'. Spills to tempDirectory beyond it. */
  memoryLimit?: string;
  /** Where DuckDB may spill. */
  tempDirectory?: string;
  threads?: number;
}

export interface Database {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

/**
 * Opens DuckDB with the settings every rtlake command relies on: UTC session time zone (so
 * year/month/day of a TIMESTAMPTZ are UTC dates) and no extension autoloading from the network.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const config: Record<string, string> = {
    autoinstall_known_extensions: 'false',
  };
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.threads) config.threads = String(options.threads);
  if (options.tempDirectory) {
    mkdirSync(options.tempDirectory, { recursive: true, mode: 0o700 });
    config.temp_directory = options.tempDirectory;
  }
  const instance = await duckdb().DuckDBInstance.create(options.path ?? ':memory:', config);
  const connection = await instance.connect();
  await runSqlFile(connection, 'session');
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
