#include <doctest/doctest.h>

#include "sql/parser/expr_format.h"
#include "sql/parser/parser.h"

using namespace pipeline::sql;

TEST_SUITE("sql.parser") {
  TEST_CASE("create stream with columns and properties") {
    auto r = ParseStatements(
        "CREATE STREAM input (id INT KEY, `name` STRING, s STRUCT<a INT, b ARRAY<DOUBLE>>) "
        "WITH (kafka_topic='in', value_format='JSON');");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 1);
    const Statement& s = (*r)[0];
    CHECK(s.kind == StatementKind::kCreateSource);
    CHECK(s.name == "INPUT");
    REQUIRE(s.columns.size() == 3);
    CHECK(s.columns[0].key);
    CHECK(s.columns[1].name == "name");
    CHECK(s.columns[2].type.ToString() == "STRUCT<`A` INTEGER, `B` ARRAY<DOUBLE>>");
    CHECK(s.properties.at("KAFKA_TOPIC").as_string() == "in");
  }

  TEST_CASE("select with precedence, predicates and windows") {
    auto r = ParseStatements(
        "CREATE TABLE t AS SELECT a, COUNT(*) AS c FROM s WINDOW TUMBLING (SIZE 5 SECONDS, GRACE PERIOD 1 SECOND) "
        "WHERE x + 2 * 3 > 4 AND y NOT LIKE 'a%' OR z IS NOT NULL GROUP BY a EMIT CHANGES;");
    REQUIRE(r.ok());
    const Select& sel = *(*r)[0].select;
    CHECK(sel.window.size_ms == 5000);
    CHECK(*sel.window.grace_ms == 1000);
    CHECK(FormatExpr(*sel.where) == "((((X + (2 * 3)) > 4) AND (Y NOT LIKE 'a%')) OR (Z IS NOT NULL))");
    CHECK(sel.items[1].alias == "C");
  }

  TEST_CASE("errors carry line and column") {
    auto r = ParseStatements("CREATE STREAM s (a INT)\n WITH (kafka_topic='x') AS SELEC a FROM b;");
    REQUIRE(!r.ok());
    CHECK(r.error().message().rfind("2:", 0) == 0);
  }

  TEST_CASE("negative literals, lambdas, constructors") {
    auto e = ParseExpression("TRANSFORM(arr, x => x + 1)[-1]->f");
    REQUIRE(e.ok());
    CHECK(FormatExpr(**e) == "TRANSFORM(ARR, (X) => (X + 1))[-1]->F");
    auto m = ParseExpression("MAP('a' := 1, 'b' := 2)");
    REQUIRE(m.ok());
    CHECK((*m)->children.size() == 4);
  }
}
