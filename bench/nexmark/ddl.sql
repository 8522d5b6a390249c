-- The Nexmark events as the generator emits them with `nexmark_layout: split`: one flat record per event whose
-- Record::topic is person, auction or bid, fed by the sql stage (`topics_from_records: true`) to the stream of
-- that topic. Three source streams, as RisingWave's and Feldera's Nexmark declare them; dateTime is the event
-- time. All three are declared even when a query reads one: records of a topic no statement declares would be
-- processing errors.
CREATE STREAM person (id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR,
                      state VARCHAR, dateTime TIMESTAMP, extra VARCHAR)
  WITH (KAFKA_TOPIC='person', VALUE_FORMAT='JSON', TIMESTAMP='dateTime');
CREATE STREAM auction (id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT,
                       dateTime TIMESTAMP, expires TIMESTAMP, seller BIGINT, category BIGINT, extra VARCHAR)
  WITH (KAFKA_TOPIC='auction', VALUE_FORMAT='JSON', TIMESTAMP='dateTime');
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
                   dateTime TIMESTAMP, extra VARCHAR)
  WITH (KAFKA_TOPIC='bid', VALUE_FORMAT='JSON', TIMESTAMP='dateTime');
