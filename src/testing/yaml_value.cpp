#include "testing/yaml_value.h"

#include <charconv>
#include <cstdlib>
#include <memory>

#include <re2/re2.h>

namespace pipeline::testing {
namespace {

bool IsNullText(const std::string& s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

Value PlainScalar(const std::string& s) {
  if (IsNullText(s)) return Value();
  if (s == "true" || s == "True" || s == "TRUE") return Value(true);
  if (s == "false" || s == "False" || s == "FALSE") return Value(false);
  static const re2::RE2 kInt("[-+]?[0-9]+");
  static const re2::RE2 kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (re2::RE2::FullMatch(s, kInt)) {
    int64_t v = 0;
    const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
    auto [end, ec] = std::from_chars(begin, s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) return Value(v);
    return Value(std::strtod(s.c_str(), nullptr));  // beyond int64: keep it a number
  }
  if (re2::RE2::FullMatch(s, kFloat)) return Value(std::strtod(s.c_str(), nullptr));
  return Value(s);
}

}  // namespace

Value YamlToValue(const YAML::Node& node) {
  if (!node.IsDefined()) return Value();  // a missing key (yaml-cpp throws on Type() of such a node)
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Value();
    case YAML::NodeType::Scalar:
      // yaml-cpp tags quoted scalars "!" and plain ones "?".
      if (node.Tag() == "!") return Value(node.Scalar());
      return PlainScalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      Array items;
      for (const auto& item : node) items.push_back(YamlToValue(item));
      return Value(std::move(items));
    }
    case YAML::NodeType::Map: {
      auto names = std::make_shared<FieldNames>();
      std::vector<Value> values;
      for (const auto& entry : node) {
        names->names.push_back(entry.first.as<std::string>());
        values.push_back(YamlToValue(entry.second));
      }
      return Value(Struct{std::move(names), std::move(values)});
    }
  }
  return Value();
}

}  // namespace pipeline::testing
