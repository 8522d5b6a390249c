#include <doctest/doctest.h>

#include "sql/stage/state_snapshots.h"

using namespace pipeline;
using namespace pipeline::sql;

namespace {

Record FromOrigin(const std::string& origin, int64_t offset, int64_t index) {
  Record r;
  OriginFilter::Stamp(r, origin, offset, index);
  return r;
}

}  // namespace

TEST_SUITE("sql.stage") {
  TEST_CASE("a repartition record replayed after a crash counts once") {
    OriginFilter filter;
    CHECK(filter.Admit(FromOrigin("in/0", 10, 0)));
    CHECK(filter.Admit(FromOrigin("in/0", 10, 1)));  // the second record the same input made
    CHECK(filter.Admit(FromOrigin("in/1", 3, 0)));   // another partition has its own positions
    CHECK(filter.Admit(FromOrigin("in/0", 11, 0)));
    // The front crashed before committing offset 10 and replays from there.
    CHECK_FALSE(filter.Admit(FromOrigin("in/0", 10, 0)));
    CHECK_FALSE(filter.Admit(FromOrigin("in/0", 10, 1)));
    CHECK_FALSE(filter.Admit(FromOrigin("in/0", 11, 0)));
    CHECK(filter.Admit(FromOrigin("in/0", 12, 0)));
    CHECK(filter.skipped() == 3);
    CHECK(filter.Admit(Record{}));  // no origin (a source without stable positions): always counted

    OriginFilter restored;
    restored.Restore(filter.Save());
    CHECK_FALSE(restored.Admit(FromOrigin("in/0", 12, 0)));
    CHECK_FALSE(restored.Admit(FromOrigin("in/1", 3, 0)));
    CHECK(restored.Admit(FromOrigin("in/1", 4, 0)));
  }
}
