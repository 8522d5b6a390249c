-- Nexmark q3, local item suggestion: auctions of category 10 by sellers in OR, ID or CA.
-- ksqlDB joins a stream to a table on the table's key, so people become a table keyed by id first.
CREATE TABLE seller AS
  SELECT id, LATEST_BY_OFFSET(name) AS name, LATEST_BY_OFFSET(city) AS city, LATEST_BY_OFFSET(state) AS state
  FROM person WHERE state = 'OR' OR state = 'ID' OR state = 'CA' GROUP BY id EMIT CHANGES;
CREATE STREAM q3 AS
  SELECT A.seller AS seller, A.id AS auction_id, P.name AS name, P.city AS city, P.state AS state
  FROM auction A INNER JOIN seller P ON A.seller = P.id
  WHERE A.category = 10 EMIT CHANGES;
