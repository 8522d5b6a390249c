#include <doctest/doctest.h>

#include "connectors/cdc_event/table_patterns.h"

namespace pipeline::cdc {
namespace {

const std::vector<TableName> kCatalog = {{"public", "customers"}, {"public", "cust_notes"}, {"public", "orders"},
                                         {"sales", "orders"},     {"sales", "customers"},   {"public.x", "y"}};

std::vector<std::string> Matched(const std::vector<std::string>& patterns) {
  auto tables = MatchTablePatterns(patterns, "public", kCatalog);
  REQUIRE(tables.ok());
  std::vector<std::string> out;
  for (const TableName& t : *tables) out.push_back(t.full());
  return out;
}

TEST_SUITE("cdc table patterns") {
  TEST_CASE("each part is matched on its own: * never crosses the dot") {
    CHECK(Matched({"public.cust*"}) == std::vector<std::string>{"public.customers", "public.cust_notes"});
    CHECK(Matched({"sales.*"}) == std::vector<std::string>{"sales.orders", "sales.customers"});
    CHECK(Matched({"*.orders"}) == std::vector<std::string>{"public.orders", "sales.orders"});
    CHECK_FALSE(TablePatternMatches("pub*", "public", {"public", "orders"}));
    CHECK_FALSE(TablePatternMatches("public*", "public", {"public.x", "y"}));
  }
  TEST_CASE("a name without a dot is in the default schema; a table matched twice comes once, in catalog order") {
    CHECK(Matched({"orders"}) == std::vector<std::string>{"public.orders"});
    CHECK(Matched({"orders", "*.orders", "public.o?ders"}) ==
          std::vector<std::string>{"public.orders", "sales.orders"});
  }
  TEST_CASE("a pattern that matches nothing is an error naming it") {
    auto none = MatchTablePatterns({"public.orders", "public.custmers*"}, "public", kCatalog);
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().kind() == ErrorKind::kConfig);
    CHECK(none.error().message().find("'public.custmers*' matches no table") != std::string::npos);
  }
}

}  // namespace
}  // namespace pipeline::cdc
