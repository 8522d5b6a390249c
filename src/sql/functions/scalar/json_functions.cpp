// JSON functions over JSON text in STRING columns: EXTRACTJSONFIELD, JSON_ARRAY_CONTAINS, JSON_ARRAY_LENGTH,
// JSON_CONCAT, JSON_KEYS, JSON_RECORDS, JSON_ITEMS, IS_JSON_STRING, TO_JSON_STRING. Text that is not valid JSON
// gives NULL (or false), as in ksqlDB.
#include <cctype>
#include <optional>

#include "formats/json.h"
#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/java_text.h"
#include "sql/functions/scalar/signature.h"

namespace pipeline::sql::scalar {

namespace {

const SqlType kString = T(TypeId::kString);

// Length of the object or array that starts `text` (after whitespace), or npos when it is not closed.
size_t BalancedPrefixLength(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || (text[i] != '{' && text[i] != '[')) return std::string_view::npos;
  int depth = 0;
  bool in_string = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Jackson's ObjectMapper.readTree, which ksqlDB uses, reads the first value and ignores trailing text
// ('{"a": 1}}' is the object {"a": 1}); simdjson rejects it, so retry on the balanced prefix.
std::optional<Value> Parse(const std::string& text) {
  thread_local JsonReader reader;
  Result<Value> v = reader.Parse(text);
  if (v.ok()) return std::move(v).value();
  size_t prefix = BalancedPrefixLength(text);
  if (prefix == std::string_view::npos || prefix == text.size()) return std::nullopt;
  Result<Value> first = reader.Parse(std::string_view(text).substr(0, prefix));
  if (!first.ok()) return std::nullopt;
  return std::move(first).value();
}

// Jackson's JsonNode.asText() for text nodes, toString() for the rest.
std::string NodeText(const Value& v) { return v.is_string() ? v.as_string() : UdfJson(v); }

// One step of a JSONPath: a field name or an array index.
struct PathStep {
  std::string field;
  int64_t index = -1;
};

// Parses the subset of JSONPath ksqlDB supports: $.a.b, $['a'], $.a[0], $[0].
std::optional<std::vector<PathStep>> ParsePath(const std::string& path) {
  std::vector<PathStep> steps;
  size_t i = 0;
  if (i < path.size() && path[i] == '$') ++i;
  while (i < path.size()) {
    if (path[i] == '.') {
      size_t start = ++i;
      while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
      if (i == start) return std::nullopt;
      steps.push_back({path.substr(start, i - start)});
    } else if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string::npos) return std::nullopt;
      std::string inner = path.substr(i + 1, close - i - 1);
      if (inner.size() >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner.back() == inner[0]) {
        steps.push_back({inner.substr(1, inner.size() - 2)});
      } else {
        if (inner.empty() || !std::all_of(inner.begin(), inner.end(), ::isdigit)) return std::nullopt;
        steps.push_back({"", std::stoll(inner)});
      }
      i = close + 1;
    } else {
      return std::nullopt;
    }
  }
  return steps;
}

const Value* Walk(const Value& root, const std::vector<PathStep>& steps) {
  const Value* cur = &root;
  for (const PathStep& s : steps) {
    if (s.index >= 0) {
      if (!cur->is_array() || static_cast<size_t>(s.index) >= cur->as_array().size()) return nullptr;
      cur = &cur->as_array()[static_cast<size_t>(s.index)];
    } else {
      cur = cur->Field(s.field);
      if (!cur) return nullptr;
    }
  }
  return cur;
}

Value ExtractJsonField(const Args& a) {
  std::optional<Value> doc = Parse(a[0].as_string());
  std::optional<std::vector<PathStep>> path = ParsePath(a[1].as_string());
  if (!doc || !path) return Value();
  const Value* node = Walk(*doc, *path);
  if (!node || node->is_null()) return Value();
  return Value(NodeText(*node));
}

// An object's entries as (key, value) pairs, whether the parser produced a Struct or a Map.
std::optional<Map> ObjectEntries(const Value& v) {
  if (v.is_map()) return v.as_map();
  if (!v.is_struct()) return std::nullopt;
  Map out;
  const Struct& s = v.as_struct();
  for (size_t i = 0; i < s.size(); ++i) out.emplace_back(Value(s.name(i)), s.values[i]);
  return out;
}

// PostgreSQL's jsonb || : objects merge (last wins), otherwise everything is concatenated as arrays.
Value JsonConcat(const Args& a) {
  std::vector<Value> docs;
  bool all_objects = true;
  for (const Value& arg : a) {
    if (arg.is_null()) return Value();
    std::optional<Value> doc = Parse(arg.as_string());
    if (!doc) return Value();
    all_objects = all_objects && (doc->is_struct() || doc->is_map());
    docs.push_back(std::move(*doc));
  }
  if (all_objects) {
    Map merged;
    for (const Value& d : docs) {
      std::optional<Map> entries = ObjectEntries(d);
      for (auto& [k, v] : *entries) {
        const Value& key = k;  // clang 14 cannot capture a structured binding in a lambda
        auto it = std::find_if(merged.begin(), merged.end(), [&](const auto& e) { return e.first == key; });
        if (it != merged.end()) it->second = v;
        else merged.emplace_back(k, v);
      }
    }
    return Value(UdfJson(Value(std::move(merged))));
  }
  Array items;
  for (const Value& d : docs) {
    if (d.is_array()) items.insert(items.end(), d.as_array().begin(), d.as_array().end());
    else items.push_back(d);
  }
  return Value(UdfJson(Value(std::move(items))));
}

bool JsonArrayContains(const Value& doc, const Value& needle) {
  if (!doc.is_array()) return false;
  for (const Value& v : doc.as_array()) {
    if (needle.is_null() ? v.is_null() : (v.kind() == needle.kind() || (v.is_number() && needle.is_number())) && v == needle)
      return true;
  }
  return false;
}

}  // namespace

void RegisterJsonFunctions(ScalarFunctionRegistry& reg) {
  const SqlType kBool = T(TypeId::kBoolean);
  reg.Add(FunctionBuilder("EXTRACTJSONFIELD", "json",
                          "The value at a JSONPath ($.a.b, $.a[0], $['a']) in a JSON string, as a STRING; NULL if absent.")
              .Overload("(json STRING, path STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return ExtractJsonField(a); }))
              .Build());

  auto contains = [](const Args& a, EvalContext&) -> Value {
    if (a[0].is_null()) return Value(false);
    std::optional<Value> doc = Parse(a[0].as_string());
    return Value(doc && JsonArrayContains(*doc, a[1]));
  };
  FunctionBuilder json_array_contains("JSON_ARRAY_CONTAINS", "json",
                                      "Whether a JSON array string contains the value; false if it is not a JSON array.");
  for (const char* type : {"BOOLEAN", "INTEGER", "BIGINT", "DOUBLE", "STRING"})
    json_array_contains.Overload(std::string("(json STRING, val ") + type + ") -> BOOLEAN", ReturnsNullAware(kBool, contains));
  reg.Add(json_array_contains.Build());

  reg.Add(FunctionBuilder("JSON_ARRAY_LENGTH", "json", "The length of a top-level JSON array; NULL if not an array.")
              .Overload("(json STRING) -> INTEGER", Returns(T(TypeId::kInt), [](const Args& a, EvalContext& ctx) -> Value {
                std::optional<Value> doc = Parse(a[0].as_string());
                if (!doc) ctx.Fail("Invalid JSON format: " + a[0].as_string());
                if (!doc || !doc->is_array()) return Value();
                return Value(static_cast<int64_t>(doc->as_array().size()));
              }))
              .Build());
  reg.Add(FunctionBuilder("JSON_CONCAT", "json",
                          "Concatenates JSON strings like PostgreSQL's ||: objects merge (later keys win), anything "
                          "else concatenates as arrays; NULL if any input is NULL or invalid.")
              .Overload("(json STRING, others STRING...) -> STRING",
                        ReturnsNullAware(kString, [](const Args& a, EvalContext&) { return JsonConcat(a); }))
              .Build());
  reg.Add(FunctionBuilder("JSON_KEYS", "json", "The top-level keys of a JSON object; NULL if not an object.")
              .Overload("(json STRING) -> ARRAY<STRING>", Returns(SqlType::Array(kString), [](const Args& a, EvalContext&) -> Value {
                std::optional<Value> doc = Parse(a[0].as_string());
                std::optional<Map> entries = doc ? ObjectEntries(*doc) : std::nullopt;
                if (!entries) return Value();
                Array keys;
                for (auto& [k, v] : *entries) keys.push_back(k);
                return Value(std::move(keys));
              }))
              .Build());
  reg.Add(FunctionBuilder("JSON_RECORDS", "json",
                          "The top-level entries of a JSON object as a map of JSON texts (strings unquoted); NULL if not an object.")
              .Overload("(json STRING) -> MAP<STRING, STRING>",
                        Returns(SqlType::Map(kString, kString), [](const Args& a, EvalContext&) -> Value {
                          std::optional<Value> doc = Parse(a[0].as_string());
                          std::optional<Map> entries = doc ? ObjectEntries(*doc) : std::nullopt;
                          if (!entries) return Value();
                          Map out;
                          for (auto& [k, v] : *entries) out.emplace_back(k, Value(NodeText(v)));
                          return Value(std::move(out));
                        }))
              .Build());
  reg.Add(FunctionBuilder("JSON_ITEMS", "json", "The elements of a JSON array, each as JSON text; NULL if not an array.")
              .Overload("(json STRING) -> ARRAY<STRING>", Returns(SqlType::Array(kString), [](const Args& a, EvalContext&) -> Value {
                std::optional<Value> doc = Parse(a[0].as_string());
                if (!doc || !doc->is_array()) return Value();
                Array out;
                for (const Value& v : doc->as_array()) out.push_back(Value(UdfJson(v)));
                return Value(std::move(out));
              }))
              .Build());
  reg.Add(FunctionBuilder("IS_JSON_STRING", "json", "Whether the string parses as a JSON value (false for NULL).")
              .Overload("(json STRING) -> BOOLEAN", ReturnsNullAware(kBool, [](const Args& a, EvalContext&) {
                return Value(!a[0].is_null() && Parse(a[0].as_string()).has_value());
              }))
              .Build());
  reg.Add(FunctionBuilder("TO_JSON_STRING", "json", "The JSON text of any value ('null' for NULL).")
              .Overload("(val T) -> STRING",
                        ReturnsNullAware(kString, [](const Args& a, EvalContext&) { return Value(UdfJson(a[0])); }))
              .Build());
}

}  // namespace pipeline::sql::scalar
