-- Grain: one row per candidate (raw ping) of one duplicate group: vehicle {{vehicle_id}} at the
-- timestamp of epoch microseconds {{timestamp_us}}. Reads: pings, vehicle_positions (the rule's
-- choice). Makes: kept (the rule kept this row), then the ping's columns; kept first, then in the
-- rule's own order ({{rule_order}}): the row it would have kept next comes next.
SELECT (p.source_key, p.entity_index) IN (
    SELECT (k.source_key, k.entity_index) FROM vehicle_positions AS k
    WHERE k.vehicle_id = {{vehicle_id}} AND epoch_us(k."timestamp") = {{timestamp_us}}
  ) AS kept, p.*
FROM pings AS p
WHERE p.vehicle_id = {{vehicle_id}} AND epoch_us(p."timestamp") = {{timestamp_us}}
ORDER BY kept DESC, row_number() OVER ({{rule_order}})
