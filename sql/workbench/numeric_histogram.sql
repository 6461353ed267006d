-- Grain: one row per non-empty histogram bin of {{column}} over the user's whole result: {{bins}} bins
-- of equal width {{width}} from {{lo}}; bin i holds lo + i*width <= x < lo + (i+1)*width, the last
-- bin also holds the maximum. Reads: {{query}} as a subquery. Makes: bin (0-based), n (rows).
SELECT CAST(least({{bins}} - 1, floor((CAST({{column}} AS DOUBLE) - {{lo}}) / {{width}})) AS INTEGER) AS bin,
       count(*) AS n
FROM (
{{query}})
WHERE isfinite(CAST({{column}} AS DOUBLE))
GROUP BY bin
ORDER BY bin
