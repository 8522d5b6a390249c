#include "connectors/mysql_cdc/change_records.h"

namespace pipeline::mysql_cdc {
namespace {

using cdc::MakeFieldNames;

const FieldNamesPtr& SourceNames() {
  static const FieldNamesPtr names = MakeFieldNames(
      {"version", "connector", "name", "ts_ms", "snapshot", "db", "table", "server_id", "gtid", "file", "pos", "row"});
  return names;
}

}  // namespace

CapturedTable ChangeRecords::Describe(TableMap map) const {
  CapturedTable table;
  table.topic = topic_prefix_ + "." + map.database + "." + map.table;
  std::vector<std::string> names, key_names;
  for (const TableColumn& column : map.columns) names.push_back(column.name);
  for (size_t i : map.key_columns) key_names.push_back(map.columns[i].name);
  table.columns = MakeFieldNames(std::move(names));
  table.key_names = MakeFieldNames(std::move(key_names));
  table.map = std::move(map);
  return table;
}

Value ChangeRecords::Row(const CapturedTable& table, RowImage& image) const {
  Struct s;
  s.names = table.columns;
  s.values = image;
  return Value(std::move(s));
}

Value ChangeRecords::Key(const CapturedTable& table, const RowImage& image) const {
  if (table.map.key_columns.empty()) return Value();
  Struct s;
  s.names = table.key_names;
  for (size_t i : table.map.key_columns) s.values.push_back(i < image.size() ? image[i] : Value());
  return Value(std::move(s));
}

Value ChangeRecords::Source(const CapturedTable& table, const ChangeOrigin& origin, size_t row) const {
  Struct s;
  s.names = SourceNames();
  s.values = {Value("pipe"),
              Value("mysql"),
              Value(topic_prefix_),
              Value(origin.ts_ms),
              Value(origin.snapshot ? "true" : "false"),
              Value(table.map.database),
              Value(table.map.table),
              Value(int64_t{origin.server_id}),
              origin.gtid.empty() ? Value() : Value(origin.gtid),
              Value(origin.file),
              Value(int64_t{origin.transaction_offset}),
              Value(static_cast<int64_t>(row))};
  return Value(std::move(s));
}

Record ChangeRecords::Make(const CapturedTable& table, const ChangeOrigin& origin, size_t row, Value key, char op,
                           Value before, Value after) const {
  cdc::Change change{table.topic, origin.ts_ms, std::move(key), op, std::move(before), std::move(after)};
  if (!column_rules_.empty()) column_rules_.Apply(table.map.database + "." + table.map.table, change);
  return cdc::ChangeEvent(envelope_, std::move(change), [&] { return Source(table, origin, row); });
}

void ChangeRecords::Add(const CapturedTable& table, RowsKind kind, std::vector<RowImage>& images,
                        const ChangeOrigin& origin, std::vector<Record>& out) const {
  if (kind != RowsKind::kUpdate) {
    for (size_t i = 0; i < images.size(); ++i) {
      Value key = Key(table, images[i]);
      if (kind == RowsKind::kWrite)
        out.push_back(
            Make(table, origin, i, std::move(key), origin.snapshot ? 'r' : 'c', Value(), Row(table, images[i])));
      else
        out.push_back(Make(table, origin, i, std::move(key), 'd', Row(table, images[i]), Value()));
    }
    return;
  }
  for (size_t i = 0; i + 1 < images.size(); i += 2) {
    const size_t row = i / 2;
    Value old_key = Key(table, images[i]);
    Value key = Key(table, images[i + 1]);
    Value before = Row(table, images[i]);
    Value after = Row(table, images[i + 1]);
    if (!(old_key == key)) {
      out.push_back(Make(table, origin, row, std::move(old_key), 'd', std::move(before), Value()));
      out.push_back(Make(table, origin, row, std::move(key), 'c', Value(), std::move(after)));
    } else {
      out.push_back(Make(table, origin, row, std::move(key), 'u', std::move(before), std::move(after)));
    }
  }
}

}  // namespace pipeline::mysql_cdc
