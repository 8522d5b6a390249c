-- Nexmark q7, highest bid: the highest price in each 10-second tumbling window, and the auction it was on
-- (encoded as price * 1e9 + auction; ties go to the highest auction id). One group for all bids: ksqlDB
-- groups by columns, so a constant column is added first.
CREATE STREAM bid_all AS SELECT 0 AS k, auction, price FROM bid EMIT CHANGES;
CREATE TABLE q7 AS
  SELECT k, WINDOWSTART AS window_start, MAX(price) AS maxprice, MAX(price * 1000000000 + auction) AS top
  FROM bid_all WINDOW TUMBLING (SIZE 10 SECONDS, GRACE PERIOD 0 SECONDS)
  GROUP BY k EMIT FINAL;
