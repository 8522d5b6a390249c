-- Nexmark q0, pass-through: every bid, unchanged. Measures the cost of the stage itself.
CREATE STREAM q0 AS SELECT * FROM bid EMIT CHANGES;
