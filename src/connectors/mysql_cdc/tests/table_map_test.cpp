// TableMap from the bytes of a TABLE_MAP event with binlog_row_metadata=FULL, written out by hand.
#include "connectors/mysql_cdc/table_map.h"

#include <doctest/doctest.h>

namespace pipeline::mysql_cdc {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s += static_cast<char>(b);
  return s;
}

std::string Field(int type, const std::string& value) { return Bytes({type, static_cast<int>(value.size())}) + value; }

TEST_CASE("mysql_cdc table map: names, key, signedness, charsets, enum members and type metadata") {
  // id INT, name VARCHAR(300) utf8mb4, u BIGINT UNSIGNED, price DECIMAL(10,2), b VARBINARY(8), e ENUM('a','b'),
  // c CHAR(10) latin1, PRIMARY KEY (u, id)
  const std::string types = Bytes({3, 15, 8, 246, 15, 254, 254});
  const std::string meta = Bytes({0x2c, 0x01, 10, 2, 8, 0, 0xf7, 1, 0xfe, 10});
  const std::string nulls = Bytes({0b1111010});
  const std::string optional = Field(1, Bytes({0b01000000})) +  // u is unsigned
                               Field(4, Bytes({2}) + "id" + Bytes({4}) + "name" + Bytes({1}) + "u" + Bytes({5}) +
                                            "price" + Bytes({1}) + "b" + Bytes({1}) + "e" + Bytes({1}) + "c") +
                               Field(2, Bytes({45, 1, 63, 2, 8})) +  // default utf8mb4; b binary, c latin1
                               Field(6, Bytes({2, 1}) + "a" + Bytes({1}) + "b") + Field(8, Bytes({2, 0}));
  TableMapBytes bytes{.table_id = 18,
                      .database = "shop",
                      .table = "items",
                      .column_types = types,
                      .metadata = meta,
                      .null_bitmap = nulls,
                      .optional_metadata = optional};
  auto map = ParseTableMap(bytes);
  REQUIRE(map.ok());
  REQUIRE(map->columns.size() == 7);
  CHECK(map->has_names);
  CHECK(map->columns[1].name == "name");
  CHECK(map->columns[1].meta == 300);
  CHECK(map->columns[1].collation == 45);
  CHECK(map->columns[2].is_unsigned);
  CHECK_FALSE(map->columns[0].is_unsigned);
  CHECK(map->columns[3].meta == (10 << 8 | 2));
  CHECK(map->columns[4].collation == kBinaryCollation);
  CHECK(map->columns[5].type == kEnum);
  CHECK(map->columns[5].members == std::vector<std::string>{"a", "b"});
  CHECK(map->columns[6].type == kString);
  CHECK(map->columns[6].meta == 10);
  CHECK(map->columns[6].collation == 8);
  CHECK(map->key_columns == std::vector<size_t>{2, 0});
  CHECK_FALSE(map->columns[0].nullable);
  CHECK(map->columns[1].nullable);
}

TEST_CASE("mysql_cdc table map: a CHAR longer than 255 borrows bits of its type byte") {
  // CHAR(200) in utf8mb4 (800 bytes = 0x320): bits 8-9 of the length stored inverted in bits 4-5 of 0xfe.
  const std::string types = Bytes({254});
  const std::string meta = Bytes({0xfe ^ 0x30, 0x20});
  const std::string nulls = Bytes({1});
  auto map =
      ParseTableMap({.database = "d", .table = "t", .column_types = types, .metadata = meta, .null_bitmap = nulls});
  REQUIRE(map.ok());
  CHECK(map->columns[0].type == kString);
  CHECK(map->columns[0].meta == 0x320);
  CHECK_FALSE(map->has_names);
  CHECK(map->columns[0].name == "col_1");
}

TEST_CASE("mysql_cdc table map: bytes that end early are a Fatal error naming the table") {
  const std::string types = Bytes({15});
  const std::string meta = Bytes({20});
  const std::string nulls = Bytes({1});
  auto map =
      ParseTableMap({.database = "d", .table = "t", .column_types = types, .metadata = meta, .null_bitmap = nulls});
  REQUIRE_FALSE(map.ok());
  CHECK(map.error().message().find("d.t") != std::string::npos);
  const std::string ok_meta = Bytes({20, 0});
  const std::string bad_optional = Bytes({4, 9, 3});
  auto truncated = ParseTableMap({.database = "d",
                                  .table = "t",
                                  .column_types = types,
                                  .metadata = ok_meta,
                                  .null_bitmap = nulls,
                                  .optional_metadata = bad_optional});
  CHECK_FALSE(truncated.ok());
}

TEST_CASE("mysql_cdc table map: 0xfb and 0xff are no length-encoded integer") {
  // Found by fuzzing (tests/fuzz/binlog_rows): with 99 bytes after them, they were read as a 99-byte integer.
  for (int marker : {0xfb, 0xff}) {
    const std::string bytes = Bytes({marker}) + std::string(120, '\x01');
    size_t at = 0;
    uint64_t value = 0;
    CHECK_FALSE(ReadLengthEncoded(bytes, at, value));
  }
  const std::string three = Bytes({0xfd, 1, 2, 3});
  size_t at = 0;
  uint64_t value = 0;
  REQUIRE(ReadLengthEncoded(three, at, value));
  CHECK(value == 0x030201);
  CHECK(at == 4);
}

}  // namespace
}  // namespace pipeline::mysql_cdc
