-- Grain: day mode keeps one UTC day of pings. Reads: pings, the day ({{year}}, {{month}}, {{day}}).
-- Makes: pings without the rows of other days (which the neighbouring days' jobs own); returns how
-- many rows were set aside. Rows without a timestamp stay, to be counted as rejected.
CREATE OR REPLACE TEMP TABLE rows_outside_day AS
SELECT count(*) AS rows FROM pings
WHERE "timestamp" IS NOT NULL
  AND utc_date("timestamp") <> make_date({{year}}, {{month}}, {{day}});
DELETE FROM pings
WHERE "timestamp" IS NOT NULL
  AND utc_date("timestamp") <> make_date({{year}}, {{month}}, {{day}});
SELECT rows FROM rows_outside_day;
