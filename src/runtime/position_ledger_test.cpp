#include "runtime/position_ledger.h"

#include <doctest/doctest.h>

using namespace pipeline;

TEST_CASE("position ledger: a lane moves to the progress of the latest acknowledged batch, in sequence order") {
  LaneId a = Lanes::Intern("ledger-test/0"), b = Lanes::Intern("ledger-test/1");
  PositionLedger ledger;
  ledger.Seal(1, {{a, 10, 0}});
  ledger.Seal(2, {{a, 20, 0}, {b, 5, 0}});
  ledger.Seal(3, {{b, 9, 0}});  // progress only: a keepalive's position
  CHECK_FALSE(ledger.Acknowledge(0));
  CHECK(ledger.acknowledged().empty());
  CHECK(ledger.Acknowledge(1));
  CHECK(ledger.acknowledged().at(a).major == 10);
  CHECK_FALSE(ledger.acknowledged().count(b));
  CHECK(ledger.Acknowledge(3));
  CHECK(ledger.acknowledged().at(a).major == 20);
  CHECK(ledger.acknowledged().at(b).major == 9);
  CHECK(ledger.pending_batches() == 0);
  CHECK_FALSE(ledger.Acknowledge(3));  // nothing new
}

TEST_CASE("position ledger: forgotten lanes leave pending and acknowledged progress") {
  LaneId a = Lanes::Intern("ledger-test/2"), b = Lanes::Intern("ledger-test/3");
  PositionLedger ledger;
  ledger.Seal(1, {{a, 1, 0}, {b, 1, 0}});
  ledger.Acknowledge(1);
  ledger.Seal(2, {{a, 2, 0}, {b, 2, 0}});
  ledger.Forget({b});
  ledger.Acknowledge(2);
  CHECK(ledger.acknowledged().size() == 1);
  CHECK(ledger.acknowledged().at(a).major == 2);
}

TEST_CASE("position ledger: batches without progress are skipped over") {
  LaneId a = Lanes::Intern("ledger-test/4");
  PositionLedger ledger;
  ledger.Seal(1, {});
  ledger.Seal(2, {{a, 7, 3}});
  CHECK(ledger.Acknowledge(2));
  CHECK(ledger.acknowledged().at(a) == Position{a, 7, 3});
}
