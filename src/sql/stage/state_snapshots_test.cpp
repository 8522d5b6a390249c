#include <doctest/doctest.h>

#include "sql/stage/state_snapshots.h"

using namespace pipeline;
using namespace pipeline::sql;

namespace {

Record FromOrigin(const std::string& origin, int64_t offset, int64_t index, int64_t minor = 0) {
  Record r;
  OriginFilter::Stamp(r, origin, Position{Lanes::Intern(origin), offset, minor}, index);
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

  TEST_CASE("composite positions: the index inside a transaction orders records of one position") {
    OriginFilter filter;
    CHECK(filter.Admit(FromOrigin("slot", 100, 0, 1)));
    CHECK(filter.Admit(FromOrigin("slot", 100, 0, 2)));
    CHECK_FALSE(filter.Admit(FromOrigin("slot", 100, 0, 1)));  // replayed after a crash
    OriginFilter restored;
    restored.Restore(filter.Save());
    CHECK_FALSE(restored.Admit(FromOrigin("slot", 100, 0, 2)));
    CHECK(restored.Admit(FromOrigin("slot", 100, 0, 3)));
  }

  TEST_CASE("the replay filter skips what a restored state holds, per source and lane, by (major, minor)") {
    auto tracker = std::make_shared<AckTracker>();
    tracker->SetOrigin("src", /*stable_positions=*/true);
    LaneId lane = Lanes::Intern("t/0");
    auto batch_of = [&](std::vector<std::pair<int64_t, int64_t>> positions) {
      Batch b;
      b.acks.push_back(tracker->Issue());
      for (auto [major, minor] : positions) b.records.push_back(Record{.position = {lane, major, minor}});
      return b;
    };
    ReplayFilter first;
    std::vector<Record> kept;
    Batch a = batch_of({{5, 0}, {5, 1}, {6, 0}});
    CHECK(first.Admit(a, kept).size() == 3);
    ReplayFilter restored;
    restored.Restore(first.Save());
    Batch replay = batch_of({{5, 1}, {6, 0}, {6, 1}, {7, 0}});
    auto& admitted = restored.Admit(replay, kept);
    REQUIRE(admitted.size() == 2);
    CHECK(admitted[0].position.minor == 1);
    CHECK(admitted[0].position.major == 6);
    CHECK(restored.skipped() == 2);
  }

  TEST_CASE("a rebuild keeps records quiet up to the saved positions, per lane, and keeps the higher of two saves") {
    auto tracker = std::make_shared<AckTracker>();
    tracker->SetOrigin("src", /*stable_positions=*/true);
    LaneId a = Lanes::Intern("t/0"), b = Lanes::Intern("t/1");
    ReplayFilter took;
    std::vector<Record> kept;
    Batch before;
    before.acks.push_back(tracker->Issue());
    for (int64_t offset : {0, 1, 2}) before.records.push_back(Record{.position = {a, offset, 0}});
    before.records.push_back(Record{.position = {b, 0, 0}});
    took.Admit(before, kept);
    RebuildFilter rebuild;
    rebuild.Restore(took.Save());
    CHECK(rebuild.Quiet(*tracker, Record{.position = {a, 0, 0}}));
    CHECK(rebuild.Quiet(*tracker, Record{.position = {b, 0, 0}}));
    CHECK_FALSE(rebuild.Quiet(*tracker, Record{.position = {b, 1, 0}}));  // lane b is past: loud from here on
    CHECK(rebuild.Quiet(*tracker, Record{.position = {a, 2, 0}}));
    CHECK(rebuild.active());
    RebuildFilter saved;  // a crash mid-rebuild: the snapshot keeps what is still to pass
    saved.Restore(rebuild.Save());
    CHECK(saved.Quiet(*tracker, Record{.position = {a, 1, 0}}));
    CHECK_FALSE(saved.Quiet(*tracker, Record{.position = {b, 0, 0}}));
    CHECK_FALSE(saved.Quiet(*tracker, Record{.position = {a, 3, 0}}));
    CHECK_FALSE(saved.active());
  }
}
