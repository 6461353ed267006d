-- Grain: one row per example group of feed_candidates: the kept row of each group with more than one
-- candidate, largest groups first, then by day and lineage so the choice is deterministic.
-- Reads: feed_candidates, {{limit}}. Makes: nothing.
SELECT *
FROM feed_candidates
WHERE rank = 1 AND candidates > 1
ORDER BY candidates DESC, day, source_key, entity_index
LIMIT {{limit}};
