// exactly_once's bookkeeping without a server: what counts as committed, and that a rolled-back flush's positions
// do not (tests/e2e/test_postgres_sink.py and test_mysql_sink.py check the tables themselves through SIGKILLs).
#include "connectors/sql_sink/written_positions.h"

#include <doctest/doctest.h>

namespace pipeline::sql_sink {

TEST_CASE("sql sink: exactly_once skips only what a committed flush wrote, per lane") {
  const LaneId a = Lanes::Intern("offset test a"), b = Lanes::Intern("offset test b");
  WrittenPositions offsets;
  offsets.Note({a, 10, 0});
  offsets.Note({a, 7, 0});  // out of order within a flush: the highest counts
  offsets.Note({b, 3, 1});
  offsets.Finish(false);    // rolled back: nothing was written
  CHECK_FALSE(offsets.Committed({a, 1, 0}));
  offsets.Note({a, 10, 0});
  offsets.Note({b, 3, 1});
  offsets.Finish(true);
  CHECK(offsets.Committed({a, 10, 0}));
  CHECK(offsets.Committed({a, 9, 5}));
  CHECK_FALSE(offsets.Committed({a, 10, 1}));
  CHECK(offsets.Committed({b, 3, 1}));
  CHECK_FALSE(offsets.Committed({b, 4, 0}));
  CHECK_FALSE(offsets.Committed(Position{}));  // no position: never taken for a repeat
}

}  // namespace pipeline::sql_sink
