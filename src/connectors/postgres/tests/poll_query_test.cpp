// The SQL of one poll of the `postgres` query source, by mode, without a server (tests/e2e/test_postgres_query.py
// runs it against a real one).
#include "connectors/postgres/poll_query.h"

#include <doctest/doctest.h>

namespace pipeline::postgres {

TEST_CASE("postgres query source: each mode's poll resumes after the last value seen") {
  PollQuerySettings s{.table = "shop.orders", .incrementing_column = "id", .timestamp_column = "updated_at"};
  const LaneId lane = Lanes::Intern("postgres query test");
  auto bulk = BuildPollQuery(s, Position{lane, 4, 2});
  CHECK(bulk.sql == "SELECT pipe_q.* FROM (SELECT * FROM \"shop\".\"orders\") AS pipe_q");
  CHECK(bulk.params.empty());

  s.mode = PollMode::kIncrementing;
  CHECK(BuildPollQuery(s, Position{}).sql ==
        "SELECT pipe_q.* FROM (SELECT * FROM \"shop\".\"orders\") AS pipe_q ORDER BY pipe_q.\"id\"");
  auto inc = BuildPollQuery(s, Position{lane, 41, 0});
  CHECK(inc.sql == "SELECT pipe_q.* FROM (SELECT * FROM \"shop\".\"orders\") AS pipe_q WHERE pipe_q.\"id\" > $1::int8 "
                   "ORDER BY pipe_q.\"id\"");
  CHECK(inc.params == Params{"41"});

  s.mode = PollMode::kTimestampIncrementing;
  s.timestamp_delay_ms = 500;
  s.query = "SELECT id, updated_at FROM orders WHERE region = 'eu'";
  auto both = BuildPollQuery(s, Position{lane, 1700000000123456, 7});
  CHECK(both.has_ts_column);
  CHECK(both.sql ==
        "SELECT pipe_q.*, (extract(epoch FROM pipe_q.\"updated_at\") * 1000000)::int8 AS pipe_ts_us FROM (SELECT id, "
        "updated_at FROM orders WHERE region = 'eu') AS pipe_q WHERE pipe_q.\"updated_at\" < now() - $1::int8 * "
        "interval '1 millisecond' AND (pipe_q.\"updated_at\" > (timestamptz 'epoch' + $2::int8 * interval '1 "
        "microsecond') OR (pipe_q.\"updated_at\" = (timestamptz 'epoch' + $2::int8 * interval '1 microsecond') AND "
        "pipe_q.\"id\" > $3::int8)) ORDER BY pipe_q.\"updated_at\", pipe_q.\"id\"");
  CHECK(both.params == Params{"500", "1700000000123456", "7"});
}

}  // namespace pipeline::postgres
