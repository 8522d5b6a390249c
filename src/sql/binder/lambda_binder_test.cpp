// Binding lambdas: parameter types from the collection, slots for nested lambdas, shadowing, and the errors.
#include <doctest/doctest.h>

#include "sql/binder/expression_binder.h"
#include "sql/parser/parser.h"

using namespace pipeline;
using namespace pipeline::sql;

namespace {

SqlType Of(TypeId id) { return SqlType::Of(id); }

// NUMBERS ARRAY<INTEGER> (slot 0), M MAP<STRING, INTEGER> (slot 1), X INTEGER (slot 2), D MAP<STRING, DOUBLE> (3).
Scope TestScope() {
  Scope s;
  s.columns = {{"", "NUMBERS", SqlType::Array(Of(TypeId::kInt)), 0, false},
               {"", "M", SqlType::Map(Of(TypeId::kString), Of(TypeId::kInt)), 1, false},
               {"", "X", Of(TypeId::kInt), 2, false},
               {"", "D", SqlType::Map(Of(TypeId::kString), Of(TypeId::kDouble)), 3, false}};
  return s;
}

Result<BoundExprPtr> BindText(const std::string& text) {
  auto e = ParseExpression(text);
  if (!e) return e.error();
  Scope scope = TestScope();
  return ExpressionBinder(scope).Bind(**e);
}

Value Ints(std::initializer_list<Value> items) { return Value(Array(items)); }

Row TestRow(Value numbers, Value m = Value(), Value x = Value(int64_t{100}), Value d = Value()) {
  Row r;
  r.values = {std::move(numbers), std::move(m), std::move(x), std::move(d)};
  return r;
}

struct Evaluated {
  Value value;
  int64_t errors = 0;
};

Evaluated Eval(const std::string& text, const Row& row) {
  auto b = BindText(text);
  REQUIRE_MESSAGE(b.ok(), (b.ok() ? "" : b.error().message()));
  EvalContext ctx;
  Value v = (*b)->Eval(row, ctx);
  return {v, ctx.errors};
}

std::string ErrorOf(const std::string& text) {
  auto b = BindText(text);
  return b.ok() ? "(bound)" : b.error().message();
}

}  // namespace

TEST_SUITE("sql.binder.lambda") {
  TEST_CASE("parameter types come from the collection; the result type from the body") {
    auto t = BindText("TRANSFORM(numbers, x => CAST(x AS STRING))");
    REQUIRE(t.ok());
    CHECK((*t)->type().ToString() == "ARRAY<STRING>");
    auto m = BindText("TRANSFORM(m, (k, v) => UCASE(k), (k, v) => v > 1)");
    REQUIRE(m.ok());
    CHECK((*m)->type().ToString() == "MAP<STRING, BOOLEAN>");
    auto f = BindText("FILTER(m, (k, v) => v > 1)");
    REQUIRE(f.ok());
    CHECK((*f)->type().ToString() == "MAP<STRING, INTEGER>");
    auto r = BindText("REDUCE(d, CAST(1 AS DOUBLE), (s, k, v) => s * v)");
    REQUIRE(r.ok());
    CHECK((*r)->type().ToString() == "DOUBLE");
  }

  TEST_CASE("a parameter shadows a column of the same name; other columns stay visible") {
    Row row = TestRow(Ints({Value(int64_t{1}), Value(int64_t{2})}));
    CHECK(Eval("TRANSFORM(numbers, x => x + 1)", row).value == Ints({Value(int64_t{2}), Value(int64_t{3})}));
    CHECK(Eval("TRANSFORM(numbers, y => y + x)", row).value == Ints({Value(int64_t{101}), Value(int64_t{102})}));
  }

  TEST_CASE("nested lambdas get their own slots") {
    Row row = TestRow(Ints({Value(int64_t{1}), Value(int64_t{2}), Value(int64_t{3})}));
    // For each a: the sum of a * b over all b.
    Evaluated e = Eval("TRANSFORM(numbers, a => REDUCE(numbers, 0, (s, b) => s + a * b))", row);
    CHECK(e.value == Ints({Value(int64_t{6}), Value(int64_t{12}), Value(int64_t{18})}));
  }

  TEST_CASE("NULL handling follows ksqlDB's Java lambdas") {
    Row with_null = TestRow(Ints({Value(int64_t{5}), Value()}));
    // Arithmetic on a NULL element throws in ksqlDB: the whole call is NULL, and an error is reported.
    Evaluated t = Eval("TRANSFORM(numbers, x => x + 5)", with_null);
    CHECK(t.value.is_null());
    CHECK(t.errors == 1);
    // A NULL predicate drops the element.
    CHECK(Eval("FILTER(numbers, x => x > 4)", with_null).value == Ints({Value(int64_t{5})}));
    CHECK(Eval("REDUCE(numbers, 2, (s, x) => s + x)", TestRow(Value())).value == Value(int64_t{2}));
    CHECK(Eval("REDUCE(numbers, CAST(NULL AS INT), (s, x) => s + x)", TestRow(Ints({}))).value.is_null());
  }

  TEST_CASE("REDUCE visits map entries in ksqlDB's HashMap order") {
    Map m{{Value("yes, thanks"), Value(3.5)}, {Value("nope"), Value(7.3)}, {Value("sure, yeah"), Value(2.1)}};
    Row row = TestRow(Value(), Value(), Value(int64_t{0}), Value(m));
    Evaluated e = Eval("REDUCE(d, CAST(3.2 AS DOUBLE), (s, x, y) => CASE WHEN INSTR(x, 'ye') > 0 THEN CEIL(y * s) "
                       "ELSE FLOOR(s * y) END)", row);
    CHECK(e.value == Value(189.0));
  }

  TEST_CASE("misfits are reported at bind time") {
    CHECK(ErrorOf("TRANSFORM(numbers, (a, b) => a)").find("expects a lambda with 1 argument here, got 2") != std::string::npos);
    CHECK(ErrorOf("FILTER(numbers, x => x + 1)").find("expects a lambda that returns BOOLEAN, got INTEGER") != std::string::npos);
    CHECK(ErrorOf("REDUCE(numbers, 0, (s, x) => s + CAST(x AS BIGINT))").find("CAST the initial state to BIGINT") != std::string::npos);
    CHECK(ErrorOf("REDUCE(numbers, 0, (s, s) => s)").find("Duplicate lambda argument name: S") != std::string::npos);
    CHECK(ErrorOf("TRANSFORM(x, y => y)").find("does not accept parameters (INTEGER, LAMBDA)") != std::string::npos);
    CHECK(ErrorOf("ABS(x => x)").find("Function 'ABS' does not take lambda arguments") != std::string::npos);
    CHECK(ErrorOf("TRANSFORM(numbers, x => nope)").find("NOPE") != std::string::npos);
  }
}
