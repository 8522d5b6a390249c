// ChangeRecords: turns decoded pgoutput changes into records, in the envelope the pipeline asked for.
//   row       the row's columns as the value; a delete is a tombstone (null value) with the key, so the stream
//             works directly as a ksqlDB table.
//   debezium  Debezium's change event: {before, after, source, op, ts_ms, transaction}.
// Topic `<topic_prefix>.<schema>.<table>`, key the replica identity columns (the primary key by default), event
// time the commit time. An update that changes the key becomes a delete of the old key and a create of the new
// one, as Debezium does, so a keyed consumer never keeps the old row.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/cdc_event/change_event.h"
#include "connectors/cdc_event/column_rules.h"
#include "connectors/postgres_cdc/pgoutput_message.h"
#include "connectors/postgres_cdc/publication.h"
#include "core/record.h"

namespace pipeline::postgres_cdc {

using cdc::Envelope;

struct TransactionInfo {
  Lsn final_lsn = 0;  // the commit record's LSN: the major of every position in the transaction
  PgTimestamp commit_time = 0;
  uint32_t xid = 0;
};

class ChangeRecords {
 public:
  // `primary_keys`: the key columns of each table by OID (publication.h); a table not in it is keyed by the
  // columns its replica identity flags, except with REPLICA IDENTITY FULL (every column): no key then, as Debezium
  // has for a table without a primary key.
  ChangeRecords(Envelope envelope, std::string topic_prefix, std::string database, PrimaryKeys primary_keys = {},
                cdc::ColumnRules column_rules = {})
      : envelope_(envelope),
        topic_prefix_(std::move(topic_prefix)),
        database_(std::move(database)),
        primary_keys_(std::move(primary_keys)),
        column_rules_(std::move(column_rules)) {}

  // A table's (new) shape: the changes after it use it.
  void AddRelation(RelationMessage relation);
  // Appends the change's records to `out` (one, or two for a key change). A change of a table whose relation
  // message never came is a Fatal error: the stream is not what pgoutput promises.
  Status Add(const ChangeMessage& change, const TransactionInfo& txn, std::vector<Record>& out);
  // debezium: one `op: t` record per table; row: nothing (a table has no row to show for it).
  Status Add(const TruncateMessage& truncate, const TransactionInfo& txn, std::vector<Record>& out);

  // A row read by the initial snapshot: `op: r` (debezium, with source.snapshot "true") or the row itself.
  Status AddSnapshotRow(Oid relation, const Tuple& row, const TransactionInfo& txn, std::vector<Record>& out);

  // Columns whose type has no mapping of its own, as "schema.table.column (oid N)", each reported once.
  std::vector<std::string> TakeUnmappedColumns();

 private:
  struct Table {
    RelationMessage relation;
    std::string topic;
    FieldNamesPtr columns;  // every column, for rows that carry all of them
    FieldNamesPtr key_names;
    std::vector<size_t> key_columns;
  };

  const Table* Find(Oid relation) const;
  Value Row(const Table& table, const Tuple& row, const Tuple* old_row) const;
  Value Key(const Table& table, const Tuple& row) const;
  Value Source(const Table& table, const TransactionInfo& txn, char op) const;
  Record Make(const Table& table, const TransactionInfo& txn, Value key, char op, Value before, Value after) const;

  Envelope envelope_;
  std::string topic_prefix_;
  std::string database_;
  PrimaryKeys primary_keys_;
  cdc::ColumnRules column_rules_;
  std::map<Oid, Table> tables_;
  std::set<std::string> unmapped_seen_;
  std::vector<std::string> unmapped_new_;
};

}  // namespace pipeline::postgres_cdc
