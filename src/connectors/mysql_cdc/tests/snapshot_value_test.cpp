// The snapshot's text values become the same Values the binlog decoder makes of the same columns.
#include "connectors/mysql_cdc/snapshot_value.h"

#include <doctest/doctest.h>

#include "connectors/mysql_cdc/table_map.h"

namespace pipeline::mysql_cdc {
namespace {

Value Text(uint8_t type, const std::string& text, bool is_unsigned = false, bool is_binary = false,
           uint64_t length = 0) {
  bool zero = false;
  return SnapshotValue({.type = type, .is_unsigned = is_unsigned, .is_binary = is_binary, .length = length}, text,
                       zero);
}

TEST_CASE("mysql_cdc snapshot values: as the binlog decoder gives them") {
  CHECK(Text(kLong, "-7") == Value(int64_t{-7}));
  CHECK(Text(kLongLong, "18446744073709551615", true).as_decimal().ToString() == "18446744073709551615");
  CHECK(Text(kNewDecimal, "-12.340").as_decimal().ToString() == "-12.340");
  CHECK(Text(kNewDecimal, "123456789012345678901234567890.123456789") ==
        Value("123456789012345678901234567890.123456789"));
  CHECK(Text(kDouble, "1.5") == Value(1.5));
  CHECK(Text(kBit, std::string(1, '\1'), false, true, 1) == Value(true));
  CHECK(Text(kBit, std::string("\x0a\x05", 2), false, true, 12) == Value(int64_t{0xa05}));
  CHECK(Text(kDate, "2024-02-29") == Value(Date{19782}));
  CHECK(Text(kDateTime, "2024-01-02 03:04:05.678") == Value("2024-01-02T03:04:05.678000"));
  CHECK(Text(kTimestamp, "2024-01-01 00:00:00") == Value("2024-01-01T00:00:00.000000Z"));
  CHECK(Text(kTime, "-838:59:59.5") == Value("-838:59:59.500000"));
  CHECK(Text(kVarString, "abc") == Value("abc"));
  CHECK(Text(kBlob, std::string("\xff\x00", 2), false, true) == Value(Bytes{std::string("\xff\x00", 2)}));
  bool zero = false;
  CHECK(SnapshotValue({.type = kDate}, "0000-00-00", zero).is_null());
  CHECK(zero);
}

}  // namespace
}  // namespace pipeline::mysql_cdc
