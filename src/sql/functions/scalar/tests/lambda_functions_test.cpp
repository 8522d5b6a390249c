// The Java HashMap order REDUCE folds map entries in (end-to-end lambda behaviour: sql/binder/lambda_binder_test.cpp).
#include <doctest/doctest.h>

#include "sql/functions/scalar/java_hash_order.h"
#include "sql/functions/scalar_function.h"

namespace pipeline::sql::scalar::testing {

TEST_SUITE("sql.functions.lambda") {

TEST_CASE("String#hashCode, over UTF-16 code units") {
  CHECK(JavaStringHash("") == 0);
  CHECK(JavaStringHash("a") == 97);
  CHECK(JavaStringHash("hello") == 99162322);
  CHECK(JavaStringHash("yes, thanks") == static_cast<int32_t>(0x9f249124));
  CHECK(JavaStringHash("\xC3\xA9") == 0xE9);                           // é: one UTF-16 unit
  CHECK(JavaStringHash("\xF0\x9F\x98\x80") == 0xD83D * 31 + 0xDE00);  // 😀: a surrogate pair
}

TEST_CASE("entries in the order new HashMap<>(size) iterates them") {
  // Three entries: a table of 4 buckets; "yes, thanks" and "sure, yeah" share bucket 0, "nope" is in bucket 1.
  Map three{{Value("yes, thanks"), Value(1)}, {Value("nope"), Value(2)}, {Value("sure, yeah"), Value(3)}};
  CHECK(JavaHashMapOrder(three) == std::vector<size_t>{0, 2, 1});
  // Single-character keys hash to themselves: bucket order is code order whatever the insertion order.
  Map letters{{Value("c"), Value(1)}, {Value("a"), Value(2)}, {Value("b"), Value(3)}};
  CHECK(JavaHashMapOrder(letters) == std::vector<size_t>{1, 2, 0});
  CHECK(JavaHashMapOrder(Map{}).empty());
}

TEST_CASE("the lambda functions are registered as higher-order functions") {
  for (const char* name : {"TRANSFORM", "FILTER", "REDUCE"}) {
    CAPTURE(name);
    const ScalarFunctionSpec* spec = BuiltinScalarFunctions().Find(name);
    REQUIRE(spec != nullptr);
    CHECK(spec->higher_order);
    CHECK(spec->category == "lambda");
  }
}

}  // TEST_SUITE

}  // namespace pipeline::sql::scalar::testing
