// Record values as SQL literals for MariaDB/MySQL, and the column type `auto_create` gives a value.
//
// Precision is kept: a decimal is a quoted literal with all its digits (the server parses it by the column's type),
// a double its shortest exact form, a string escaped by Connector/C for the connection's character set (utf8mb4),
// bytes a hex literal, dates, times and timestamps ISO text in UTC (sessions run with time_zone '+00:00'), structs,
// maps and arrays JSON text. NaN and ±Infinity, which no MySQL number holds, are written as quoted text, so that a
// numeric column refuses the row (rejected alone) and a text column keeps it.
#pragma once

#include <string>

#include "connectors/mysql/mysql_session.h"
#include "core/value.h"

namespace pipeline::mysql {

// Appends `v` as a literal (NULL for null).
void AppendLiteral(const Value& v, const MysqlSession& session, std::string& out);

// `name` quoted as an identifier: `name`, a backtick doubled.
std::string QuotedIdentifier(const std::string& name);

// The column type for a value when a table or column is created from a record: BIGINT, DOUBLE, DECIMAL(p,s),
// BOOLEAN, LONGTEXT, LONGBLOB, DATE, TIME(3), DATETIME(3) (UTC), JSON; LONGTEXT for null (its type is unknown). A
// key column needs a length: a string is VARCHAR(255), bytes VARBINARY(255).
std::string MysqlColumnType(const Value& v, bool key);

}  // namespace pipeline::mysql
