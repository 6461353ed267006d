-- Grain: one row per value of {{column}} among the {{limit}} most frequent in the user's whole result
-- (NULL is a value here). Reads: {{query}} as a subquery. Makes: value (as text), is_null, n (rows),
-- distinct_values and total_rows (the same on every row: what the bars leave out).
SELECT CAST({{column}} AS VARCHAR) AS value,
       {{column}} IS NULL AS is_null,
       count(*) AS n,
       count(*) OVER () AS distinct_values,
       sum(count(*)) OVER () AS total_rows
FROM (
{{query}})
GROUP BY {{column}}
ORDER BY n DESC, value NULLS LAST
LIMIT {{limit}}
