-- Grain: one row per distinct value of {{column}} in the user's whole result, most frequent first.
-- Reads: {{query}} as a subquery. Makes: value, n (rows) and pct (share of all rows, 2 decimals).
SELECT {{column}}, count(*) AS n, round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS pct
FROM (
{{query}}) GROUP BY {{column}} ORDER BY n DESC, {{column}} NULLS LAST
