// `columns` and `key_columns` of a CDC source, as Debezium's column.include.list / column.exclude.list and
// message.key.columns: which columns a change carries, and the key of a table without a primary key. Both sources
// apply them to each change (cdc::Change) before it becomes a record, snapshot rows included.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "connectors/cdc_event/change_event.h"
#include "core/result.h"
#include "plugin/options.h"
#include "plugin/spec.h"

namespace pipeline::cdc {

// `columns: {include: [...]} | {exclude: [...]}` and `key_columns: {table: "a, b"}`; `table_path` says how a
// table is named ("<schema>.<table>").
std::vector<OptionSpec> ColumnRuleOptions(const std::string& table_path);

class ColumnRules {
 public:
  static Result<ColumnRules> FromOptions(const Options& options);
  bool empty() const { return include_.empty() && exclude_.empty() && keys_.empty(); }
  // `table` as its patterns name it ("public.customers", "shop.customers").
  void Apply(const std::string& table, Change& change) const;

 private:
  // What a row of one table and one set of columns becomes: the columns kept (indexes into the row) and the key.
  struct Shape {
    FieldNamesPtr kept_names;
    std::vector<size_t> kept;
    bool all_kept = true;
    FieldNamesPtr key_names;     // null: the source's key stays
    std::vector<size_t> key_at;  // indexes into the row; a missing column gives null
  };
  const Shape& ShapeOf(const std::string& table, const FieldNamesPtr& names) const;
  bool Kept(const std::string& column) const;
  Value Reshaped(const Shape& shape, const Value& row) const;

  std::vector<std::string> include_, exclude_;                          // "table.column" patterns
  std::vector<std::pair<std::string, std::vector<std::string>>> keys_;  // table pattern -> key columns
  // Built once per table and set of columns (a new relation or table map brings new names).
  mutable std::map<std::pair<std::string, const FieldNames*>, std::pair<FieldNamesPtr, Shape>> shapes_;
};

}  // namespace pipeline::cdc
