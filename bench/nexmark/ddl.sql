-- The Nexmark events as the generator emits them (`dataset: nexmark`, the default combined layout, which is
-- Flink's nexmark table): one record per event with event_type (0 person, 1 auction, 2 bid), the sub-struct of
-- that type and dateTime, the event time. The person/auction/bid streams are derived from it, as Flink's
-- nexmark views are.
CREATE STREAM nexmark (
    event_type INT,
    person STRUCT<id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR, state VARCHAR,
                  dateTime TIMESTAMP, extra VARCHAR>,
    auction STRUCT<id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT,
                   dateTime TIMESTAMP, expires TIMESTAMP, seller BIGINT, category BIGINT, extra VARCHAR>,
    bid STRUCT<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, dateTime TIMESTAMP,
               extra VARCHAR>,
    dateTime TIMESTAMP)
  WITH (KAFKA_TOPIC='nexmark', VALUE_FORMAT='JSON', TIMESTAMP='dateTime');
