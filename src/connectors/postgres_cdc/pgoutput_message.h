// The messages of PostgreSQL's pgoutput plugin (protocol version 1) that arrive inside XLogData, decoded from
// their bytes (PostgreSQL docs, "Logical Replication Message Formats"). Pure functions, no libpq: a fuzz harness
// or a unit test can feed them any bytes, and anything malformed is an error, never a read past the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "connectors/postgres_cdc/replication_protocol.h"
#include "core/result.h"

namespace pipeline::postgres_cdc {

using Oid = uint32_t;

struct RelationColumn {
  std::string name;
  Oid type = 0;
  int32_t type_modifier = -1;
  bool key = false;  // part of the replica identity (the primary key unless REPLICA IDENTITY says otherwise)
};

// 'R': a table's shape; sent before the first change of a table in a session and again after it changes.
struct RelationMessage {
  Oid relation = 0;
  std::string schema;
  std::string table;
  char replica_identity = 'd';  // d default, n nothing, f full, i index
  std::vector<RelationColumn> columns;
};

// One column of a row: null, an unchanged TOASTed value the server did not send, or its text form.
struct TupleColumn {
  enum class Kind : uint8_t { kNull, kUnchangedToast, kText };
  Kind kind = Kind::kNull;
  std::string text;
};
using Tuple = std::vector<TupleColumn>;

struct BeginMessage {
  Lsn final_lsn = 0;  // where the transaction's commit record is
  PgTimestamp commit_time = 0;
  uint32_t xid = 0;
};

struct CommitMessage {
  Lsn commit_lsn = 0;
  Lsn end_lsn = 0;  // just past the commit record: what the slot may be confirmed up to
  PgTimestamp commit_time = 0;
};

// 'I', 'U', 'D'. An update carries the old row only when the replica identity gives one ('K' key columns or
// 'O' the full old row); a delete always carries one of them.
struct ChangeMessage {
  char op = 'I';
  Oid relation = 0;
  std::optional<Tuple> old_row;
  bool old_is_key_only = false;
  std::optional<Tuple> new_row;
};

struct TruncateMessage {
  std::vector<Oid> relations;
  bool cascade = false;
  bool restart_identity = false;
};

// Type ('Y'), Origin ('O') and logical decoding messages ('M') carry nothing a record needs.
struct IgnoredMessage {
  char type = 0;
};

using PgOutputMessage =
    std::variant<BeginMessage, CommitMessage, RelationMessage, ChangeMessage, TruncateMessage, IgnoredMessage>;

// A Fatal error names the message type and what was short or unknown.
Result<PgOutputMessage> ParsePgOutput(std::string_view bytes);

}  // namespace pipeline::postgres_cdc
