import { UsageError } from '../errors.js';
import {
  makeGlueClient,
  upsertGlueTable,
  type GlueSettings,
  type GlueUpsertResult,
} from '../s3/glueCatalog.js';
import { checkAthenaName } from './catalogAthena.js';
import { lakeTableInfo } from './lakeTables.js';
import { describeLakeTable, type LakeTable, type LakeTableOptions } from './catalogTable.js';

export interface GlueOptions extends LakeTableOptions {
  database: string;
  table: string;
  glue: GlueSettings;
}

export interface GlueSummary extends Omit<LakeTable, 'location_is_placeholder'> {
  database: string;
  table: string;
  glue_endpoint: string | null;
  database_status: GlueUpsertResult['database'];
  status: GlueUpsertResult['table'];
  changes: string[];
}

/**
 * Creates or updates the lake's table in the Glue Data Catalog: the same columns, partition keys
 * and projection properties as `catalog athena` prints. Running it again with nothing changed in
 * the lake's schema is a no-op (status "unchanged").
 */
export async function catalogGlue(options: GlueOptions): Promise<GlueSummary> {
  const database = checkAthenaName(options.database, '--database');
  const table = checkAthenaName(options.table, '--table');
  if (options.lake.s3Url('') === null && !options.location) {
    throw new UsageError(
      `--lake ${options.lake.uri} is a local folder, and Glue tables point at S3. Upload it (aws s3 sync ${options.lake.uri} s3://bucket/prefix) ` +
        'and pass --lake s3://bucket/prefix, or keep --lake and add --location s3://bucket/prefix',
    );
  }
  const { location_is_placeholder: _placeholder, ...described } = await describeLakeTable(options);
  options.reporter.stage('writing the Glue table');
  const client = makeGlueClient(options.glue);
  try {
    const result = await upsertGlueTable(
      client,
      {
        database,
        table,
        description: lakeTableInfo[described.lake_table].glueDescription(described.lake),
        location: described.location,
        columns: described.columns.map((c) => ({ name: c.name, type: c.type })),
        partitionKeys: described.partition_keys,
        parameters: described.parameters,
      },
      options.glue.endpoint,
    );
    return {
      database,
      table,
      ...described,
      glue_endpoint: options.glue.endpoint ?? null,
      database_status: result.database,
      status: result.table,
      changes: result.changes,
    };
  } finally {
    client.destroy();
  }
}
