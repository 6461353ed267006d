-- Grain: the rows of the user's query whose position lies in the box selected on the map.
-- Reads: {{query}} as a subquery. Makes: the filtered query the map puts into the editor.
SELECT * FROM (
{{query}}) WHERE {{latitude}} BETWEEN {{south}} AND {{north}} AND {{longitude}} BETWEEN {{west}} AND {{east}}
