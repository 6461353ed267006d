-- Grain: one row: the parse tree (JSON) of {{probe}}, a SELECT over the export view whose WHERE is
-- the user's --where text. Reads: nothing (parsing only, no binding). Makes: nothing; the caller
-- checks that the text parsed as one expression and changed nothing else in the statement.
SELECT json_serialize_sql({{probe}}) AS parsed;
