-- Grain: one row: the dedupe report's counts over feed_candidates (sql/dedupe/07_feed_candidates.sql):
-- candidates listed, groups under the table's rule (= rows the lake keeps), and groups of more than
-- one candidate. Reads: feed_candidates. Makes: nothing.
SELECT
  count(*)                                                 AS candidates,
  count(*) FILTER (WHERE rank = 1)                         AS groups,
  count(*) FILTER (WHERE rank = 1 AND candidates > 1)      AS duplicate_groups
FROM feed_candidates;
