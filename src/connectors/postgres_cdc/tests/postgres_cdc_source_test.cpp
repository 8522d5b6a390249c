// The source's pieces that need no server: its default slot name and its registration (the e2e tests in
// tests/e2e/test_postgres_cdc.py run it against a real PostgreSQL).
#include "connectors/postgres_cdc/postgres_cdc_source.h"

#include <doctest/doctest.h>

#include "plugin/registry.h"

namespace pipeline::postgres_cdc {
namespace {

TEST_CASE("postgres_cdc: the default slot name is a valid slot name, per stream and per state dir") {
  const std::string name = DefaultSlotName("Orders-EU.v2", "/var/lib/pipe/a");
  CHECK(name.rfind("pipe_orders_eu_v2_", 0) == 0);
  CHECK(name.size() == std::string("pipe_orders_eu_v2_").size() + 8);
  CHECK(name != DefaultSlotName("Orders-EU.v2", "/var/lib/pipe/b"));
  CHECK(name == DefaultSlotName("Orders-EU.v2", "/var/lib/pipe/a"));
  const std::string longest = DefaultSlotName(std::string(200, 'x'), "/state");
  CHECK(longest.size() <= 63);
  for (char c : longest) CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'));
}

TEST_CASE("postgres_cdc: registered as a source whose dsn is secret") {
  const ComponentSpec* spec = BuiltinRegistry().FindSpec(ComponentKind::kSource, "postgres_cdc");
  REQUIRE(spec != nullptr);
  CHECK(spec->kind == ComponentKind::kSource);
  bool dsn_secret = false;
  for (const auto& option : spec->options) dsn_secret |= option.name == "dsn" && option.secret && option.required;
  CHECK(dsn_secret);
}

}  // namespace
}  // namespace pipeline::postgres_cdc
