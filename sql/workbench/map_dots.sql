-- Grain: one row per lit braille dot of the map: the points of the user's whole result binned into
-- {{dots_x}} x {{dots_y}} dots whose top-left corner is ({{north}}, {{west}}), each {{dlat}} degrees of
-- latitude high and {{dlon}} of longitude wide. Reads: {{query}}. Makes: x (0 = west), y (0 = north), n.
SELECT x, y, count(*) AS n
FROM (
  SELECT CAST(floor((lon - {{west}}) / {{dlon}}) AS INTEGER) AS x,
         CAST(floor(({{north}} - lat) / {{dlat}}) AS INTEGER) AS y
  FROM (SELECT CAST({{latitude}} AS DOUBLE) AS lat, CAST({{longitude}} AS DOUBLE) AS lon FROM (
{{query}}))
  WHERE lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180
)
WHERE x >= 0 AND x < {{dots_x}} AND y >= 0 AND y < {{dots_y}}
GROUP BY x, y
