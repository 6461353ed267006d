-- Grain: one row per lit braille dot of the map: the points of the user's whole result binned into
-- the view's dots (its columns x rows) whose top-left corner is ({{north}}, {{west}}), each {{dlat}} degrees of
-- latitude high and {{dlon}} of longitude wide. Reads: {{query}}. Makes: x (0 = west), y (0 = north), n.
-- The view's bounds filter first, so DuckDB can skip row groups and bins only what is on screen.
SELECT CAST(floor((lon - {{west}}) / {{dlon}}) AS INTEGER) AS x,
       CAST(floor(({{north}} - lat) / {{dlat}}) AS INTEGER) AS y,
       count(*) AS n
FROM (SELECT CAST({{latitude}} AS DOUBLE) AS lat, CAST({{longitude}} AS DOUBLE) AS lon FROM (
{{query}}))
WHERE lat > {{south}} AND lat <= {{north}} AND lon >= {{west}} AND lon < {{east}}
GROUP BY ALL
