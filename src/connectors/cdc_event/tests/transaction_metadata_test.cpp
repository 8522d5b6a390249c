#include <doctest/doctest.h>

#include "connectors/cdc_event/change_event.h"
#include "connectors/cdc_event/transaction_metadata.h"

namespace pipeline::cdc {
namespace {

Record ChangeOn(const std::string& topic, Envelope envelope) {
  Change change{topic, 0, Value(), 'c', Value(), Value(1)};
  return ChangeEvent(envelope, std::move(change), [] { return Value(); });
}

TEST_SUITE("cdc transaction metadata") {
  TEST_CASE("BEGIN, changes numbered overall and per table, END with the counts per table") {
    TransactionMetadata metadata("shop");
    Record begin = metadata.Begin("571:53195832", 1000);
    CHECK(begin.topic == "shop.transaction");
    CHECK(begin.key.Field("id")->as_string() == "571:53195832");
    CHECK(begin.value.Field("status")->as_string() == "BEGIN");
    CHECK(begin.value.Field("event_count")->is_null());
    std::vector<Record> changes = {ChangeOn("shop.public.a", Envelope::kDebezium),
                                   ChangeOn("shop.public.b", Envelope::kDebezium),
                                   ChangeOn("shop.public.a", Envelope::kDebezium)};
    for (Record& r : changes) metadata.Annotate(r);
    const Value* block = changes[2].value.Field("transaction");
    REQUIRE(block);
    CHECK(block->Field("id")->as_string() == "571:53195832");
    CHECK(block->Field("total_order")->as_int() == 3);
    CHECK(block->Field("data_collection_order")->as_int() == 2);
    CHECK(changes[1].value.Field("transaction")->Field("data_collection_order")->as_int() == 1);
    Record end = metadata.End(1000);
    CHECK(end.value.Field("status")->as_string() == "END");
    CHECK(end.value.Field("event_count")->as_int() == 3);
    const Array& collections = end.value.Field("data_collections")->as_array();
    REQUIRE(collections.size() == 2);
    CHECK(collections[0].Field("data_collection")->as_string() == "public.a");
    CHECK(collections[0].Field("event_count")->as_int() == 2);
    CHECK(collections[1].Field("event_count")->as_int() == 1);
    CHECK_FALSE(metadata.open());
  }
  TEST_CASE("the row envelope is counted but keeps its row") {
    TransactionMetadata metadata("p");
    metadata.Begin("1:2", 0);
    Record row = ChangeOn("p.s.t", Envelope::kRow);
    metadata.Annotate(row);
    CHECK(row.value == Value(1));
    CHECK(metadata.End(0).value.Field("event_count")->as_int() == 1);
  }
}

}  // namespace
}  // namespace pipeline::cdc
