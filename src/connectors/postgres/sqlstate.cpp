#include "connectors/postgres/sqlstate.h"

namespace pipeline::postgres {
namespace {

// For the class 42 errors a sink meets, what the user changes.
std::string SchemaHint(std::string_view sqlstate) {
  if (sqlstate == "42P01") return "create the table, or set auto_create: true";
  if (sqlstate == "42703") return "add the column to the table, or set auto_evolve: true";
  if (sqlstate == "42P10")
    return "primary_key must name the columns of the table's primary key or of a unique index (upsert needs one)";
  if (sqlstate == "42501")
    return "grant the sink's user INSERT, UPDATE and DELETE on the table (CREATE for auto_create)";
  if (sqlstate == "42804" || sqlstate == "42846")
    return "change the column's type, or convert the field (for instance with the Cast transform) before the sink";
  return "change the table or the sink's options to match the records";
}

}  // namespace

FailureClass ClassifySqlState(std::string_view sqlstate) {
  if (sqlstate.size() != 5) return FailureClass::kRetry;  // no SQLSTATE: the connection broke
  const std::string_view cls = sqlstate.substr(0, 2);
  if (sqlstate == "40001" || sqlstate == "40P01" || cls == "08" || cls == "53" || sqlstate == "57P01" ||
      sqlstate == "57P02" || sqlstate == "57P03")
    return FailureClass::kRetry;
  // Class 21 (a statement touching one row twice: keys that differ as text but not as the column's type) also goes
  // row by row, where each change applies alone and in order.
  if (cls == "21" || cls == "22" || cls == "23") return FailureClass::kRowData;
  if (cls == "42") return FailureClass::kSchema;
  return FailureClass::kOther;
}

Error SqlStateError(std::string_view sqlstate, const std::string& table, const std::string& message) {
  const std::string state = sqlstate.empty() ? std::string("no SQLSTATE") : "SQLSTATE " + std::string(sqlstate);
  const std::string text = table + ": " + message + " (" + state + ")";
  switch (ClassifySqlState(sqlstate)) {
    case FailureClass::kRetry: return RetryableError(text);
    case FailureClass::kRowData: return DataError(text);
    case FailureClass::kSchema: return ConfigError(text + ": " + SchemaHint(sqlstate));
    case FailureClass::kOther: break;
  }
  return FatalError(text);
}

}  // namespace pipeline::postgres
