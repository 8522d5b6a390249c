#include <doctest/doctest.h>

#include <set>

#include "sql/functions/function_docs.h"
#include "sql/functions/scalar/tests/call.h"

namespace pipeline::sql::scalar::testing {

TEST_SUITE("sql.functions.docs") {

TEST_CASE("every registered function is documented with a signature and description") {
  std::string text = RenderFunctionReference(false);
  std::string markdown = RenderFunctionReference(true);
  for (const ScalarFunctionSpec* spec : BuiltinScalarFunctions().All()) {
    CAPTURE(spec->name);
    CHECK(!spec->signature.empty());
    CHECK(!spec->description.empty());
    CHECK(!spec->category.empty());
    CHECK(text.find("  " + spec->name + "\n") != std::string::npos);
    CHECK(markdown.find("| `" + spec->name + "` |") != std::string::npos);
  }
}

TEST_CASE("the ksqlDB built-ins are all registered") {
  const char* expected[] = {
      "ABS", "ACOS", "ARRAY_CONCAT", "ARRAY_CONTAINS", "ARRAY_DISTINCT", "ARRAY_EXCEPT", "ARRAY_INTERSECT",
      "ARRAY_JOIN", "ARRAY_LENGTH", "ARRAY_MAX", "ARRAY_MIN", "ARRAY_REMOVE", "ARRAY_SORT", "ARRAY_UNION", "AS_MAP",
      "AS_VALUE", "ASIN", "ATAN", "ATAN2", "BIGINT_FROM_BYTES", "CBRT", "CEIL", "CHR", "COALESCE", "CONCAT",
      "CONCAT_WS", "CONVERT_TZ", "COS", "COSH", "COT", "DATEADD", "DATESUB", "DATETOSTRING", "DEGREES",
      "DOUBLE_FROM_BYTES", "ELT", "ENCODE", "ENTRIES", "EXP", "EXTRACTJSONFIELD", "FIELD", "FILTER", "FLOOR", "FORMAT_DATE",
      "FORMAT_TIME", "FORMAT_TIMESTAMP", "FROM_BYTES", "FROM_DAYS", "FROM_UNIXTIME", "GENERATE_SERIES",
      "GEO_DISTANCE", "GREATEST", "IFNULL", "INITCAP", "INSTR", "INT_FROM_BYTES", "IS_JSON_STRING",
      "JSON_ARRAY_CONTAINS", "JSON_ARRAY_LENGTH", "JSON_CONCAT", "JSON_ITEMS", "JSON_KEYS", "JSON_RECORDS", "LCASE",
      "LEAST", "LEN", "LN", "LOG", "LPAD", "MAP_KEYS", "MAP_UNION", "MAP_VALUES", "MASK", "MASK_KEEP_LEFT",
      "MASK_KEEP_RIGHT", "MASK_LEFT", "MASK_RIGHT", "MD5", "NULLIF", "PARSE_DATE", "PARSE_TIME", "PARSE_TIMESTAMP",
      "PI", "POWER", "RADIANS", "RANDOM", "REDUCE", "REGEXP_EXTRACT", "REGEXP_EXTRACT_ALL", "REGEXP_REPLACE",
      "REGEXP_SPLIT_TO_ARRAY", "REPLACE", "ROUND", "RPAD", "SIGN", "SIN", "SINH", "SLICE", "SPLIT", "SPLIT_TO_MAP",
      "SQRT", "STRINGTODATE", "STRINGTOTIMESTAMP", "SUBSTRING", "TAN", "TANH", "TIMEADD", "TIMESTAMPADD",
      "TIMESTAMPSUB", "TIMESTAMPTOSTRING", "TIMESUB", "TO_BYTES", "TO_JSON_STRING", "TRANSFORM", "TRIM", "TRUNC", "UCASE",
      "UNIX_DATE", "UNIX_TIMESTAMP", "URL_DECODE_PARAM", "URL_ENCODE_PARAM", "URL_EXTRACT_FRAGMENT",
      "URL_EXTRACT_HOST", "URL_EXTRACT_PARAMETER", "URL_EXTRACT_PATH", "URL_EXTRACT_PORT", "URL_EXTRACT_PROTOCOL",
      "URL_EXTRACT_QUERY", "UUID"};
  for (const char* name : expected) {
    CAPTURE(name);
    CHECK(BuiltinScalarFunctions().Find(name) != nullptr);
  }
}

TEST_CASE("a NULL literal is accepted by any parameter") {
  for (const ScalarFunctionSpec* spec : BuiltinScalarFunctions().All()) {
    CAPTURE(spec->name);
    if (spec->higher_order) continue;  // TRANSFORM, FILTER, REDUCE need lambdas, not NULLs (lambda_functions_test)
    // Every function has some arity at which all-NULL arguments bind (possibly ambiguously, like LEAST).
    bool bound_or_ambiguous = false;
    for (size_t n = 0; n <= 6 && !bound_or_ambiguous; ++n) {
      Result<BoundScalar> b = spec->bind(std::vector<SqlType>(n));
      bound_or_ambiguous = b.ok() || b.error().message().find("ambiguous") != std::string::npos;
    }
    CHECK(bound_or_ambiguous);
  }
}

}  // TEST_SUITE

}  // namespace pipeline::sql::scalar::testing
