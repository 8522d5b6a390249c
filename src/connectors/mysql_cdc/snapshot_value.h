// SnapshotValue: a column value the snapshot's SELECT returned as text, as the same Value the binlog decoder
// (column_decoder.h) makes of the same column, so that `op: r` rows and later changes look alike. The session
// runs with time_zone '+00:00' and utf8mb4, so timestamps are UTC and text is UTF-8.
#pragma once

#include <string>

#include "connectors/mysql_cdc/binlog_connection.h"
#include "core/value.h"

namespace pipeline::mysql_cdc {

// Zero dates become null and set `zero_date`.
Value SnapshotValue(const QueryColumn& column, const std::string& text, bool& zero_date);

}  // namespace pipeline::mysql_cdc
