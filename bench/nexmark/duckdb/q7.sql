-- Nexmark q7 (highest bid) in batch, to check pipe's streaming q7: per 10-second tumbling window, the highest
-- price and price * 1e9 + auction for the bid that has it (ties: highest auction id).
-- ${INPUT}: the generator's events as JSON lines (combined layout: event_type 2 = bid).
COPY (
  SELECT (dateTime // 10000) * 10000 AS window_start,
         max(bid.price) AS maxprice,
         max(bid.price * 1000000000 + bid.auction) AS top
  FROM read_json_auto('${INPUT}')
  WHERE event_type = 2
  GROUP BY 1
) TO '${OUTPUT}' (FORMAT json);
