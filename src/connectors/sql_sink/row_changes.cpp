#include "connectors/sql_sink/row_changes.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>


namespace pipeline::sql_sink {
namespace {

// The value's fields as (name, value) pairs; false when it is neither a struct nor a map with string keys.
bool Fields(const Value& v, std::vector<std::pair<std::string, Value>>& out) {
  if (v.is_struct()) {
    const Struct& s = v.as_struct();
    for (size_t i = 0; i < s.size(); ++i) out.emplace_back(s.name(i), s.values[i]);
    return true;
  }
  if (v.is_map()) {
    for (const auto& [k, value] : v.as_map()) {
      if (!k.is_string()) return false;
      out.emplace_back(k.as_string(), value);
    }
    return true;
  }
  return false;
}

Result<std::vector<std::string>> KeyColumns(const Record& record, const ChangePlan& plan) {
  if (!plan.primary_key.empty()) return plan.primary_key;
  if (record.key.is_struct()) return record.key.as_struct().names->names;
  if (record.key.is_null()) {
    if (plan.mode == WriteMode::kInsert) return std::vector<std::string>{};
    return DataError("the record has no key, and primary_key is not set: upsert and update need one");
  }
  if (plan.mode == WriteMode::kInsert && !plan.delete_on_tombstone) return std::vector<std::string>{};
  return ConfigError("the record key is a " + std::string(Value::KindName(record.key.kind())) +
                     ", not a struct: name its column with primary_key: [name]");
}

// The value of key column `name`: the key's field, the scalar key itself, or the value's field.
const Value* KeyValue(const Record& record, const std::string& name, size_t key_columns) {
  if (record.key.is_struct()) {
    if (const Value* v = record.key.as_struct().Find(name)) return v;
  } else if (!record.key.is_null() && key_columns == 1) {
    return &record.key;
  }
  return record.value.Field(name);
}

}  // namespace

std::vector<const Value*> RowChange::KeyValues() const {
  std::vector<const Value*> out;
  for (const auto& name : key_columns) {
    auto it = std::find(columns.begin(), columns.end(), name);
    out.push_back(it == columns.end() ? nullptr : &values[static_cast<size_t>(it - columns.begin())]);
  }
  return out;
}

Result<RowChange> MakeRowChange(const BatchPtr& batch, size_t index, const ChangePlan& plan) {
  const Record& record = batch->records[index];
  RowChange change;
  change.batch = batch;
  change.index = index;
  auto key_columns = KeyColumns(record, plan);
  if (!key_columns.ok()) return key_columns.error();
  change.key_columns = std::move(*key_columns);
  std::vector<std::pair<std::string, Value>> fields;
  if (record.value.is_null()) {
    if (!plan.delete_on_tombstone)
      return DataError("a tombstone (null value), and delete_on_tombstone is false: nothing to write");
    if (change.key_columns.empty()) return DataError("a tombstone without a key: no row to delete");
    change.kind = RowChange::Kind::kDelete;
  } else if (!Fields(record.value, fields)) {
    return DataError("the value is a " + std::string(Value::KindName(record.value.kind())) +
                     ", not a struct: the sink writes one column per field");
  }
  for (auto& [name, value] : fields) {
    change.columns.push_back(std::move(name));
    change.values.push_back(std::move(value));
  }
  // Key columns the value lacks come from the key, so that a delete and a write name the same row.
  for (const auto& name : change.key_columns) {
    if (std::find(change.columns.begin(), change.columns.end(), name) != change.columns.end()) continue;
    const Value* v = KeyValue(record, name, change.key_columns.size());
    if (!v || v->is_null()) return DataError("no value for primary key column " + name);
    change.columns.push_back(name);
    change.values.push_back(*v);
  }
  for (const Value* v : change.KeyValues()) {
    if (!v || v->is_null()) return DataError("a null value for a primary key column");
    change.key += v->ToString();  // only compared with other keys of the same columns
    change.key += '\x1f';
  }
  for (const auto& name : change.columns) change.signature += name + '\x1f';
  return change;
}

std::vector<ChangeRun> ChangeRuns(std::vector<RowChange>& changes, WriteMode mode) {
  if (mode != WriteMode::kInsert) {
    changes = CollapseToLastPerKey(std::move(changes));
    std::stable_sort(changes.begin(), changes.end(), [](const RowChange& a, const RowChange& b) {
      const bool a_writes = a.kind == RowChange::Kind::kWrite, b_writes = b.kind == RowChange::Kind::kWrite;
      return std::tie(a_writes, a.signature) < std::tie(b_writes, b.signature);
    });
  }
  std::vector<ChangeRun> runs;
  for (const RowChange& change : changes) {
    if (runs.empty() || change.kind != runs.back().rows.front()->kind ||
        change.signature != runs.back().rows.front()->signature)
      runs.push_back({change.kind == RowChange::Kind::kDelete, {}});
    runs.back().rows.push_back(&change);
  }
  return runs;
}

std::vector<RowChange> CollapseToLastPerKey(std::vector<RowChange> changes) {
  std::unordered_map<std::string_view, size_t> last;
  for (size_t i = 0; i < changes.size(); ++i)
    if (!changes[i].key.empty()) last[changes[i].key] = i;
  std::vector<bool> keep(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) keep[i] = changes[i].key.empty() || last.at(changes[i].key) == i;
  last.clear();  // its keys view the changes' strings, which move below
  std::vector<RowChange> out;
  for (size_t i = 0; i < changes.size(); ++i)
    if (keep[i]) out.push_back(std::move(changes[i]));
  return out;
}

}  // namespace pipeline::sql_sink
