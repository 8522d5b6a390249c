#include "transforms/predicates/record_predicate.h"

#include <re2/re2.h>

#include <set>

#include "transforms/predicates/condition.h"

namespace pipeline {
namespace {

// TopicNameMatches: the whole topic name matches the Java-style regex `pattern`.
class TopicNameMatches final : public RecordPredicate {
 public:
  explicit TopicNameMatches(std::unique_ptr<RE2> regex) : regex_(std::move(regex)) {}
  bool Test(const Record& record) override { return RE2::FullMatch(record.topic, *regex_); }

 private:
  std::unique_ptr<RE2> regex_;
};

// HasHeaderKey: at least one header has the key `name` (whatever its value, even null).
class HasHeaderKey final : public RecordPredicate {
 public:
  explicit HasHeaderKey(std::string name) : name_(std::move(name)) {}
  bool Test(const Record& record) override {
    for (const auto& h : record.headers)
      if (h.key == name_) return true;
    return false;
  }

 private:
  std::string name_;
};

// RecordIsTombstone: the value is null.
class RecordIsTombstone final : public RecordPredicate {
 public:
  bool Test(const Record& record) override { return record.value.is_null(); }
};

class ConditionPredicate final : public RecordPredicate {
 public:
  explicit ConditionPredicate(Condition condition) : condition_(std::move(condition)) {}
  bool Test(const Record& record) override { return condition_.Matches(record); }

 private:
  Condition condition_;
};

Result<std::unique_ptr<RecordPredicate>> FromCondition(const Options& options, const std::string& option,
                                                       const std::string& text) {
  auto condition = Condition::Parse(text);
  if (!condition.ok()) return options.ErrorAt(option, condition.error().message());
  return std::unique_ptr<RecordPredicate>(new ConditionPredicate(std::move(condition).value()));
}

// The predicate object {type: …, …}: checks its keys against what its type accepts.
Result<std::unique_ptr<RecordPredicate>> FromObject(const Options& options, const std::string& option,
                                                    const YAML::Node& node) {
  std::string type = node["type"] ? node["type"].Scalar() : "";
  std::set<std::string> allowed = {"type"};
  if (type == "TopicNameMatches")
    allowed.insert("pattern");
  else if (type == "HasHeaderKey")
    allowed.insert("name");
  else if (type == "Condition")
    allowed.insert("condition");
  else if (type != "RecordIsTombstone")
    return options.ErrorAt(option, "unknown predicate type '" + type +
                                       "' (known: TopicNameMatches, HasHeaderKey, RecordIsTombstone, Condition)");
  for (const auto& kv : node) {
    std::string key = kv.first.Scalar();
    if (!allowed.count(key)) return options.ErrorAt(option, "predicate " + type + " has no option '" + key + "'");
  }
  auto required = [&](const char* key) -> Result<std::string> {
    YAML::Node v = node[key];
    if (!v || !v.IsScalar() || v.Scalar().empty())
      return options.ErrorAt(option, std::string("predicate ") + type + " needs `" + key + "`");
    return v.Scalar();
  };
  if (type == "TopicNameMatches") {
    auto pattern = required("pattern");
    if (!pattern.ok()) return pattern.error();
    auto regex = std::make_unique<RE2>(*pattern, RE2::Quiet);
    if (!regex->ok()) return options.ErrorAt(option, "bad pattern \"" + *pattern + "\": " + regex->error());
    return std::unique_ptr<RecordPredicate>(new TopicNameMatches(std::move(regex)));
  }
  if (type == "HasHeaderKey") {
    auto name = required("name");
    if (!name.ok()) return name.error();
    return std::unique_ptr<RecordPredicate>(new HasHeaderKey(*name));
  }
  if (type == "Condition") {
    auto text = required("condition");
    if (!text.ok()) return text.error();
    return FromCondition(options, option, *text);
  }
  return std::unique_ptr<RecordPredicate>(new RecordIsTombstone());
}

}  // namespace

Result<std::unique_ptr<RecordPredicate>> BuildPredicate(const Options& options, const std::string& option) {
  YAML::Node node = options.Raw(option);
  if (node.IsScalar()) return FromCondition(options, option, node.Scalar());
  if (node.IsMap()) return FromObject(options, option, node);
  return options.ErrorAt(option,
                         "expected a condition string or an object {type: TopicNameMatches|HasHeaderKey|"
                         "RecordIsTombstone, …}");
}

}  // namespace pipeline
