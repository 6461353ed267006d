-- Grain: the rows of the user's query, in the order of one of its columns (the grid's sort key).
-- Reads: {{query}} as a subquery. Makes: the re-sorted result; NULLs last in either direction.
SELECT * FROM (
{{query}}) ORDER BY {{column}} {{direction}} NULLS LAST
