-- Nexmark q2, selection: bids on a fixed set of auctions (Flink: MOD(auction, 123) = 0).
CREATE STREAM q2 AS SELECT auction, price FROM bid WHERE auction % 123 = 0 EMIT CHANGES;
