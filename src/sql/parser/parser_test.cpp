#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

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

  TEST_CASE("numbers out of range are errors at their position, never exceptions") {
    // Each of these threw std::out_of_range from std::stoll/stoi, which ended the process (issue 19).
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"CREATE STREAM o AS SELECT a FROM s LIMIT 99999999999999999999;", "1:42: a LIMIT out of range"},
        {"CREATE STREAM o AS SELECT CAST(a AS DECIMAL(99999999999,2)) FROM s;", "1:45: DECIMAL precision out of range"},
        {"CREATE STREAM o AS SELECT CAST(a AS DECIMAL(10, 99999999999)) FROM s;", "1:49: DECIMAL scale out of range"},
        {"CREATE STREAM o AS SELECT CAST(a AS DECIMAL(1000, 999)) FROM s;", "1:51: DECIMAL scale out of range"},
        {"CREATE TABLE o AS SELECT a, COUNT(*) FROM s\n"
         "  WINDOW TUMBLING (SIZE 99999999999999999999 SECONDS) GROUP BY a;",
         "2:25: a duration out of range"},
        {"CREATE TABLE o AS SELECT a, COUNT(*) FROM s WINDOW TUMBLING (SIZE 9223372036854776 SECONDS) GROUP BY a;",
         "1:67: the duration 9223372036854776 SECONDS exceeds 64-bit milliseconds"},
        {"CREATE STREAM s (a INT) WITH (KAFKA_TOPIC='s', PARTITIONS=99999999999999999999);",
         "1:59: the value of PARTITIONS out of range"},
        {"CREATE STREAM o AS SELECT a + 99999999999999999999 FROM s;", "1:31: Invalid numeric literal"},
        {"CREATE STREAM o AS SELECT 1234567890123456789012345678901234567890.5 FROM s;",
         "1:27: Decimal literal with more than 38 digits"},
        {"CREATE STREAM o AS SELECT 0.000000000000000000000000000000000000001 FROM s;",
         "1:27: Decimal literal with more than 38 digits"},
    };
    for (const auto& [sql, message] : cases) {
      CAPTURE(sql);
      auto r = ParseStatements(sql);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().message().rfind(message, 0) == 0);
    }
    auto fits =
        ParseStatements("CREATE STREAM o AS SELECT CAST(a AS DECIMAL(50, 10)) FROM s LIMIT 9223372036854775807;");
    REQUIRE(fits.ok());
    CHECK((*fits)[0].select->limit == 9223372036854775807LL);
    CHECK(ParseExpression("1234567890123456789012345678901234567.8").ok());  // 38 digits
    CHECK(ParseExpression("0.00000000000000000000000000000000000001").ok());
  }

  TEST_CASE("nesting beyond 256 levels is an error, not a stack overflow") {
    auto nested = [](const std::string& open, const std::string& inner, const std::string& close, int depth) {
      std::string out;
      for (int i = 0; i < depth; ++i) out += open;
      out += inner;
      for (int i = 0; i < depth; ++i) out += close;
      return out;
    };
    CHECK(ParseExpression(nested("(", "1", ")", 200)).ok());
    for (const std::string& text : {nested("(", "1", ")", 100000), nested("NOT ", "TRUE", "", 100000),
                                    nested("- ", "1", "", 100000), nested("ARRAY[", "1", "]", 100000)}) {
      auto e = ParseExpression(text);
      REQUIRE_FALSE(e.ok());
      CHECK(e.error().message().find("nested more than 256 levels deep") != std::string::npos);
    }
    auto type =
        ParseStatements("CREATE STREAM s (a " + nested("ARRAY<", "INT", ">", 100000) + ") WITH (KAFKA_TOPIC='s');");
    REQUIRE_FALSE(type.ok());
    CHECK(type.error().message().find("nested more than 256 levels deep") != std::string::npos);
  }

  TEST_CASE("negative literals, lambdas, constructors") {
    auto e = ParseExpression("TRANSFORM(arr, x => x + 1)[-1]->f");
    REQUIRE(e.ok());
    CHECK(FormatExpr(**e) == "TRANSFORM(ARR, (X) => (X + 1))[-1]->F");
    auto m = ParseExpression("MAP('a' := 1, 'b' := 2)");
    REQUIRE(m.ok());
    CHECK((*m)->children.size() == 4);
  }

  TEST_CASE("lambdas: one or more parameters, as function arguments only") {
    auto one = ParseExpression("FILTER(arr, x => x > 5)");
    REQUIRE(one.ok());
    const Expr& lambda = *(*one)->children[1];
    CHECK(lambda.kind == ExprKind::kLambda);
    CHECK(lambda.field_names == std::vector<std::string>{"X"});
    auto three = ParseExpression("REDUCE(m, 0, (s, `k`, v) => CASE WHEN LEN(k) > 3 THEN s + v ELSE s END)");
    REQUIRE(three.ok());
    CHECK((*three)->children[2]->field_names == std::vector<std::string>{"S", "k", "V"});
    CHECK(FormatExpr(**three) == "REDUCE(M, 0, (S, k, V) => (CASE WHEN (LEN(K) > 3) THEN (S + V) ELSE S END))");
    auto two = ParseExpression("TRANSFORM(m, (k, v) => UCASE(k), (k, v) => v + 5)");
    REQUIRE(two.ok());
    CHECK((*two)->children.size() == 3);
    // A parenthesised name is still an expression; a lambda outside a call's arguments is a syntax error.
    auto paren = ParseExpression("ABS((x))");
    REQUIRE(paren.ok());
    CHECK((*paren)->children[0]->kind == ExprKind::kColumn);
    CHECK(!ParseExpression("x => x + 1").ok());
    CHECK(!ParseExpression("1 + (x => x)").ok());
    CHECK(!ParseExpression("TRANSFORM(arr, (x, 1) => x)").ok());
  }

  TEST_CASE("a time unit keyword leads the date/time arithmetic functions' arguments") {
    auto e = ParseExpression("TIMESTAMPADD(MILLISECONDS, 5, x)");
    REQUIRE(e.ok());
    const Expr& unit = *(*e)->children[0];
    CHECK(unit.kind == ExprKind::kInterval);
    CHECK(unit.value == pipeline::Value("MILLISECONDS"));
    CHECK((*e)->children[2]->kind == ExprKind::kColumn);
    // Elsewhere the same word is a column name.
    auto other = ParseExpression("ABS(DAYS)");
    REQUIRE(other.ok());
    CHECK((*other)->children[0]->kind == ExprKind::kColumn);
    CHECK(ParseExpression("DATEADD(DAYS)").ok());
  }
}
