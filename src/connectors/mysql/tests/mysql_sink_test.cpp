// The mysql sink's parts that need no server: error classes, identifiers, auto_create's types, the offsets
// table's sink name (tests/e2e/test_mysql_sink.py writes to a real MariaDB).
#include <doctest/doctest.h>

#include "connectors/mysql/mysql_errors.h"
#include "connectors/mysql/mysql_text.h"
#include "connectors/mysql/offset_table.h"
#include "connectors/mysql/table_catalog.h"

namespace pipeline::mysql {

TEST_CASE("mysql sink: error codes are classified as retry, the row's fault, or what to change") {
  CHECK(ClassifyMysqlError(1213) == FailureClass::kRetry);  // deadlock
  CHECK(ClassifyMysqlError(1205) == FailureClass::kRetry);  // lock wait timeout
  CHECK(ClassifyMysqlError(2006) == FailureClass::kRetry);  // server has gone away
  CHECK(ClassifyMysqlError(2013) == FailureClass::kRetry);  // lost connection during query
  for (unsigned code : {1264u, 1366u, 1406u, 1048u, 1062u, 1292u, 4025u})
    CHECK(ClassifyMysqlError(code) == FailureClass::kRowData);
  CHECK(ClassifyMysqlError(1146) == FailureClass::kSchema);
  CHECK(ClassifyMysqlError(1054) == FailureClass::kSchema);
  CHECK(ClassifyMysqlError(1064) == FailureClass::kOther);  // a syntax error is pipe's bug: fatal
  const Error missing = MysqlStatementError(1146, "table shop.t", "Table 'shop.t' doesn't exist");
  CHECK(missing.kind() == ErrorKind::kConfig);
  CHECK(missing.message().find("set auto_create: true") != std::string::npos);
  CHECK(MysqlStatementError(1054, "table t", "Unknown column").message().find("auto_evolve: true") !=
        std::string::npos);
  CHECK(MysqlStatementError(1406, "table t", "Data too long").kind() == ErrorKind::kData);
  CHECK(MysqlStatementError(1213, "table t", "Deadlock").kind() == ErrorKind::kRetryable);
}

TEST_CASE("mysql sink: identifiers are quoted with backticks; one dot names the database") {
  CHECK(QuotedIdentifier("a`b") == "`a``b`");
  CHECK(QuotedTableName("orders") == "`orders`");
  CHECK(QuotedTableName("shop.orders") == "`shop`.`orders`");
  CHECK(QuotedTableName("a.b.c") == "`a.b.c`");
}

TEST_CASE("mysql sink: literals keep values exact; strings are escaped even without a connection") {
  MysqlSession unconnected(MysqlDsn{});
  std::string out;
  AppendLiteral(Value(std::string("it's a \\ \"quote\"\n")), unconnected, out);
  CHECK(out == "'it\\'s a \\\\ \\\"quote\\\"\\n'");
  out.clear();
  AppendLiteral(Value(Bytes{std::string("\x00\xff", 2)}), unconnected, out);
  CHECK(out == "X'00ff'");
  out.clear();
  AppendLiteral(Value(Decimal{-12345, 7, 3}), unconnected, out);
  CHECK(out == "'-12.345'");
  out.clear();
  AppendLiteral(Value(Timestamp{1709212455123}), unconnected, out);
  CHECK(out == "'2024-02-29 13:14:15.123'");
  out.clear();
  AppendLiteral(Value(0.1), unconnected, out);
  CHECK(out == "0.1");
  out.clear();
  AppendLiteral(Value(), unconnected, out);
  CHECK(out == "NULL");
}

TEST_CASE("mysql sink: auto_create's column types; key columns get a length") {
  CHECK(MysqlColumnType(Value(int64_t{1}), false) == "BIGINT");
  CHECK(MysqlColumnType(Value(std::string("x")), false) == "LONGTEXT");
  CHECK(MysqlColumnType(Value(std::string("x")), true) == "VARCHAR(255)");
  CHECK(MysqlColumnType(Value(Bytes{"x"}), true) == "VARBINARY(255)");
  CHECK(MysqlColumnType(Value(Decimal{12345, 10, 2}), false) == "DECIMAL(10,2)");
  CHECK(MysqlColumnType(Value(Decimal{1, 70, 2}), false) == "LONGTEXT");  // beyond DECIMAL(65): kept as text
  CHECK(MysqlColumnType(Value(Timestamp{0}), false) == "DATETIME(3)");
  CHECK(MysqlColumnType(MakeStruct({{"a", Value(int64_t{1})}}), false) == "JSON");
  CHECK(MysqlColumnType(Value(), false) == "LONGTEXT");
}

TEST_CASE("mysql sink: a sink name too long for pipe_offsets' key is shortened the same way every time") {
  CHECK(OffsetTable("out@/state").sink() == "out@/state");
  const std::string long_name = "out@" + std::string(400, 's');
  const std::string shortened = OffsetTable(long_name).sink();
  CHECK(shortened.size() <= 300);
  CHECK(shortened == OffsetTable(long_name).sink());
  CHECK(shortened != OffsetTable(long_name + "x").sink());
}

}  // namespace pipeline::mysql
