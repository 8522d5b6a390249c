-- Nexmark q5 (hot items) in batch, to check pipe's streaming q5: per 10-second window sliding by 2 seconds,
-- the highest bid count of one auction and num * 1e8 + auction for the auction that has it (ties: highest id).
-- ${INPUT}: the generator's events as JSON lines (split layout: flat records; a bid is the kind with a bidder).
COPY (
  WITH bids AS (
    SELECT auction, dateTime AS t FROM read_json_auto('${INPUT}') WHERE bidder IS NOT NULL
  ), hops AS (
    SELECT auction, (t // 2000 - k) * 2000 AS starttime FROM bids, range(5) AS r(k)
  ), counts AS (
    SELECT starttime, auction, count(*) AS num FROM hops GROUP BY starttime, auction
  )
  SELECT starttime AS window_start, max(num) AS maxn, max(num * 100000000 + auction) AS hot FROM counts GROUP BY starttime
) TO '${OUTPUT}' (FORMAT json);
