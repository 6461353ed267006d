-- Grain: one row: the extent of numeric column {{column}} over the user's whole result.
-- Reads: {{query}} as a subquery. Makes: rows, finite values, min and max (as DOUBLE): a histogram's range.
SELECT count(*) AS rows,
       count(*) FILTER (WHERE isfinite(CAST({{column}} AS DOUBLE))) AS "values",
       min(CAST({{column}} AS DOUBLE)) FILTER (WHERE isfinite(CAST({{column}} AS DOUBLE))) AS lo,
       max(CAST({{column}} AS DOUBLE)) FILTER (WHERE isfinite(CAST({{column}} AS DOUBLE))) AS hi
FROM (
{{query}})
