CREATE STREAM person AS
  SELECT person->id AS id, person->name AS name, person->emailAddress AS emailAddress,
         person->creditCard AS creditCard, person->city AS city, person->state AS state,
         person->dateTime AS dateTime, person->extra AS extra
  FROM nexmark WHERE event_type = 0 EMIT CHANGES;
