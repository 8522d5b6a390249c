// The parsed form of ksqlDB statements. Every node keeps the line:col where it starts, for binder errors.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/value.h"
#include "sql/types.h"

namespace pipeline::sql {

struct Position {
  int line = 0;
  int col = 0;
  std::string ToString() const { return std::to_string(line) + ":" + std::to_string(col); }
};

enum class ExprKind {
  kLiteral,       // value + literal_type
  kColumn,        // [qualifier.]name
  kStar,          // [qualifier.]*  (only in select lists and COUNT(*))
  kUnary,         // op: "-", "+", "NOT"
  kBinary,        // op: + - * / % || = <> < <= > >= AND OR
  kFunction,      // name(args); COUNT(*) has star = true
  kCase,          // searched: children = [when, then]*, [else]; simple: operand first (has_operand)
  kCast,          // children[0] AS cast_type
  kLike,          // children = [value, pattern, (escape)]; negated
  kIn,            // children = [value, items...]; negated
  kBetween,       // children = [value, low, high]; negated
  kIsNull,        // children[0]; negated = IS NOT NULL
  kIsDistinct,    // children[0] IS [NOT] DISTINCT FROM children[1]; negated = NOT DISTINCT
  kDereference,   // children[0]->name
  kSubscript,     // children[0][children[1]]
  kArrayCtor,     // ARRAY[children...]
  kMapCtor,       // MAP(k := v, ...): children alternate key, value
  kStructCtor,    // STRUCT(name := v, ...): field_names + children
  kLambda,        // (params) => children[0]
  kInterval,      // INTERVAL n UNIT inside function args (TIMESTAMPADD); value = millis or unit name
};

struct Expr;
using ExprPtr = std::shared_ptr<Expr>;

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  Position pos;
  std::string op;          // operator / function name (upper case) / unit
  std::string name;        // column or field name
  std::string qualifier;   // source alias for columns and stars
  Value value;             // literals
  SqlType literal_type;    // literals and casts (cast target)
  bool negated = false;
  bool has_operand = false;  // simple CASE
  bool star = false;         // COUNT(*)
  bool distinct = false;     // COUNT(DISTINCT x)
  std::vector<ExprPtr> children;
  std::vector<std::string> field_names;  // STRUCT(...) field names, lambda parameters
  std::string text;        // the expression as written (normalised), for KSQL_COL naming and messages
};

struct SelectItem {
  ExprPtr expr;
  std::string alias;  // empty = none given
  Position pos;
};

enum class JoinType { kInner, kLeft, kRight, kFull };

struct SourceRef {
  std::string name;
  std::string alias;  // defaults to name
  Position pos;
};

struct JoinClause {
  JoinType type = JoinType::kInner;
  SourceRef right;
  ExprPtr on;
  bool has_within = false;
  int64_t within_before_ms = 0;
  int64_t within_after_ms = 0;
  std::optional<int64_t> grace_ms;
  Position pos;
};

enum class WindowType { kNone, kTumbling, kHopping, kSession };

struct WindowSpec {
  WindowType type = WindowType::kNone;
  int64_t size_ms = 0;
  int64_t advance_ms = 0;
  std::optional<int64_t> retention_ms;
  std::optional<int64_t> grace_ms;
  Position pos;
};

struct Select {
  std::vector<SelectItem> items;
  SourceRef from;
  std::vector<JoinClause> joins;
  WindowSpec window;
  ExprPtr where;
  std::vector<ExprPtr> group_by;
  std::vector<ExprPtr> partition_by;
  ExprPtr having;
  bool emit_changes = false;
  bool emit_final = false;
  std::optional<int64_t> limit;
  Position pos;
};

struct ColumnDef {
  std::string name;
  SqlType type;
  bool key = false;          // KEY or PRIMARY KEY
  bool primary_key = false;
  bool headers = false;      // HEADERS / HEADER('k') columns
  std::string header_key;    // HEADER('k'); empty with headers = all headers
  Position pos;
};

enum class StatementKind {
  kCreateSource, kCreateAsSelect, kInsertInto, kInsertValues, kDrop, kAlter, kCreateType, kDropType, kOther
};

struct Statement {
  StatementKind kind = StatementKind::kOther;
  Position pos;
  std::string text;  // the statement text as written
  bool is_table = false;
  bool or_replace = false;
  bool if_not_exists = false;
  bool is_source = false;  // CREATE SOURCE STREAM/TABLE: read-only
  bool if_exists = false;
  bool delete_topic = false;
  std::string name;  // created / target / dropped source name
  std::vector<ColumnDef> columns;
  std::map<std::string, Value> properties;  // WITH (...) keys upper-cased
  std::map<std::string, Position> property_pos;
  std::optional<Select> select;
  std::vector<std::string> insert_columns;  // INSERT INTO x (cols) VALUES (...)
  std::vector<ExprPtr> insert_values;
  SqlType declared_type;  // CREATE TYPE name AS type
};

// Custom types (CREATE TYPE name AS type), by upper-case name.
using TypeAliases = std::map<std::string, SqlType>;

}  // namespace pipeline::sql
