-- Grain: one row: the extent of time column {{column}} (TIMESTAMP, TIMESTAMPTZ or DATE) over the
-- user's whole result, as epoch microseconds (UTC). Reads: {{query}}. Makes: rows, values, lo_us, hi_us.
-- Plain aggregates of the column itself, so DuckDB can answer them from Parquet statistics.
SELECT count(*) AS rows,
       count({{column}}) AS "values",
       CAST(epoch_us(min({{column}})) AS VARCHAR) AS lo_us,
       CAST(epoch_us(max({{column}})) AS VARCHAR) AS hi_us
FROM (
{{query}})
