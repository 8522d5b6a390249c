// Values in PostgreSQL's text form and COPY's escaping, without a server.
#include "connectors/postgres/pg_text.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

namespace pipeline::postgres {
namespace {

std::string Text(const Value& v) {
  std::string out;
  if (!AppendPgText(v, out)) return "<null>";
  return out;
}

}  // namespace

TEST_CASE("postgres sink: values keep their precision in PostgreSQL's text form") {
  CHECK(Text(Value()) == "<null>");
  CHECK(Text(Value(true)) == "t");
  CHECK(Text(Value(int64_t{-9223372036854775807 - 1})) == "-9223372036854775808");
  CHECK(Text(Value(0.1)) == "0.1");
  CHECK(Text(Value(std::nan(""))) == "NaN");
  CHECK(Text(Value(-std::numeric_limits<double>::infinity())) == "-Infinity");
  Decimal d;
  d.unscaled = static_cast<__int128>(1234567890123456789LL) * 100000000000000000LL + 1;  // 36 digits
  d.scale = 10;
  CHECK(Text(Value(d)) == "12345678901234567890000000.0000000001");
  // Wider numerics, µs timestamps and uuids arrive as strings and pass unchanged.
  CHECK(Text(Value("123456789012345678901234567890123456789012.5")) == "123456789012345678901234567890123456789012.5");
  CHECK(Text(Value("2024-02-29T13:14:15.123456Z")) == "2024-02-29T13:14:15.123456Z");
  CHECK(Text(Value(Bytes{std::string("\0\xff", 2)})) == "\\x00ff");
  CHECK(Text(Value(Date{19782})) == "2024-02-29");
  CHECK(Text(Value(Date{-1})) == "1969-12-31");
  CHECK(Text(Value(Time{13 * 3600000 + 14 * 60000 + 15123})) == "13:14:15.123");
  CHECK(Text(Value(Timestamp{-1})) == "1969-12-31 23:59:59.999+00");
  CHECK(Text(MakeStruct({{"a", Value(int64_t{1})}})) == "{\"a\":1}");
}

TEST_CASE("postgres sink: COPY text lines escape backslash, tab, newline and carriage return") {
  std::string out;
  AppendCopyEscaped("a\\b\tc\nd\re", out);
  CHECK(out == "a\\\\b\\tc\\nd\\re");
  Value s("x\ty"), n, i(int64_t{5}), backslash_n("\\N");
  out.clear();
  AppendCopyLine({&s, &n, &i, &backslash_n, nullptr}, out);
  CHECK(out == "x\\ty\t\\N\t5\t\\\\N\t\\N\n");
}

TEST_CASE("postgres sink: auto_create's column types follow the values") {
  CHECK(PgColumnType(Value(int64_t{1})) == "bigint");
  CHECK(PgColumnType(Value(1.5)) == "double precision");
  Decimal d;
  d.precision = 10;
  d.scale = 2;
  CHECK(PgColumnType(Value(d)) == "numeric(10,2)");
  CHECK(PgColumnType(Value("x")) == "text");
  CHECK(PgColumnType(Value()) == "text");
  CHECK(PgColumnType(Value(Timestamp{0})) == "timestamptz");
  CHECK(PgColumnType(MakeStruct({{"a", Value(true)}})) == "jsonb");
}

}  // namespace pipeline::postgres
