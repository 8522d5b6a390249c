#include "testing/record_comparison.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <utility>

#include "formats/json.h"
#include "testing/base64.h"

namespace pipeline::testing {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Decimals compare through their text so that 0.1 (DECIMAL) equals 0.1 (JSON double) exactly.
double NumberAsDouble(const Value& v) {
  if (v.is_int()) return double(v.as_int());
  if (v.is_double()) return v.as_double();
  return std::strtod(v.as_decimal().ToString().c_str(), nullptr);
}

bool NumbersEqual(const Value& a, const Value& b, const ComparisonOptions& options) {
  if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
  double x = NumberAsDouble(a), y = NumberAsDouble(b);
  if (x == y) return true;
  if (options.exact_numbers) return false;
  double scale = std::max({1.0, std::fabs(x), std::fabs(y)});
  return std::fabs(x - y) <= options.tolerance * scale;
}

bool IsObject(const Value& v) { return v.is_struct() || v.is_map(); }

// Fields of a struct or a map, with map keys as text (JSON object keys are strings).
std::vector<std::pair<std::string, const Value*>> ObjectFields(const Value& v) {
  std::vector<std::pair<std::string, const Value*>> fields;
  if (v.is_struct()) {
    const Struct& s = v.as_struct();
    for (size_t i = 0; i < s.size(); ++i) fields.emplace_back(s.name(i), &s.values[i]);
  } else {
    for (const auto& [k, val] : v.as_map()) fields.emplace_back(k.is_string() ? k.as_string() : k.ToString(), &val);
  }
  return fields;
}

bool ObjectsEqual(const Value& expected, const Value& actual, const ComparisonOptions& options) {
  auto e = ObjectFields(expected), a = ObjectFields(actual);
  if (e.size() != a.size()) return false;
  std::map<std::string_view, const Value*> by_name;
  for (const auto& [name, value] : a) by_name[name] = value;
  if (by_name.size() != a.size()) return false;
  // As ksqlDB's test comparator (ExpectedRecordComparator.compareStruct): an expected field is looked up under its
  // own name, then under its upper-case form, since unquoted identifiers are upper-cased by ksqlDB.
  for (const auto& [name, value] : e) {
    auto it = by_name.find(name);
    if (it == by_name.end()) it = by_name.find(Upper(name));
    if (it == by_name.end() || !JsonValuesEqual(*value, *it->second, options)) return false;
  }
  return true;
}

bool HeadersEqual(const std::vector<Header>& e, const std::vector<Header>& a) { return e == a; }

std::string RenderHeaders(const std::vector<Header>& headers) {
  std::string out = "[";
  for (size_t i = 0; i < headers.size(); ++i) {
    if (i) out += ", ";
    out += headers[i].key + "=" + (headers[i].value ? "b64:" + EncodeBase64(*headers[i].value) : "null");
  }
  return out + "]";
}

std::string RenderWindow(const WindowBounds& w) {
  return "[" + std::to_string(w.start) + ", " + std::to_string(w.end) + (w.session ? "] session" : "] time");
}

// Which part of a record differs first, or empty when the record matches.
std::string FirstDifferingPart(const ExpectedRecord& e, const Record& a, const ComparisonOptions& options) {
  if (!JsonValuesEqual(e.key, NormalizeToJson(a.key), options)) return "key";
  if (!JsonValuesEqual(e.value, NormalizeToJson(a.value), options)) return "value";
  if (e.timestamp && *e.timestamp != a.timestamp) return "timestamp";
  if (e.window && (!a.window || !(*e.window == *a.window))) return "window";
  if (e.headers && !HeadersEqual(*e.headers, a.headers)) return "headers";
  if (e.record_topic && *e.record_topic != a.topic) return "topic";
  return {};
}

std::string PartOfExpected(const ExpectedRecord& e, const std::string& part) {
  if (part == "key") return ToJson(e.key);
  if (part == "value") return ToJson(e.value);
  if (part == "timestamp") return std::to_string(*e.timestamp);
  if (part == "window") return RenderWindow(*e.window);
  if (part == "topic") return *e.record_topic;
  return RenderHeaders(*e.headers);
}

std::string PartOfActual(const Record& a, const std::string& part) {
  if (part == "key") return ToJson(NormalizeToJson(a.key));
  if (part == "value") return ToJson(NormalizeToJson(a.value));
  if (part == "timestamp") return std::to_string(a.timestamp);
  if (part == "window") return a.window ? RenderWindow(*a.window) : "none";
  if (part == "topic") return a.topic;
  return RenderHeaders(a.headers);
}

std::string Clip(std::string s, size_t limit = 160) {
  if (s.size() > limit) s = s.substr(0, limit) + "…";
  return s;
}

struct StreamRecords {
  std::string name;  // as first seen (expected spelling wins)
  std::vector<const ExpectedRecord*> expected;
  std::vector<const Record*> actual;
};

}  // namespace

Value NormalizeToJson(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kBytes:
      return Value(EncodeBase64(v.as_bytes().data));
    case Value::Kind::kDate:
      return Value(int64_t{v.as_date().days});
    case Value::Kind::kTime:
      return Value(v.as_time().millis);
    case Value::Kind::kTimestamp:
      return Value(v.as_timestamp().millis);
    case Value::Kind::kArray: {
      Array items;
      items.reserve(v.as_array().size());
      for (const Value& item : v.as_array()) items.push_back(NormalizeToJson(item));
      return Value(std::move(items));
    }
    case Value::Kind::kMap: {
      Map entries;
      for (const auto& [k, val] : v.as_map())
        entries.emplace_back(k.is_string() ? k : Value(k.ToString()), NormalizeToJson(val));
      return Value(std::move(entries));
    }
    case Value::Kind::kStruct: {
      const Struct& s = v.as_struct();
      Struct copy{s.names, {}};
      copy.values.reserve(s.size());
      for (const Value& field : s.values) copy.values.push_back(NormalizeToJson(field));
      return Value(std::move(copy));
    }
    default:
      return v;
  }
}

bool JsonValuesEqual(const Value& expected, const Value& actual, const ComparisonOptions& options) {
  // A double JSON cannot hold as a number is written as text (NaN, Infinity).
  if (actual.is_double() && expected.is_string() && !std::isfinite(actual.as_double()))
    return expected.as_string() == NonFiniteDoubleText(actual.as_double());
  if (expected.is_number() && actual.is_number()) return NumbersEqual(expected, actual, options);
  if (IsObject(expected) && IsObject(actual)) return ObjectsEqual(expected, actual, options);
  if (expected.kind() != actual.kind()) return false;
  if (expected.is_array()) {
    const Array& e = expected.as_array();
    const Array& a = actual.as_array();
    if (e.size() != a.size()) return false;
    for (size_t i = 0; i < e.size(); ++i)
      if (!JsonValuesEqual(e[i], a[i], options)) return false;
    return true;
  }
  return expected == actual;
}

std::string DescribeExpected(const ExpectedRecord& r) {
  std::string out = "key=" + ToJson(r.key) + " value=" + ToJson(r.value);
  if (r.timestamp) out += " timestamp=" + std::to_string(*r.timestamp);
  if (r.window) out += " window=" + RenderWindow(*r.window);
  if (r.headers) out += " headers=" + RenderHeaders(*r.headers);
  if (r.record_topic) out += " topic=" + *r.record_topic;
  return out;
}

std::string DescribeActual(const Record& r) {
  std::string out = "key=" + ToJson(NormalizeToJson(r.key)) + " value=" + ToJson(NormalizeToJson(r.value)) +
                    " timestamp=" + std::to_string(r.timestamp);
  if (r.window) out += " window=" + RenderWindow(*r.window);
  if (!r.headers.empty()) out += " headers=" + RenderHeaders(r.headers);
  return out;
}

OutputComparison CompareOutputs(const std::vector<ExpectedRecord>& expected, const std::vector<sql::Emitted>& actual,
                                const std::vector<std::string>& checked_streams, const ComparisonOptions& options) {
  // Streams in the order the test names them, then the ones only checked for emptiness.
  std::vector<StreamRecords> streams;
  std::map<std::string, size_t> index_of;
  auto stream_for = [&](const std::string& name) -> StreamRecords& {
    auto [it, inserted] = index_of.emplace(Lower(name), streams.size());
    if (inserted) streams.push_back({name, {}, {}});
    return streams[it->second];
  };
  for (const ExpectedRecord& e : expected) stream_for(e.topic).expected.push_back(&e);
  for (const std::string& name : checked_streams) stream_for(name);
  for (const sql::Emitted& a : actual) {
    auto it = index_of.find(Lower(a.topic));
    if (it != index_of.end()) streams[it->second].actual.push_back(&a.record);
  }

  OutputComparison result;
  for (const StreamRecords& s : streams) {
    size_t n = std::max(s.expected.size(), s.actual.size());
    std::string lines;
    bool stream_matches = true;
    for (size_t i = 0; i < n; ++i) {
      std::string number = std::to_string(i + 1);
      number.resize(std::to_string(n).size(), ' ');  // keeps the columns aligned past #9
      std::string position = "  #" + number + " ";
      if (i >= s.actual.size()) {
        lines += position + "missing  " + DescribeExpected(*s.expected[i]) + "\n";
        if (result.matches)
          result.first_difference = "output differs: " + s.name + " has " + std::to_string(s.actual.size()) +
                                    " records, expected " + std::to_string(s.expected.size());
      } else if (i >= s.expected.size()) {
        lines += position + "extra    " + DescribeActual(*s.actual[i]) + "\n";
        if (result.matches)
          result.first_difference = "output differs: " + s.name + " has " + std::to_string(s.actual.size()) +
                                    " records, expected " + std::to_string(s.expected.size());
      } else {
        std::string part = FirstDifferingPart(*s.expected[i], *s.actual[i], options);
        if (part.empty()) {
          lines += position + "ok       " + DescribeActual(*s.actual[i]) + "\n";
          continue;
        }
        lines += position + "expected " + DescribeExpected(*s.expected[i]) + "\n";
        lines += std::string(position.size(), ' ') + "actual   " + DescribeActual(*s.actual[i]) + "\n";
        if (result.matches)
          result.first_difference = "output differs: " + s.name + " #" + std::to_string(i + 1) + " " + part +
                                    ": expected " + Clip(PartOfExpected(*s.expected[i], part)) + ", got " +
                                    Clip(PartOfActual(*s.actual[i], part));
      }
      stream_matches = false;
      result.matches = false;
    }
    result.diff += "stream " + s.name + ": expected " + std::to_string(s.expected.size()) + ", got " +
                   std::to_string(s.actual.size()) + (stream_matches ? " (matches)\n" : "\n") + lines;
  }
  return result;
}

}  // namespace pipeline::testing
