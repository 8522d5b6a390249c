-- Nexmark q5, hot items: the auction with the most bids in each 10-second window sliding by 2 seconds.
-- Step 1 counts bids per auction and closed window; step 2 keeps, per window, the highest count and the auction
-- that has it, encoded as num * 1e8 + auction (ties go to the highest auction id). ksqlDB has no arg-max
-- aggregate and Flink's self-join of two window aggregates cannot be written, so this is its ksqlDB shape.
CREATE TABLE auction_bids WITH (KAFKA_TOPIC='auction_bids', VALUE_FORMAT='JSON') AS
  SELECT auction, AS_VALUE(auction) AS auction_id, WINDOWSTART AS starttime, COUNT(*) AS num
  FROM bid WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 2 SECONDS, GRACE PERIOD 0 SECONDS)
  GROUP BY auction EMIT FINAL;
CREATE STREAM auction_bids_final (auction_id BIGINT, starttime BIGINT, num BIGINT)
  WITH (KAFKA_TOPIC='auction_bids', VALUE_FORMAT='JSON');
CREATE TABLE q5 AS
  SELECT starttime, AS_VALUE(starttime) AS window_start, MAX(num) AS maxn,
         MAX(num * 100000000 + auction_id) AS hot
  FROM auction_bids_final GROUP BY starttime EMIT CHANGES;
