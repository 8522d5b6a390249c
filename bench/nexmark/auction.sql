CREATE STREAM auction AS
  SELECT auction->id AS id, auction->itemName AS itemName, auction->description AS description,
         auction->initialBid AS initialBid, auction->reserve AS reserve, auction->dateTime AS dateTime,
         auction->expires AS expires, auction->seller AS seller, auction->category AS category,
         auction->extra AS extra
  FROM nexmark WHERE event_type = 1 EMIT CHANGES;
