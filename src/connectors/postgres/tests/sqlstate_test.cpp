// SQLSTATE classes as the sink acts on them, without a server.
#include "connectors/postgres/sqlstate.h"

#include <doctest/doctest.h>

namespace pipeline::postgres {

TEST_CASE("postgres sink: SQLSTATEs are classified into retry, row data, schema and other") {
  CHECK(ClassifySqlState("40001") == FailureClass::kRetry);  // serialization_failure
  CHECK(ClassifySqlState("40P01") == FailureClass::kRetry);  // deadlock_detected
  CHECK(ClassifySqlState("08006") == FailureClass::kRetry);  // connection_failure
  CHECK(ClassifySqlState("57P01") == FailureClass::kRetry);  // admin_shutdown
  CHECK(ClassifySqlState("") == FailureClass::kRetry);       // no result: the connection broke
  CHECK(ClassifySqlState("23505") == FailureClass::kRowData);  // unique_violation
  CHECK(ClassifySqlState("23514") == FailureClass::kRowData);  // check_violation
  CHECK(ClassifySqlState("22P02") == FailureClass::kRowData);  // invalid_text_representation
  CHECK(ClassifySqlState("21000") == FailureClass::kRowData);  // cardinality_violation: ON CONFLICT touched a row twice
  CHECK(ClassifySqlState("42P01") == FailureClass::kSchema);   // undefined_table
  CHECK(ClassifySqlState("40002") == FailureClass::kOther);    // integrity violation at commit
  CHECK(ClassifySqlState("XX000") == FailureClass::kOther);
}

TEST_CASE("postgres sink: a class 42 error says what to change") {
  Error missing = SqlStateError("42703", "table orders", "column \"note\" does not exist");
  CHECK(missing.kind() == ErrorKind::kConfig);
  CHECK(missing.message() ==
        "table orders: column \"note\" does not exist (SQLSTATE 42703): add the column to the table, or set "
        "auto_evolve: true");
  CHECK(SqlStateError("23505", "table t", "duplicate key").kind() == ErrorKind::kData);
  CHECK(SqlStateError("40P01", "table t", "deadlock").kind() == ErrorKind::kRetryable);
  CHECK(SqlStateError("XX000", "table t", "internal").kind() == ErrorKind::kFatal);
}

}  // namespace pipeline::postgres
