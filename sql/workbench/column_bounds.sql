-- Grain: one row: rows, non-null values, min and max of two numeric columns {{first}} and {{second}}
-- over the user's whole result. Reads: {{query}}. Makes: rows, first_values, first_lo, first_hi,
-- second_values, second_lo, second_hi. Plain aggregates of the columns themselves, so DuckDB can
-- answer them from Parquet statistics without reading the rows: the fast path of the chart's and the
-- map's extent (sql/workbench/numeric_extent.sql and map_extent.sql are the exact ones, used when
-- these bounds show NULLs, NaN, infinities or positions off the globe).
SELECT count(*) AS rows,
       count({{first}}) AS first_values,
       CAST(min({{first}}) AS DOUBLE) AS first_lo,
       CAST(max({{first}}) AS DOUBLE) AS first_hi,
       count({{second}}) AS second_values,
       CAST(min({{second}}) AS DOUBLE) AS second_lo,
       CAST(max({{second}}) AS DOUBLE) AS second_hi
FROM (
{{query}})
