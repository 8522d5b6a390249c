// CREATE STREAM/TABLE (without AS SELECT): columns, topic, formats, timestamp column, windowed keys.
#include <set>

#include "sql/parser/parser.h"
#include "sql/identifier.h"
#include "sql/planner/query_planner.h"

namespace pipeline::sql {

namespace {

std::string PropString(const Statement& st, const char* key) {
  auto it = st.properties.find(key);
  if (it == st.properties.end()) return "";
  return it->second.is_string() ? it->second.as_string() : it->second.ToString();
}

bool IsReserved(const std::string& name) {
  return name == "ROWTIME" || name == "ROWPARTITION" || name == "ROWOFFSET" || name == "WINDOWSTART" || name == "WINDOWEND";
}

bool HasMapWithNonStringKey(const SqlType& t) {
  if (t.id == TypeId::kMap && t.key && t.key->id != TypeId::kString) return true;
  if (t.element && HasMapWithNonStringKey(*t.element)) return true;
  for (const auto& f : t.fields)
    if (f.type && HasMapWithNonStringKey(*f.type)) return true;
  return false;
}

}  // namespace

Status ApplyFormatProperties(const Statement& st, Formats& formats) {
  std::string f = AsciiUpper(PropString(st, "FORMAT"));
  std::string kf = AsciiUpper(PropString(st, "KEY_FORMAT"));
  std::string vf = AsciiUpper(PropString(st, "VALUE_FORMAT"));
  if (!f.empty() && (!kf.empty() || !vf.empty()))
    return ConfigError("Cannot supply both 'FORMAT' and 'KEY_FORMAT' or 'VALUE_FORMAT' properties");
  if (!f.empty()) kf = vf = f;
  static const std::set<std::string> kKnown = {"JSON", "DELIMITED", "KAFKA", "NONE"};
  for (const auto* x : {&kf, &vf})
    if (!x->empty() && !kKnown.count(*x)) {
      if (*x == "AVRO" || *x == "PROTOBUF" || *x == "JSON_SR" || *x == "PROTOBUF_NOSR")
        return ConfigError("format " + *x + " needs a schema registry, which pipe does not support");
      return ConfigError("Unknown format: " + *x);
    }
  if (!kf.empty()) formats.key = kf;
  if (!vf.empty()) formats.value = vf;
  if (auto it = st.properties.find("WRAP_SINGLE_VALUE"); it != st.properties.end()) {
    const Value& v = it->second;
    formats.wrap_single_value = v.is_bool() ? v.as_bool() : AsciiUpper(v.ToString()) == "TRUE";
  }
  if (auto it = st.properties.find("KEY_DELIMITER"); it != st.properties.end()) {
    std::string d = it->second.ToString();
    if (AsciiUpper(d) == "TAB") formats.key_delimiter = '\t';
    else if (AsciiUpper(d) == "SPACE") formats.key_delimiter = ' ';
    else if (d.size() == 1) formats.key_delimiter = d[0];
    else return ConfigError("Configuration KEY_DELIMITER is invalid: Invalid delimiter value: '" + d + "'");
  }
  if (auto it = st.properties.find("VALUE_DELIMITER"); it != st.properties.end()) {
    std::string d = it->second.ToString();
    std::string u = AsciiUpper(d);
    if (u == "TAB") formats.delimiter = '\t';
    else if (u == "SPACE") formats.delimiter = ' ';
    else if (d.size() == 1) formats.delimiter = d[0];
    else if (d.empty())
      return ConfigError("Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'");
    else
      return ConfigError("Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '" + d +
                         "'. Delimiter must be a single character or TAB,SPACE");
    if (formats.value != "DELIMITED") return ConfigError("VALUE_DELIMITER is only supported with the DELIMITED format");
  }
  return {};
}

Status ValidateFormats(const SourceDef& def) {
  std::vector<const Column*> keys, values;
  for (const auto& c : def.columns) (c.key ? keys : values).push_back(&c);
  auto check = [&](const std::string& format, const std::vector<const Column*>& cols, bool is_key) -> Status {
    for (const Column* c : cols) {
      TypeId t = c->type.id;
      if (HasMapWithNonStringKey(c->type)) return ConfigError("JSON only supports MAP types with STRING keys");
      if (format == "DELIMITED" && (t == TypeId::kArray || t == TypeId::kMap || t == TypeId::kStruct))
        return ConfigError("The 'DELIMITED' format does not support type '" + std::string(t == TypeId::kArray ? "ARRAY" : t == TypeId::kMap ? "MAP" : "STRUCT") + "'");
      if (format == "KAFKA" && (t == TypeId::kArray || t == TypeId::kMap || t == TypeId::kStruct || t == TypeId::kDecimal || t == TypeId::kBoolean || t == TypeId::kDate || t == TypeId::kTime || t == TypeId::kTimestamp))
        return ConfigError("The 'KAFKA' format does not support type '" + std::string(t == TypeId::kArray ? "ARRAY" : t == TypeId::kMap ? "MAP" : t == TypeId::kStruct ? "STRUCT" : c->type.ToString()) + "'");
    }
    if (format == "NONE" && !cols.empty())
      return ConfigError("The 'NONE' format can only be used when no columns are defined. Got: [`" + cols[0]->name + "` " + cols[0]->type.ToString() + (is_key ? " KEY" : "") + "]");
    if (format == "KAFKA" && cols.size() > 1)
      return ConfigError("The 'KAFKA' format only supports a single field. Got: " + std::to_string(cols.size()) + " fields");
    return {};
  };
  PIPE_RETURN_IF_ERROR(check(def.formats.key, keys, true));
  std::vector<const Column*> plain_values;
  for (const Column* c : values)
    if (!c->headers) plain_values.push_back(c);
  PIPE_RETURN_IF_ERROR(check(def.formats.value, plain_values, false));
  if (def.formats.wrap_single_value && plain_values.size() != 1 && !def.from_query)
    return ConfigError("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
  if (def.formats.wrap_single_value && (def.formats.value == "DELIMITED" || def.formats.value == "KAFKA") && *def.formats.wrap_single_value)
    return ConfigError("Format '" + def.formats.value + "' does not support 'WRAP_SINGLE_VALUE' set to 'true'.");
  return {};
}

namespace {

// HEADERS columns hold every header as ARRAY<STRUCT<KEY STRING, VALUE BYTES>>, HEADER('k') columns one value as
// BYTES; ksqlDB rejects any other declared type.
Status CheckHeaderColumnType(const ColumnDef& c) {
  if (!c.headers) return {};
  SqlType expected = SqlType::Of(TypeId::kBytes);
  std::string what = "HEADER('" + c.header_key + "')";
  if (c.header_key.empty()) {
    expected = SqlType::Array(SqlType::Struct({{"KEY", MakeType(SqlType::Of(TypeId::kString))},
                                               {"VALUE", MakeType(SqlType::Of(TypeId::kBytes))}}));
    what = "HEADERS";
  }
  if (c.type == expected) return {};
  return ConfigError(c.pos.ToString() + ": Invalid type for " + what + " column: expected " + expected.ToString() +
                     ", got " + c.type.ToString());
}

}  // namespace

Result<SourceDef> PlanSourceDefinition(const Statement& st, const EngineOptions& options) {
  SourceDef def;
  def.name = st.name;
  def.is_table = st.is_table;
  def.read_only = st.is_source;
  def.topic = PropString(st, "KAFKA_TOPIC");
  if (def.topic.empty()) return ConfigError("Missing required property \"KAFKA_TOPIC\" which has no default value.");
  auto prop = [&](const char* k) {
    auto it = options.properties.find(k);
    return it == options.properties.end() ? std::string() : AsciiUpper(it->second);
  };
  if (!prop("ksql.persistence.default.format.key").empty()) def.formats.key = prop("ksql.persistence.default.format.key");
  std::string default_value = prop("ksql.persistence.default.format.value");
  if (!default_value.empty()) def.formats.value = default_value;
  if (!st.properties.count("VALUE_FORMAT") && !st.properties.count("FORMAT") && default_value.empty())
    return ConfigError("Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default via the 'ksql.persistence.default.format.value' config.");
  if (prop("ksql.persistence.wrap.single.values") == "FALSE") def.formats.wrap_single_value = false;
  PIPE_RETURN_IF_ERROR(ApplyFormatProperties(st, def.formats));
  if (st.columns.empty()) return ConfigError("The statement does not define any columns.");
  std::set<std::string> seen;
  for (const auto& c : st.columns) {
    if (IsReserved(c.name))
      return ConfigError(c.pos.ToString() + ": '" + c.name + "' is a reserved column name. You cannot use it as a name for a column.");
    if (!seen.insert(c.name).second) return ConfigError(c.pos.ToString() + ": Duplicate column names: " + c.name);
    if (st.is_table && c.key && !c.primary_key)
      return ConfigError(c.pos.ToString() + ": Column `" + c.name + "` is a 'KEY' column: please use 'PRIMARY KEY' for tables.");
    if (!st.is_table && c.primary_key)
      return ConfigError(c.pos.ToString() + ": Column `" + c.name + "` is a 'PRIMARY KEY' column: please use 'KEY' for streams.");
    PIPE_RETURN_IF_ERROR(CheckHeaderColumnType(c));
  }
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& c : st.columns)
      if (c.key == (pass == 0)) def.columns.push_back({c.name, c.type, c.key, c.headers, c.header_key});
  for (const auto& c : def.columns) {
    bool map_key = c.key && (c.type.id == TypeId::kMap || HasMapWithNonStringKey(c.type) ||
                             c.type.ToString().find("MAP<") != std::string::npos);
    if (map_key)
      return ConfigError("Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `" + c.name + "`. Column type: " + c.type.ToString() + ".");
  }
  if (st.is_table && def.key_count() == 0)
    return ConfigError("Tables require a PRIMARY KEY. Please define the PRIMARY KEY.");
  if (def.key_count() == 0 && !st.properties.count("KEY_FORMAT") && !st.properties.count("FORMAT")) def.formats.key = "NONE";
  std::string ts = PropString(st, "TIMESTAMP");
  if (!ts.empty()) {
    def.timestamp_column = AsciiUpper(ts);
    if (def.FindColumn(def.timestamp_column) < 0 && def.FindColumn(ts) >= 0) def.timestamp_column = ts;
    int slot = def.FindColumn(def.timestamp_column);
    if (slot < 0) return ConfigError("The TIMESTAMP column set in the WITH clause does not exist in the schema: '" + ts + "'");
    def.timestamp_format = PropString(st, "TIMESTAMP_FORMAT");
    TypeId t = def.columns[slot].type.id;
    if (t != TypeId::kBigInt && t != TypeId::kTimestamp && !(t == TypeId::kString && !def.timestamp_format.empty()))
      return ConfigError("Timestamp column, `" + def.timestamp_column + "`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.");
  }
  std::string wt = AsciiUpper(PropString(st, "WINDOW_TYPE"));
  if (!wt.empty()) {
    def.window_type = wt == "SESSION" ? WindowType::kSession : wt == "HOPPING" ? WindowType::kHopping : WindowType::kTumbling;
    std::string ws = PropString(st, "WINDOW_SIZE");
    if (def.window_type == WindowType::kSession && !ws.empty())
      return ConfigError("'WINDOW_SIZE' should not be set for SESSION windows.");
    if (!ws.empty()) {
      // "5 SECONDS"
      size_t sp = ws.find(' ');
      std::string unit = sp == std::string::npos ? "" : AsciiUpper(ws.substr(sp + 1));
      def.window_size_ms = std::atoll(ws.c_str()) * UnitToMillis(unit);
    }
  }
  if (auto it = st.properties.find("PARTITIONS"); it != st.properties.end() && it->second.is_int())
    def.partitions = static_cast<int>(it->second.as_int());
  PIPE_RETURN_IF_ERROR(ValidateFormats(def));
  return def;
}

}  // namespace pipeline::sql
