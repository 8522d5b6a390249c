// What a failed statement's SQLSTATE means for the sink: retry the flush, reject the row, or stop with a message
// that says what to change. PostgreSQL's codes (Appendix A of its manual); MySQL's sink maps its own errors to the
// same classes.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace pipeline::postgres {

enum class FailureClass {
  kRetry,    // 40001 serialization failure, 40P01 deadlock, class 08 connection, 57P0x shutdown, 53 resources
  kRowData,  // class 22 data exception, 23 integrity constraint violation: this row is bad; 21: rows go one by one
  kSchema,   // class 42 syntax error or access rule violation: the table or the options must change
  kOther,    // anything else: fatal
};

FailureClass ClassifySqlState(std::string_view sqlstate);

// The error for a failed statement: Retryable, Data, Config (with what to change, for class 42) or Fatal.
// `message` is the server's (already redacted), `table` the target it concerns.
Error SqlStateError(std::string_view sqlstate, const std::string& table, const std::string& message);

}  // namespace pipeline::postgres
