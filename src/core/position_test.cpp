#include "core/position.h"

#include <doctest/doctest.h>

using namespace pipeline;

TEST_CASE("position: lanes are interned, values order within a lane and round-trip through text") {
  LaneId a = Lanes::Intern("orders/0");
  CHECK(a != kNoLane);
  CHECK(Lanes::Intern("orders/0") == a);
  CHECK(Lanes::Intern("orders/1") != a);
  CHECK(Lanes::Name(a) == "orders/0");

  Position p{a, 10, 0}, q{a, 10, 3}, r{a, 11, 0};
  CHECK(p < q);
  CHECK(q < r);
  CHECK(p.ToString() == "orders/0@10");
  CHECK(q.ToString() == "orders/0@10.3");
  CHECK(Position::Parse(q.ToString()) == q);
  CHECK(Position::Parse("a/b@c@5.1")->major == 5);
  CHECK(Lanes::Name(Position::Parse("a/b@c@5.1")->lane) == "a/b@c");
  CHECK_FALSE(Position::Parse("nolane").has_value());
  CHECK_FALSE(Position::Parse("x@1.y").has_value());
  CHECK(Position{}.ToString().empty());
}
