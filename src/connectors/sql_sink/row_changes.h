// Records turned into row changes for a database table, and a flush collapsed to the last change per key. This
// part knows no SQL dialect: the `postgres` and `mysql` sinks share it.
//
// A record's value (a struct, or a map with string keys) gives one column per field; the primary-key columns come
// from the key (a struct key's fields, or a scalar key under the one name of `primary_key`) when the value lacks
// them. A tombstone (null value) is a delete by key when delete_on_tombstone is set.
#pragma once

#include <string>
#include <vector>

#include "core/record.h"
#include "core/result.h"

namespace pipeline::sql_sink {

enum class WriteMode { kInsert, kUpsert, kUpdate };

struct ChangePlan {
  WriteMode mode = WriteMode::kInsert;
  std::vector<std::string> primary_key;  // empty: the record key's field names
  bool delete_on_tombstone = false;
};

struct RowChange {
  enum class Kind { kWrite, kDelete };
  Kind kind = Kind::kWrite;
  BatchPtr batch;     // the record's batch and index: what a rejection names
  size_t index = 0;
  std::vector<std::string> key_columns;  // the primary key's columns; empty when there is none (insert mode)
  std::vector<std::string> columns;      // kWrite: every column written; kDelete: key_columns
  std::vector<Value> values;             // one per column
  std::string key;                       // the key's values as one text, for collapsing; "" without a key
  std::string signature;                 // the columns joined: rows with one signature share a statement

  const Record& record() const { return batch->records[index]; }
  // The values of key_columns, in their order.
  std::vector<const Value*> KeyValues() const;
};

// A row the table refused (or a record that is no row): what the sink reports after COMMIT.
struct RowRejection {
  BatchPtr batch;
  size_t index = 0;
  Error error;
};

// One record as a change: a DataError for a record the table cannot take (not a struct, a key column without a
// value, a tombstone that is not to be deleted), a ConfigError when the options cannot work for it (a scalar key
// without primary_key in a mode that needs a key).
Result<RowChange> MakeRowChange(const BatchPtr& batch, size_t index, const ChangePlan& plan);

// Only the last change of each key, in the order of those last changes; changes without a key all stay. A table
// statement may then touch each key once, as PostgreSQL's INSERT … ON CONFLICT requires (and MySQL's multi-row
// INSERT … ON DUPLICATE KEY UPDATE then needs no order within a statement), and the outcome is the
// one applying every change in order would have had.
std::vector<RowChange> CollapseToLastPerKey(std::vector<RowChange> changes);

// One flush's changes to one table, cut into the runs a sink writes with one statement each: consecutive changes of
// one kind (write or delete) and one column list. In insert mode they keep the records' order (two records of one
// key are two inserts); otherwise they are first collapsed to the last change per key, and since each key then
// appears once their order no longer matters: deletes go first (they may free a unique value a write takes), then
// the writes of each column list together, in few statements. A CDC flush alternates writes and deletes; in their
// order it took one statement per run (bench pg-to-pg: 0.18x PostgreSQL's logical replication).
struct ChangeRun {
  bool deletes = false;
  std::vector<const RowChange*> rows;  // into the vector given to ChangeRuns
};
std::vector<ChangeRun> ChangeRuns(std::vector<RowChange>& changes, WriteMode mode);

}  // namespace pipeline::sql_sink
