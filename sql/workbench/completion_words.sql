-- Grain: one row per SQL keyword and per DuckDB function name (plain names only: no operators,
-- no internal __ helpers). Reads: duckdb_keywords(), duckdb_functions(). Makes: completion's words.
SELECT keyword_name AS word, 'keyword' AS kind FROM duckdb_keywords()
UNION
SELECT function_name AS word, 'function' AS kind FROM duckdb_functions()
WHERE regexp_matches(function_name, '^[a-z][a-z0-9_]*$')
ORDER BY kind, word
