#include <doctest/doctest.h>

#include "connectors/cdc_event/change_event.h"

namespace pipeline::cdc {
namespace {

Record Event(char op, Envelope envelope) {
  Change change{"shop.public.a", 42, Value(7), op, op == 'c' ? Value() : Value(1), op == 'd' ? Value() : Value(2)};
  return ChangeEvent(envelope, std::move(change), [] { return Value(); });
}

TEST_SUITE("cdc tombstones on delete") {
  TEST_CASE("a debezium delete event is followed by its key with a null value; nothing else is") {
    std::optional<Record> tombstone = TombstoneAfter(Event('d', Envelope::kDebezium));
    REQUIRE(tombstone);
    CHECK(tombstone->topic == "shop.public.a");
    CHECK(tombstone->timestamp == 42);
    CHECK(tombstone->key == Value(7));
    CHECK(tombstone->value.is_null());
    CHECK_FALSE(TombstoneAfter(Event('c', Envelope::kDebezium)));
    CHECK_FALSE(TombstoneAfter(Event('u', Envelope::kDebezium)));
    CHECK_FALSE(TombstoneAfter(Event('d', Envelope::kRow)));  // the row envelope's delete is a tombstone already
  }
}

}  // namespace
}  // namespace pipeline::cdc
