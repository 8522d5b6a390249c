#include <doctest/doctest.h>

#include "connectors/kafka/offset_ledger.h"

using namespace pipeline::kafka;

TEST_SUITE("connectors.kafka") {
  TEST_CASE("offsets commit only through the acknowledged batch") {
    OffsetLedger ledger;
    ledger.Note("t", 0, 10);
    ledger.Note("t", 1, 5);
    ledger.Note("t", 0, 11);
    ledger.Seal(1);
    ledger.Note("t", 0, 12);
    ledger.Seal(2);
    CHECK(ledger.Acknowledge(0).empty());
    const CommitOffsets& first = ledger.Acknowledge(1);
    CHECK(first.at({"t", 0}) == 12);  // next to read after offset 11
    CHECK(first.at({"t", 1}) == 6);
    CHECK(ledger.Acknowledge(2).at({"t", 0}) == 13);
    CHECK(ledger.pending_batches() == 0);
  }

  TEST_CASE("the open batch is never acknowledged and revoked partitions are forgotten") {
    OffsetLedger ledger;
    ledger.Note("t", 0, 1);
    ledger.Seal(1);
    ledger.Note("t", 0, 2);  // read but not emitted yet
    CHECK(ledger.Acknowledge(UINT64_MAX).at({"t", 0}) == 2);
    ledger.Note("t", 1, 7);
    ledger.Seal(2);
    ledger.Forget({{"t", 1}});
    CHECK(ledger.Acknowledge(2).count({"t", 1}) == 0);
    CHECK(ledger.Acknowledge(2).at({"t", 0}) == 3);  // offset 2 rode along with batch 2
    CHECK(ledger.AcknowledgedFor({{"t", 0}}).size() == 1);
  }
}
