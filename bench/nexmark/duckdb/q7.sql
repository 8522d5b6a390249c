-- Nexmark q7 (highest bid) in batch, to check pipe's streaming q7: per 10-second tumbling window, the highest
-- price and price * 1e9 + auction for the bid that has it (ties: highest auction id).
-- ${INPUT}: the generator's events as JSON lines (split layout: flat records; a bid is the kind with a bidder).
COPY (
  SELECT (dateTime // 10000) * 10000 AS window_start,
         max(price) AS maxprice,
         max(price * 1000000000 + auction) AS top
  FROM read_json_auto('${INPUT}')
  WHERE bidder IS NOT NULL
  GROUP BY 1
) TO '${OUTPUT}' (FORMAT json);
