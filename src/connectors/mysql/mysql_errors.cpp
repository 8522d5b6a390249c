#include "connectors/mysql/mysql_errors.h"

namespace pipeline::mysql {
namespace {

// For the schema errors a sink meets, what the user changes.
std::string SchemaHint(unsigned code) {
  switch (code) {
    case 1146:
      return "create the table, or set auto_create: true";
    case 1054:
      return "add the column to the table, or set auto_evolve: true";
    case 1049:
      return "create the database the dsn names";
    case 1142:
    case 1143:
      return "grant the sink's user INSERT, UPDATE and DELETE on the table (CREATE and ALTER for auto_create)";
    case 1170:
    case 1071:
      return "the key column needs a length: make it VARCHAR(n) or create the table yourself";
    default:
      return "change the table or the sink's options to match the records";
  }
}

}  // namespace

FailureClass ClassifyMysqlError(unsigned code) {
  switch (code) {
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1213:  // ER_LOCK_DEADLOCK
    case 1040:  // ER_CON_COUNT_ERROR
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1077:  // ER_NORMAL_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED
    case 1180:  // ER_ERROR_DURING_COMMIT
    case 1181:  // ER_ERROR_DURING_ROLLBACK
    case 1290:  // ER_OPTION_PREVENTS_STATEMENT: read_only, as during a failover
    case 1792:  // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
    case 1050:  // ER_TABLE_EXISTS_ERROR, 1060 ER_DUP_FIELDNAME: another writer's auto_create or auto_evolve was
    case 1060:  // first; the retried flush reads the table again
      return FailureClass::kRetry;
    case 1048:  // ER_BAD_NULL_ERROR
    case 1062:  // ER_DUP_ENTRY
    case 1169:  // ER_DUP_UNIQUE
    case 1216:  // ER_NO_REFERENCED_ROW
    case 1217:  // ER_ROW_IS_REFERENCED
    case 1263:  // ER_WARN_NULL_TO_NOTNULL
    case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
    case 1265:  // WARN_DATA_TRUNCATED
    case 1292:  // ER_TRUNCATED_WRONG_VALUE (dates, times)
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    case 1367:  // ER_ILLEGAL_VALUE_FOR_TYPE
    case 1364:  // ER_NO_DEFAULT_FOR_FIELD
    case 1406:  // ER_DATA_TOO_LONG
    case 1411:  // ER_WRONG_VALUE_FOR_TYPE
    case 1451:  // ER_ROW_IS_REFERENCED_2
    case 1452:  // ER_NO_REFERENCED_ROW_2
    case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
    case 1690:  // ER_DATA_OUT_OF_RANGE
    case 1859:  // ER_DUP_UNKNOWN_IN_INDEX
    case 3819:  // MySQL: ER_CHECK_CONSTRAINT_VIOLATED
    case 4025:  // MariaDB: ER_CONSTRAINT_FAILED (CHECK, and a JSON column's JSON_VALID)
    case 4078:  // ER_ILLEGAL_PARAMETER_DATA_TYPES2_FOR_OPERATION
      return FailureClass::kRowData;
    case 1044:  // ER_DBACCESS_DENIED_ERROR
    case 1045:  // ER_ACCESS_DENIED_ERROR
    case 1049:  // ER_BAD_DB_ERROR
    case 1054:  // ER_BAD_FIELD_ERROR
    case 1071:  // ER_TOO_LONG_KEY
    case 1142:  // ER_TABLEACCESS_DENIED_ERROR
    case 1143:  // ER_COLUMNACCESS_DENIED_ERROR
    case 1146:  // ER_NO_SUCH_TABLE
    case 1170:  // ER_BLOB_KEY_WITHOUT_LENGTH
      return FailureClass::kSchema;
    default:
      // Connector/C's own errors (2000-2999): the server went away, the connection broke or timed out.
      return code >= 2000 && code < 3000 ? FailureClass::kRetry : FailureClass::kOther;
  }
}

Error MysqlStatementError(unsigned code, const std::string& what, const std::string& message) {
  const std::string text = what + ": " + message + " (error " + std::to_string(code) + ")";
  switch (ClassifyMysqlError(code)) {
    case FailureClass::kRetry:
      return RetryableError(text);
    case FailureClass::kRowData:
      return DataError(text);
    case FailureClass::kSchema:
      return ConfigError(text + ": " + SchemaHint(code));
    case FailureClass::kOther:
      break;
  }
  return FatalError(text);
}

}  // namespace pipeline::mysql
