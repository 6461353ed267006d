-- Every session's settings: UTC as the session time zone, so year/month/day of a TIMESTAMPTZ are UTC
-- dates (run after connect: the TimeZone setting belongs to the built-in ICU extension, loaded by then).
SET GLOBAL TimeZone = 'UTC';

-- Grain: none (helpers). Reads: nothing. Makes: utc_date(ts), the UTC calendar day of a TIMESTAMPTZ
-- by integer arithmetic on its epoch: the day partitions' key. year()/month()/day() straight on a
-- TIMESTAMPTZ go through ICU's calendar and are ten times slower on millions of pings.
CREATE OR REPLACE MACRO utc_date(ts) AS (DATE '1970-01-01' + CAST(floor(epoch_us(ts) / 86400000000) AS INTEGER));

-- to_finite_double(text): a feed number (JSON number or numeric string, read as text) as DOUBLE;
-- NULL when it is not a finite number ("NaN", "inf", "", garbage): no position is better than a wrong one.
CREATE OR REPLACE MACRO to_finite_double(x) AS (CASE WHEN isfinite(TRY_CAST(x AS DOUBLE)) THEN TRY_CAST(x AS DOUBLE) END);
