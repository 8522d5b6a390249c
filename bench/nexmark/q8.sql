-- Nexmark q8, monitor new users: people who opened an auction in the same 10-second tumbling window in which
-- they registered. A stream-stream join on person id = seller, both event times in the same window.
CREATE STREAM q8 AS
  SELECT P.id AS id, P.name AS name, (P.ROWTIME / 10000) * 10000 AS starttime
  FROM person P INNER JOIN auction A WITHIN 10 SECONDS ON P.id = A.seller
  WHERE P.ROWTIME / 10000 = A.ROWTIME / 10000 EMIT CHANGES;
