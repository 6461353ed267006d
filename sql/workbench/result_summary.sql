-- Grain: one row per column of the user's query (DuckDB's SUMMARIZE: type, min, max, distinct, nulls…).
-- Reads: {{query}} as a subquery. Makes: the column profile the grid shows for `p`.
SUMMARIZE (
{{query}})
