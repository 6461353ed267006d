-- Grain: one row per lit braille dot, as sql/workbench/map_dots.sql, with the value of {{colour}} that
-- most points of the dot have (ties: the smallest value). Reads: {{query}}. Makes: x, y, n, colour.
SELECT x, y, sum(n) AS n, first(colour ORDER BY n DESC, colour NULLS LAST) AS colour
FROM (
  SELECT CAST(floor((lon - {{west}}) / {{dlon}}) AS INTEGER) AS x,
         CAST(floor(({{north}} - lat) / {{dlat}}) AS INTEGER) AS y,
         colour,
         count(*) AS n
  FROM (SELECT CAST({{latitude}} AS DOUBLE) AS lat, CAST({{longitude}} AS DOUBLE) AS lon,
               CAST({{colour}} AS VARCHAR) AS colour FROM (
{{query}}))
  WHERE lat > {{south}} AND lat <= {{north}} AND lon >= {{west}} AND lon < {{east}}
  GROUP BY ALL
)
GROUP BY x, y
