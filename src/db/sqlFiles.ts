import type { SqlFragment } from './sqlText.js';

/**
 * Every sql/ file and the slots it takes: the typed contract between the code and the SQL. A call
 * that misses a slot, names one the file lacks, or names a file that is not here does not compile;
 * test/unit/sqlFiles.test.ts checks this table against the files themselves. Numbered files run in
 * their number's order within their folder.
 */
export const sqlFiles = {
  session: [],
  // ingest: one batch of archive files at a time, then the run's winners
  'ingest/00_feed_macros': [],
  'ingest/01_pings': [],
  'ingest/02_batch_keys': [],
  'ingest/02_batch_rows': ['day', 'empty_file', 'max_object_size'],
  'ingest/03_batch_kept': ['rule_window'],
  'ingest/03_batch_kept_every_row': [],
  'ingest/04_batch_out': [],
  'ingest/05_batch_winners_file': ['kept_file'],
  'ingest/05_last_batch_undo': ['keys'],
  'ingest/05_last_batch_winners': [],
  'ingest/05_pings_append': [],
  'ingest/06_quiet_file_facts': ['files', 'max_object_size'],
  'ingest/07_run_pings': ['files'],
  'ingest/08_distinct_pings': ['grain_columns', 'input'],
  // ingest, trip_updates and alerts (src/feeds): each batch's rows of the other two tables
  'ingest/10_load_keys': ['keys'],
  'ingest/11_trip_update_rows': ['day', 'files', 'max_object_size'],
  'ingest/12_trip_update_batch_kept': ['grain', 'order'],
  'ingest/13_trip_update_winners_file': ['kept_file'],
  'ingest/14_alert_rows': ['day', 'files', 'max_object_size'],
  'ingest/15_alert_batch_groups': ['first_sighting', 'grain'],
  'ingest/16_alert_versions_file': ['kept_file'],
  // lake: merge the run into the day partitions it touches, write the changed ones
  'lake/01_touched_partitions': [],
  'lake/02_partition_check': ['file'],
  'lake/03_lake_existing': ['files'],
  'lake/04_lake_kept': ['rule_window'],
  'lake/05_partition_changes': [],
  'lake/06_rows_already_in_lake': [],
  'lake/07_partition_files': ['staging'],
  'lake/vehicle_positions': ['files', 'view'],
  // lake, trip_updates and alerts (their LakeTable descriptors in src/feeds/feedTables.ts): the same merge and write stages as vehicle_positions, each table's files in the same slots
  'lake/08_feed_tables': [],
  'lake/09_feed_table_files': ['files', 'like', 'view'],
  'lake/10_trip_updates_touched': [],
  'lake/11_trip_updates_kept': ['grain', 'order'],
  'lake/12_trip_updates_partition_changes': [],
  'lake/13_trip_updates_partition_files': ['staging'],
  'lake/14_alerts_touched': [],
  'lake/15_alerts_kept': ['first_sighting', 'grain'],
  'lake/16_alerts_partition_changes': [],
  'lake/17_alerts_partition_files': ['staging'],
  // dedupe: raw sources deduplicated as views, and the dedupe report over them
  'dedupe/01_vehicle_positions': ['input', 'output', 'relation', 'rule_window'],
  'dedupe/02_duplicate_groups': ['differing_columns'],
  'dedupe/03_report_counts': ['exact_grain_columns', 'vehicle'],
  'dedupe/04_conflicts_by_column': ['vehicle'],
  'dedupe/05_example_groups': ['limit', 'vehicle'],
  'dedupe/06_group_candidates': ['rule_order', 'ts', 'vehicle'],
  // dedupe --feed trip_updates|alerts: every candidate read from raw files, ranked by the table's rule
  'dedupe/07_feed_candidates': ['day_of', 'files', 'grain', 'order'],
  'dedupe/08_feed_report_counts': [],
  'dedupe/09_feed_example_groups': ['limit'],
  'dedupe/10_feed_group_candidates': ['group_id'],
  // export: days of the lake to one file, --where in a closed session
  'export/01_where_probe': ['probe'],
  'export/02_sandbox': ['allowed'],
  'export/03_columns': ['table'],
  'export/04_export_file': ['columns', 'file', 'format', 'order', 'table', 'where'],
  // catalog: the lake described to Athena/Glue, or as a DuckDB file
  'catalog/lake_columns': ['files'],
  'catalog/duckdb_catalog_counts': ['view'],
  // workbench: the terminal workbench's queries (src/db/workbenchQueries.ts)
  'workbench/catalog_columns': [],
  'workbench/column_bounds': ['first', 'query', 'second'],
  'workbench/completion_words': [],
  'workbench/duplicate_group_list': [],
  'workbench/filtered_by_box': ['east', 'latitude', 'longitude', 'north', 'query', 'south', 'west'],
  'workbench/group_candidates': ['rule_order', 'timestamp_us', 'vehicle_id'],
  'workbench/map_dots': ['dlat', 'dlon', 'east', 'latitude', 'longitude', 'north', 'query', 'south', 'west'],
  'workbench/map_dots_by_colour': [
    'colour',
    'dlat',
    'dlon',
    'east',
    'latitude',
    'longitude',
    'north',
    'query',
    'south',
    'west',
  ],
  'workbench/map_extent': ['latitude', 'longitude', 'query'],
  'workbench/numeric_extent': ['column', 'query'],
  'workbench/numeric_histogram': ['bins', 'column', 'lo', 'query', 'width'],
  'workbench/result_summary': ['query'],
  'workbench/sorted_result': ['column', 'direction', 'query'],
  'workbench/time_buckets': ['column', 'query', 'width_us'],
  'workbench/time_extent': ['column', 'query'],
  'workbench/top_values': ['column', 'limit', 'query'],
  'workbench/value_frequencies': ['column', 'query'],
} as const satisfies Record<string, readonly string[]>;

export type SqlFile = keyof typeof sqlFiles;
/** The slots of one file, each a SqlFragment. */
export type SlotsOf<F extends SqlFile> = Record<(typeof sqlFiles)[F][number], SqlFragment>;
/** The slot argument: required when the file has slots, absent when it has none. */
export type SlotArgs<F extends SqlFile> = (typeof sqlFiles)[F] extends readonly [] ? [] : [SlotsOf<F>];
/** The files whose slots are exactly S: a descriptor can name any of them for the same call. */
export type SqlFileWithSlots<S extends string> = {
  [F in SqlFile]: [(typeof sqlFiles)[F][number]] extends [S]
    ? [S] extends [(typeof sqlFiles)[F][number]]
      ? F
      : never
    : never;
}[SqlFile];

/** A sql/workbench/ file's name within its folder. */
export type WorkbenchSqlName = SqlFile extends infer F
  ? F extends `workbench/${infer N}`
    ? N
    : never
  : never;
