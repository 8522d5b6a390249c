#include <doctest/doctest.h>

#include "connectors/cdc_event/column_rules.h"
#include "plugin/registry.h"

namespace pipeline::cdc {
namespace {

Result<ColumnRules> RulesOf(const std::string& yaml) {
  const ComponentSpec* spec = BuiltinRegistry().FindSpec(ComponentKind::kSource, "postgres_cdc");
  return ColumnRules::FromOptions(Options(spec, YAML::Load("{dsn: x, " + yaml + "}"), "test.yaml"));
}

Value Row(std::vector<std::string> names, std::vector<Value> values) {
  Struct s;
  s.names = MakeFieldNames(std::move(names));
  s.values = std::move(values);
  return Value(std::move(s));
}

TEST_SUITE("cdc column rules") {
  TEST_CASE("exclude drops the column from both images; the key columns stay; other tables are untouched") {
    auto rules = RulesOf("columns: {exclude: ['public.people.ssn', '*.*.id']}");
    REQUIRE(rules.ok());
    Change change{"t", 0, Value(), 'u', Row({"id", "name", "ssn"}, {Value(1), Value("Ada"), Value("1-2")}),
                  Row({"id", "name", "ssn"}, {Value(1), Value("Ada L."), Value("1-2")})};
    change.key = Row({"id"}, {Value(1)});
    rules->Apply("public.people", change);
    CHECK(change.after == Row({"name"}, {Value("Ada L.")}));
    CHECK(change.before == Row({"name"}, {Value("Ada")}));
    CHECK(change.key == Row({"id"}, {Value(1)}));  // the source's key: key_columns names none here
    Change other{"t", 0, Value(), 'c', Value(), Row({"ssn"}, {Value("x")})};
    rules->Apply("public.others", other);
    CHECK(other.after == Row({"ssn"}, {Value("x")}));
  }

  TEST_CASE("key_columns gives a table its key, from the after image or a delete's before image") {
    auto rules = RulesOf("key_columns: {'public.log*': 'host, ts'}, columns: {include: ['*.ts']}");
    REQUIRE(rules.ok());
    Change insert{"t", 0, Value(), 'c', Value(), Row({"ts", "host", "msg"}, {Value(5), Value("a"), Value("m")})};
    rules->Apply("public.logs", insert);
    CHECK(insert.key == Row({"host", "ts"}, {Value("a"), Value(5)}));
    CHECK(insert.after == Row({"ts", "host"}, {Value(5), Value("a")}));  // host kept: it is in the key
    Change removed{"t", 0, Value(), 'd', Row({"ts", "host", "msg"}, {Value(6), Value("b"), Value("m")}), Value()};
    rules->Apply("public.logs", removed);
    CHECK(removed.key == Row({"host", "ts"}, {Value("b"), Value(6)}));
  }

  TEST_CASE("both lists, an empty object and a key without columns are refused") {
    CHECK(RulesOf("columns: {include: [a.b.c], exclude: [a.b.d]}").error().message().find("not both") !=
          std::string::npos);
    CHECK(!RulesOf("columns: {}").ok());
    CHECK(!RulesOf("key_columns: {'public.t': ' , '}").ok());
  }
}

}  // namespace
}  // namespace pipeline::cdc
