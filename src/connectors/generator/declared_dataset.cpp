// Records whose fields are declared in the pipeline file:
//
//   fields:
//     id:     {type: int, sequence: true, start: 1, step: 1}
//     user:   {type: string, format: "user_{n}", min: 1, max: 50}
//     amount: {type: double, min: 1, max: 500, null_rate: 0.05}
//     status: {type: string, choices: [new, paid, shipped]}
//     at:     timestamp                     # shorthand for {type: timestamp}: the simulated event time
//
// Everything is parsed and checked once; Generate only draws numbers.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "connectors/generator/dataset.h"

namespace pipeline::generator {

namespace {

constexpr int64_t kMaxStringLength = 1 << 20;  // a generated string; a record is built in memory

enum class FieldType { kInt, kDouble, kString, kBool, kTimestamp };

struct FieldRule {
  std::string name;
  FieldType type = FieldType::kString;
  bool has_min = false, has_max = false;
  double min = 0, max = 0;
  std::vector<Value> choices;
  bool sequence = false;
  double start = 0, step = 1;
  std::string format_prefix, format_suffix;  // around "{n}"
  bool has_format = false;
  int64_t length = 8;
  double null_rate = 0;
};

Result<double> NumberOf(const YAML::Node& node, const std::string& field, const char* key) {
  const std::string& text = node.Scalar();
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (!node.IsScalar() || text.empty() || *end != '\0')
    return ConfigError("field '" + field + "': " + key + " must be a number, got '" + text + "'");
  if (!std::isfinite(v))
    return ConfigError("field '" + field + "': " + key + " must be a finite number, got '" + text + "'");
  return v;
}

Result<Value> ChoiceOf(const YAML::Node& node, const FieldRule& rule) {
  if (!node.IsScalar()) return ConfigError("field '" + rule.name + "': choices must be scalars");
  const std::string& text = node.Scalar();
  switch (rule.type) {
    case FieldType::kString: return Value(text);
    case FieldType::kBool:
      if (text == "true" || text == "false") return Value(text == "true");
      return ConfigError("field '" + rule.name + "': choice '" + text + "' is not true/false");
    case FieldType::kInt:
    case FieldType::kTimestamp: {
      char* end = nullptr;
      errno = 0;
      long long v = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || errno == ERANGE)
        return ConfigError("field '" + rule.name + "': choice '" + text + "' is not an integer");
      return rule.type == FieldType::kInt ? Value(static_cast<int64_t>(v)) : Value(Timestamp{v});
    }
    case FieldType::kDouble: {
      auto v = NumberOf(node, rule.name, "a choice");
      if (!v.ok()) return v.error();
      return Value(*v);
    }
  }
  return Value();
}

Result<FieldRule> ParseRule(const std::string& name, const YAML::Node& spec) {
  FieldRule rule;
  rule.name = name;
  YAML::Node type_node = spec.IsScalar() ? spec : spec["type"];
  if (!spec.IsScalar() && !spec.IsMap())
    return ConfigError("field '" + name + "': expected a type name or a map like {type: int, min: 0, max: 9}");
  std::string type = type_node ? type_node.Scalar() : "string";
  if (type == "int") rule.type = FieldType::kInt;
  else if (type == "double") rule.type = FieldType::kDouble;
  else if (type == "string") rule.type = FieldType::kString;
  else if (type == "bool") rule.type = FieldType::kBool;
  else if (type == "timestamp") rule.type = FieldType::kTimestamp;
  else return ConfigError("field '" + name + "': unknown type '" + type + "' (int, double, string, bool, timestamp)");
  if (spec.IsScalar()) return rule;

  for (const auto& kv : spec) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (key == "type") continue;
    if (key == "min" || key == "max" || key == "start" || key == "step" || key == "null_rate" || key == "length") {
      auto number = NumberOf(v, name, key.c_str());
      if (!number.ok()) return number.error();
      if (key == "min") rule.has_min = true, rule.min = *number;
      if (key == "max") rule.has_max = true, rule.max = *number;
      if (key == "start") rule.start = *number;
      if (key == "step") rule.step = *number;
      if (key == "null_rate") rule.null_rate = *number;
      if (key == "length") rule.length = *number < 0 ? -1 : static_cast<int64_t>(std::min(*number, 1e15));
    } else if (key == "sequence") {
      rule.sequence = v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "yes");
    } else if (key == "choices") {
      if (!v.IsSequence() || v.size() == 0)
        return ConfigError("field '" + name + "': choices must be a non-empty list");
      for (const auto& c : v) {
        auto choice = ChoiceOf(c, rule);
        if (!choice.ok()) return choice.error();
        rule.choices.push_back(std::move(*choice));
      }
    } else if (key == "format") {
      if (rule.type != FieldType::kString)
        return ConfigError("field '" + name + "': format applies to string fields only");
      const std::string& f = v.Scalar();
      size_t pos = f.find("{n}");
      if (pos == std::string::npos) {  // a constant
        rule.choices = {Value(f)};
        continue;
      }
      rule.has_format = true;
      rule.format_prefix = f.substr(0, pos);
      rule.format_suffix = f.substr(pos + 3);
    } else {
      return ConfigError("field '" + name + "': unknown setting '" + key +
                         "' (type, min, max, choices, sequence, start, step, format, length, null_rate)");
    }
  }
  if (rule.has_min && rule.has_max && rule.min > rule.max)
    return ConfigError("field '" + name + "': min is greater than max");
  if (rule.null_rate < 0 || rule.null_rate > 1)
    return ConfigError("field '" + name + "': null_rate must be between 0 and 1");
  // A string of the given length is built per record: a length in the billions ended the process.
  if (rule.length < 0 || rule.length > kMaxStringLength)
    return ConfigError("field '" + name + "': length must be between 0 and " + std::to_string(kMaxStringLength));
  return rule;
}

class DeclaredDataset : public Dataset {
 public:
  DeclaredDataset(std::vector<FieldRule> rules, FieldNamesPtr names) : rules_(std::move(rules)), names_(std::move(names)) {}

  void Generate(uint64_t n, int64_t event_ms, Random& rng, Record& out) override {
    Struct s{names_, {}};
    s.values.reserve(rules_.size());
    for (const auto& rule : rules_) {
      if (rule.null_rate > 0 && rng.Chance(rule.null_rate)) {
        s.values.emplace_back();
        continue;
      }
      s.values.push_back(ValueOf(rule, n, event_ms, rng));
    }
    out.value = Value(std::move(s));
  }

 private:
  static int64_t IntOf(const FieldRule& rule, uint64_t n, Random& rng, int64_t lo, int64_t hi) {
    if (rule.sequence) return static_cast<int64_t>(rule.start + static_cast<double>(n) * rule.step);
    return rng.Between(rule.has_min ? static_cast<int64_t>(rule.min) : lo,
                       rule.has_max ? static_cast<int64_t>(rule.max) : hi);
  }

  static Value ValueOf(const FieldRule& rule, uint64_t n, int64_t event_ms, Random& rng) {
    if (!rule.choices.empty())
      return rule.choices[rule.sequence ? n % rule.choices.size() : rng.Below(rule.choices.size())];
    switch (rule.type) {
      case FieldType::kInt: return Value(IntOf(rule, n, rng, 0, 1000));
      case FieldType::kDouble: {
        if (rule.sequence) return Value(rule.start + static_cast<double>(n) * rule.step);
        double lo = rule.has_min ? rule.min : 0, hi = rule.has_max ? rule.max : 1;
        return Value(lo + rng.NextDouble() * (hi - lo));
      }
      case FieldType::kBool: return Value(rule.sequence ? n % 2 == 1 : rng.Below(2) == 1);
      case FieldType::kTimestamp:
        if (rule.has_min || rule.has_max || rule.sequence) return Value(Timestamp{IntOf(rule, n, rng, 0, event_ms)});
        return Value(Timestamp{event_ms});
      case FieldType::kString: {
        std::string s;
        if (rule.has_format) {
          s = rule.format_prefix;
          s += std::to_string(IntOf(rule, n, rng, 0, 1000));
          s += rule.format_suffix;
        } else {
          s.reserve(rule.length);
          rng.AppendLetters(static_cast<size_t>(rule.length), s);
        }
        return Value(std::move(s));
      }
    }
    return Value();
  }

  std::vector<FieldRule> rules_;
  FieldNamesPtr names_;
};

}  // namespace

Result<std::unique_ptr<Dataset>> MakeDeclaredDataset(const YAML::Node& fields) {
  if (!fields.IsMap() || fields.size() == 0)
    return ConfigError("fields must be a map of field name -> {type: int|double|string|bool|timestamp, ...}");
  std::vector<FieldRule> rules;
  auto names = std::make_shared<FieldNames>();
  for (const auto& kv : fields) {
    auto rule = ParseRule(kv.first.Scalar(), kv.second);
    if (!rule.ok()) return rule.error();
    names->names.push_back(rule->name);
    rules.push_back(std::move(*rule));
  }
  return std::unique_ptr<Dataset>(std::make_unique<DeclaredDataset>(std::move(rules), std::move(names)));
}

}  // namespace pipeline::generator
