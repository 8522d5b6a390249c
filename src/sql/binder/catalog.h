// The catalog: streams and tables declared by CREATE statements (and by CREATE ... AS SELECT), with their
// columns, topic and serialization formats.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sql/parser/ast.h"
#include "sql/types.h"

namespace pipeline::sql {

struct Column {
  std::string name;
  SqlType type;
  bool key = false;
  bool headers = false;     // HEADERS (all headers) or HEADER('k')
  std::string header_key;
};

struct Formats {
  std::string key = "KAFKA";
  std::string value = "JSON";
  std::optional<bool> wrap_single_value;
  char delimiter = ',';
  char key_delimiter = ',';
};

struct SourceDef {
  std::string name;
  bool is_table = false;
  std::string topic;
  std::vector<Column> columns;  // key columns first, then values, each in declaration order
  Formats formats;
  WindowType window_type = WindowType::kNone;  // the topic's key is windowed (WINDOW_TYPE)
  int64_t window_size_ms = 0;
  std::string timestamp_column;   // TIMESTAMP='col' (upper-cased unless quoted)
  std::string timestamp_format;
  bool from_query = false;        // created by CREATE ... AS SELECT
  bool read_only = false;         // CREATE SOURCE STREAM/TABLE
  int partitions = 1;

  int key_count() const {
    int n = 0;
    for (const auto& c : columns) n += c.key ? 1 : 0;
    return n;
  }
  int FindColumn(const std::string& name) const {
    for (size_t i = 0; i < columns.size(); ++i)
      if (columns[i].name == name) return static_cast<int>(i);
    return -1;
  }
  // "ID INT KEY, V0 INT" as ksqlDB's DESCRIBE shows it.
  std::string SchemaString() const;
};

class Catalog {
 public:
  const SourceDef* Find(const std::string& name) const {
    auto it = sources_.find(name);
    return it == sources_.end() ? nullptr : &it->second;
  }
  void Put(SourceDef def) { std::string n = def.name; sources_[n] = std::move(def); }
  void Remove(const std::string& name) { sources_.erase(name); }
  const std::map<std::string, SourceDef>& all() const { return sources_; }
  // The closest known name, for "did you mean" hints ("" if nothing is close).
  std::string Closest(const std::string& name) const;

 private:
  std::map<std::string, SourceDef> sources_;
};

// Levenshtein distance, for "did you mean" hints.
int EditDistance(const std::string& a, const std::string& b);

}  // namespace pipeline::sql
