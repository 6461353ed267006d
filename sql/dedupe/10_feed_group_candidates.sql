-- Grain: one row per candidate of one group of feed_candidates ({{group_id}}), in the order the
-- table's rule ranks them: rank 1, the earliest publication, is the one kept.
-- Reads: feed_candidates. Makes: nothing.
SELECT *
FROM feed_candidates
WHERE group_id = {{group_id}}
ORDER BY rank;
