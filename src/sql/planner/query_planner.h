// Planner: turns CREATE ... AS SELECT / INSERT INTO ... SELECT into a running operator graph plus the schema of
// its sink, and CREATE STREAM/TABLE into a catalog entry.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "sql/binder/catalog.h"
#include "sql/engine_options.h"
#include "sql/exec/operator.h"
#include "sql/exec/source_reader.h"
#include "sql/parser/ast.h"

namespace pipeline::sql {

struct PlannedQuery {
  std::string name;      // the sink's STREAM/TABLE name
  SourceDef output;      // the sink's schema, topic and formats
  std::unique_ptr<QueryContext> ctx = std::make_unique<QueryContext>();
  std::vector<OperatorPtr> operators;
  std::vector<std::pair<std::string, std::unique_ptr<SourceReader>>> readers;  // topic -> entry
  // Every column name the statement mentions (upper case); `*` reads them all. For projection pushdown.
  std::set<std::string> columns_used;
  bool uses_all_columns = false;
};

// `insert_target` is the existing sink for INSERT INTO, else null.
Result<PlannedQuery> PlanQuery(const Statement& st, const Catalog& catalog, const EngineOptions& options,
                               const SourceDef* insert_target);

// CREATE STREAM/TABLE without AS SELECT.
Result<SourceDef> PlanSourceDefinition(const Statement& st, const EngineOptions& options);

// Reads the format-related WITH properties (FORMAT, KEY_FORMAT, VALUE_FORMAT, WRAP_SINGLE_VALUE,
// VALUE_DELIMITER) over `formats`.
Status ApplyFormatProperties(const Statement& st, Formats& formats);
// Checks that the formats can carry the columns (DELIMITED has no STRUCT, KAFKA one primitive, ...).
Status ValidateFormats(const SourceDef& def);

}  // namespace pipeline::sql
