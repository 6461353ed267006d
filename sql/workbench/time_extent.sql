-- Grain: one row: the extent of time column {{column}} (TIMESTAMP, TIMESTAMPTZ or DATE) over the
-- user's whole result, as epoch microseconds (UTC). Reads: {{query}}. Makes: rows, values, lo_us, hi_us.
SELECT count(*) AS rows,
       count({{column}}) AS "values",
       CAST(min(epoch_us({{column}})) AS VARCHAR) AS lo_us,
       CAST(max(epoch_us({{column}})) AS VARCHAR) AS hi_us
FROM (
{{query}})
