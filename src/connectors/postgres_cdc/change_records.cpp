#include "connectors/postgres_cdc/change_records.h"

#include <algorithm>
#include <chrono>

#include "connectors/postgres_client/column_value.h"

namespace pipeline::postgres_cdc {

using postgres_client::ColumnValue;
using postgres_client::HasTypeMapping;
namespace pg_type = postgres_client::pg_type;

namespace {

using cdc::MakeFieldNames;

const FieldNamesPtr& SourceNames() {
  static const FieldNamesPtr names =
      MakeFieldNames({"version", "connector", "name", "ts_ms", "snapshot", "db", "schema", "table", "txId", "lsn"});
  return names;
}

int64_t EpochMillis(PgTimestamp t) { return UnixMillisFromPgTimestamp(t); }

Value Column(const RelationColumn& column, const TupleColumn& value) {
  if (value.kind != TupleColumn::Kind::kText) return Value();
  return ColumnValue(column.type, column.type_modifier, value.text);
}

}  // namespace

void ChangeRecords::AddRelation(RelationMessage relation) {
  Table table;
  table.topic = topic_prefix_ + "." + relation.schema + "." + relation.table;
  std::vector<std::string> names, key_names;
  for (const RelationColumn& c : relation.columns) names.push_back(c.name);
  if (auto primary = primary_keys_.find(relation.relation); primary != primary_keys_.end()) {
    for (const std::string& name : primary->second) {
      auto at = std::find(names.begin(), names.end(), name);
      if (at == names.end()) continue;
      key_names.push_back(name);
      table.key_columns.push_back(static_cast<size_t>(at - names.begin()));
    }
  } else if (relation.replica_identity != 'f') {
    for (size_t i = 0; i < relation.columns.size(); ++i)
      if (relation.columns[i].key) {
        key_names.push_back(relation.columns[i].name);
        table.key_columns.push_back(i);
      }
  }
  for (size_t i = 0; i < relation.columns.size(); ++i) {
    const RelationColumn& c = relation.columns[i];
    std::string where = relation.schema + "." + relation.table + "." + c.name;
    if (!HasTypeMapping(c.type) && unmapped_seen_.insert(where).second)
      unmapped_new_.push_back(where + " (type oid " + std::to_string(c.type) + ")");
  }
  table.columns = MakeFieldNames(std::move(names));
  table.key_names = MakeFieldNames(std::move(key_names));
  table.relation = std::move(relation);
  tables_[table.relation.relation] = std::move(table);
}

std::vector<std::string> ChangeRecords::TakeUnmappedColumns() { return std::exchange(unmapped_new_, {}); }

const ChangeRecords::Table* ChangeRecords::Find(Oid relation) const {
  auto it = tables_.find(relation);
  return it == tables_.end() ? nullptr : &it->second;
}

// An unchanged TOASTed column the server did not send is taken from the old row when it has one (REPLICA
// IDENTITY FULL), and otherwise left out of the struct, never replaced by a placeholder.
Value ChangeRecords::Row(const Table& table, const Tuple& row, const Tuple* old_row) const {
  const auto& columns = table.relation.columns;
  Struct s;
  std::vector<size_t> kept;
  bool partial = row.size() < columns.size();
  for (size_t i = 0; i < columns.size() && i < row.size(); ++i) {
    const TupleColumn* value = &row[i];
    if (value->kind == TupleColumn::Kind::kUnchangedToast && old_row && i < old_row->size() &&
        (*old_row)[i].kind == TupleColumn::Kind::kText)
      value = &(*old_row)[i];
    if (value->kind == TupleColumn::Kind::kUnchangedToast) {
      partial = true;
      continue;
    }
    kept.push_back(i);
    s.values.push_back(Column(columns[i], *value));
  }
  if (!partial) {
    s.names = table.columns;
  } else {
    std::vector<std::string> names;
    for (size_t i : kept) names.push_back(columns[i].name);
    s.names = MakeFieldNames(std::move(names));
  }
  return Value(std::move(s));
}

Value ChangeRecords::Key(const Table& table, const Tuple& row) const {
  if (table.key_columns.empty()) return Value();
  Struct s;
  s.names = table.key_names;
  for (size_t i : table.key_columns)
    s.values.push_back(i < row.size() ? Column(table.relation.columns[i], row[i]) : Value());
  return Value(std::move(s));
}

Value ChangeRecords::Source(const Table& table, const TransactionInfo& txn, char op) const {
  Struct s;
  s.names = SourceNames();
  s.values = {Value("pipe"),
              Value("postgresql"),
              Value(topic_prefix_),
              Value(EpochMillis(txn.commit_time)),
              Value(op == 'r' ? "true" : "false"),
              Value(database_),
              Value(table.relation.schema),
              Value(table.relation.table),
              Value(int64_t{txn.xid}),
              Value(static_cast<int64_t>(txn.final_lsn))};
  return Value(std::move(s));
}

Record ChangeRecords::Make(const Table& table, const TransactionInfo& txn, Value key, char op, Value before,
                           Value after) const {
  cdc::Change change{table.topic, EpochMillis(txn.commit_time), std::move(key), op, std::move(before), std::move(after)};
  // Without rules, no per-change work (the table's name is built only to match patterns).
  if (!column_rules_.empty()) column_rules_.Apply(table.relation.schema + "." + table.relation.table, change);
  return cdc::ChangeEvent(envelope_, std::move(change), [&] { return Source(table, txn, op); });
}

Status ChangeRecords::Add(const ChangeMessage& change, const TransactionInfo& txn, std::vector<Record>& out) {
  const Table* table = Find(change.relation);
  if (!table)
    return FatalError("pgoutput: a change of relation " + std::to_string(change.relation) +
                      " came before its relation message");
  const Tuple* old_row = change.old_row ? &*change.old_row : nullptr;
  // A key-only old row holds nulls for the other columns: as a before-image it would claim they were null.
  const Tuple* full_old = change.old_is_key_only ? nullptr : old_row;
  switch (change.op) {
    case 'I':
      out.push_back(
          Make(*table, txn, Key(*table, *change.new_row), 'c', Value(), Row(*table, *change.new_row, nullptr)));
      break;
    case 'D': {
      Value before = full_old ? Row(*table, *full_old, nullptr) : Key(*table, *old_row);
      out.push_back(Make(*table, txn, Key(*table, *old_row), 'd', std::move(before), Value()));
      break;
    }
    default: {
      Value key = Key(*table, *change.new_row);
      Value after = Row(*table, *change.new_row, full_old);
      if (old_row) {
        Value old_key = Key(*table, *old_row);
        if (!(old_key == key)) {
          Value before = full_old ? Row(*table, *full_old, nullptr) : old_key;
          out.push_back(Make(*table, txn, std::move(old_key), 'd', std::move(before), Value()));
          out.push_back(Make(*table, txn, std::move(key), 'c', Value(), std::move(after)));
          break;
        }
      }
      Value before = full_old ? Row(*table, *full_old, nullptr) : Value();
      out.push_back(Make(*table, txn, std::move(key), 'u', std::move(before), std::move(after)));
    }
  }
  return Status::Ok();
}

Status ChangeRecords::AddSnapshotRow(Oid relation, const Tuple& row, const TransactionInfo& txn,
                                     std::vector<Record>& out) {
  const Table* table = Find(relation);
  if (!table) return FatalError("snapshot: a row of relation " + std::to_string(relation) + " before its columns");
  out.push_back(Make(*table, txn, Key(*table, row), 'r', Value(), Row(*table, row, nullptr)));
  return Status::Ok();
}

Status ChangeRecords::Add(const TruncateMessage& truncate, const TransactionInfo& txn, std::vector<Record>& out) {
  if (envelope_ == Envelope::kRow) return Status::Ok();
  for (Oid relation : truncate.relations) {
    const Table* table = Find(relation);
    if (!table)
      return FatalError("pgoutput: a truncate of relation " + std::to_string(relation) +
                        " came before its relation message");
    out.push_back(Make(*table, txn, Value(), 't', Value(), Value()));
  }
  return Status::Ok();
}

}  // namespace pipeline::postgres_cdc
