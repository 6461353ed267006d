-- Grain: one row: where the points of the user's whole result lie. A point is a row whose
-- {{latitude}} is in [-90, 90] and {{longitude}} in [-180, 180]. Reads: {{query}}. Makes: rows,
-- points, and the bounding box in degrees (south, north, west, east).
SELECT count(*) AS rows,
       count(*) FILTER (WHERE ok) AS points,
       min(lat) FILTER (WHERE ok) AS south,
       max(lat) FILTER (WHERE ok) AS north,
       min(lon) FILTER (WHERE ok) AS west,
       max(lon) FILTER (WHERE ok) AS east
FROM (
  SELECT lat, lon, coalesce(lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180, false) AS ok
  FROM (SELECT CAST({{latitude}} AS DOUBLE) AS lat, CAST({{longitude}} AS DOUBLE) AS lon FROM (
{{query}}))
)
