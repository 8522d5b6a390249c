// What a failed statement's MariaDB/MySQL error code means for the sink: retry the flush, reject the row, or stop
// with a message that says what to change. The same classes as the postgres sink's SQLSTATEs.
#pragma once

#include <string>

#include "core/result.h"

namespace pipeline::mysql {

enum class FailureClass {
  kRetry,    // 1213 deadlock, 1205 lock wait timeout, the connection lost (2006, 2013, any 2xxx client error), ...
  kRowData,  // 1264 out of range, 1366 incorrect value, 1406 too long, 1048 null, 1062 duplicate, ...: this row
  kSchema,   // 1146 unknown table, 1054 unknown column, 1142 no privilege, ...: the table or options must change
  kOther,    // anything else: fatal
};

FailureClass ClassifyMysqlError(unsigned code);

// The error for a failed statement: Retryable, Data, Config (with what to change) or Fatal. `message` is the
// server's (already redacted), `what` the target it concerns.
Error MysqlStatementError(unsigned code, const std::string& what, const std::string& message);

}  // namespace pipeline::mysql
