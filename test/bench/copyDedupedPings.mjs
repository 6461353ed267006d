// The dedupe + partitioned write shared by the baseline and the naive benchmark, so that the two
// differ only in how the pings are read. Same rule and partitions as the real tool
// (sql/20_dedupe.sql, sql/01_macros.sql), written as one plain QUALIFY.
import { quotedString } from '@duckdb/node-api';

/**
 * A COPY statement that keeps one row per (vehicle_id, timestamp) of `pingsQuery` (a SELECT with
 * the 17 seed columns, source_key and entity_index) and writes it to `outDir` as Parquet
 * partitioned by the UTC date of the ping.
 */
export function copyDedupedPings(pingsQuery, outDir) {
  return `
COPY (
  WITH pings AS (
${pingsQuery}
  ),
  deduped AS (
    -- Grain: one row per (vehicle_id, timestamp). A vehicle's ping is re-published unchanged in
    -- every snapshot until it reports again; when copies differ, the newest feed wins, then the
    -- greater key, then the later entity in the file. A ping without a vehicle or a time has no
    -- group and no day, so it is left out.
    SELECT *
    FROM pings
    WHERE vehicle_id IS NOT NULL AND "timestamp" IS NOT NULL
    QUALIFY row_number() OVER (
      PARTITION BY vehicle_id, "timestamp"
      ORDER BY feed_timestamp DESC NULLS LAST, source_key DESC, entity_index DESC
    ) = 1
  ),
  dated AS (
    -- The UTC day by arithmetic on the epoch: year()/month()/day() straight on a TIMESTAMPTZ go
    -- through ICU's calendar, several times slower on millions of rows.
    SELECT *, DATE '1970-01-01' + CAST(floor(epoch_us("timestamp") / 86400000000) AS INTEGER) AS utc_day
    FROM deduped
  )
  SELECT
    * EXCLUDE (utc_day),
    year(utc_day)  AS year,
    month(utc_day) AS month,
    day(utc_day)   AS day
  FROM dated
) TO ${quotedString(outDir)} (FORMAT parquet, PARTITION_BY (year, month, day))`;
}
