-- Grain: one row per non-empty time bucket of {{column}} over the user's whole result: buckets of
-- {{width_us}} microseconds aligned to the Unix epoch (UTC), so an hour bucket starts on the hour.
-- Reads: {{query}} as a subquery. Makes: bucket (index: start = bucket * width_us), n (rows).
SELECT CAST(floor(epoch_us({{column}}) / {{width_us}}) AS BIGINT) AS bucket, count(*) AS n
FROM (
{{query}})
WHERE {{column}} IS NOT NULL
GROUP BY bucket
ORDER BY bucket
