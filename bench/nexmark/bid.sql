CREATE STREAM bid AS
  SELECT bid->auction AS auction, bid->bidder AS bidder, bid->price AS price, bid->channel AS channel,
         bid->url AS url, bid->dateTime AS dateTime, bid->extra AS extra
  FROM nexmark WHERE event_type = 2 EMIT CHANGES;
