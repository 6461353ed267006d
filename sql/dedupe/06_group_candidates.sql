-- Grain: one row per candidate (flattened ping) of one (vehicle_id, timestamp) group, in the order
-- the current rule ranks them (rank 1 first); kept says whether the rule keeps it.
-- Reads: pings, vehicle_positions, {{vehicle}}, {{ts}} (epoch microseconds). {{rule_order}}: the
-- dedupe rule's ORDER BY (src/pipeline/dedupeRule.ts).
SELECT
  p.*,
  EXISTS (
    SELECT 1 FROM vehicle_positions AS k
    WHERE k.source_key = p.source_key AND k.entity_index = p.entity_index
  ) AS kept
FROM pings AS p
WHERE p.vehicle_id = {{vehicle}} AND epoch_us(p."timestamp") = {{ts}}
{{rule_order}};
