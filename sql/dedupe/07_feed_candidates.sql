-- Grain: feed_candidates has one row per candidate of a trip_updates or alerts table read from raw
-- files (every publication of a prediction; every sighting of an alert version), each file read in
-- its own batch by ingest's own statements so no publication is merged away before this report.
-- Per row: day (the UTC day of {{day_of}}, the table's partition day), the group it belongs to under
-- the table's rule ({{grain}} within the day), rank (1 = the row the rule keeps: {{order}}, the
-- earliest publication), candidates (the group's size) and group_id (the kept row's row_id).
-- Reads: the batches' Parquet files {{files}} (src/feeds). Makes: feed_candidates.
CREATE OR REPLACE TEMP TABLE feed_candidates AS
WITH rows AS (
  SELECT *, row_number() OVER () AS row_id
  FROM read_parquet({{files}}, hive_partitioning = false, union_by_name = true)
)
SELECT
  *,
  utc_date({{day_of}}) AS day,
  row_number() OVER kept_first AS rank,
  count(*) OVER (PARTITION BY utc_date({{day_of}}), {{grain}}) AS candidates,
  first_value(row_id) OVER kept_first AS group_id
FROM rows
WINDOW kept_first AS (
  PARTITION BY utc_date({{day_of}}), {{grain}}
  ORDER BY {{order}}
  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
);
