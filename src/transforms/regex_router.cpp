// RegexRouter: rewrites the record's topic (stream name) when the whole name matches `regex`, as Kafka Connect's
// RegexRouter. `replacement` uses Java's syntax: $1 (or ${name}) for groups, \$ for a dollar sign.
#include <re2/re2.h>

#include <cctype>

#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

// One piece of a compiled replacement: literal text, or a group reference (group >= 0).
struct ReplacementPart {
  std::string text;
  int group = -1;
};

// Compiles a Java Matcher replacement string against the groups of `regex`.
Result<std::vector<ReplacementPart>> CompileReplacement(const std::string& r, const RE2& regex) {
  std::vector<ReplacementPart> parts;
  auto literal = [&](char c) {
    if (parts.empty() || parts.back().group >= 0) parts.push_back({});
    parts.back().text += c;
  };
  int groups = regex.NumberOfCapturingGroups();
  for (size_t i = 0; i < r.size(); ++i) {
    char c = r[i];
    if (c == '\\') {
      if (++i == r.size()) return ConfigError("replacement ends with a lone backslash");
      literal(r[i]);
    } else if (c == '$') {
      if (++i == r.size()) return ConfigError("replacement ends with a lone '$' (write \\$ for a dollar sign)");
      if (r[i] == '{') {
        size_t close = r.find('}', i);
        if (close == std::string::npos) return ConfigError("unterminated ${name} in replacement");
        std::string name = r.substr(i + 1, close - i - 1);
        const auto& named = regex.NamedCapturingGroups();
        auto it = named.find(name);
        if (it == named.end()) return ConfigError("replacement names group '" + name + "', which the regex lacks");
        parts.push_back({"", it->second});
        i = close;
      } else if (std::isdigit(static_cast<unsigned char>(r[i]))) {
        // Java reads as many digits as still name an existing group.
        int group = r[i] - '0';
        if (group > groups)
          return ConfigError("replacement refers to group " + std::to_string(group) + " but the regex has " +
                             std::to_string(groups));
        while (i + 1 < r.size() && std::isdigit(static_cast<unsigned char>(r[i + 1])) &&
               group * 10 + (r[i + 1] - '0') <= groups)
          group = group * 10 + (r[++i] - '0');
        parts.push_back({"", group});
      } else {
        return ConfigError("'$' must be followed by a group number or {name} (write \\$ for a dollar sign)");
      }
    } else {
      literal(c);
    }
  }
  return parts;
}

class RegexRouter final : public RecordTransform {
 public:
  RegexRouter(std::unique_ptr<RE2> regex, std::vector<ReplacementPart> replacement)
      : regex_(std::move(regex)),
        replacement_(std::move(replacement)),
        groups_(static_cast<size_t>(regex_->NumberOfCapturingGroups()) + 1) {}

  Result<bool> Apply(Record& record) override {
    re2::StringPiece topic(record.topic);
    if (!regex_->Match(topic, 0, topic.size(), RE2::ANCHOR_BOTH, groups_.data(), static_cast<int>(groups_.size())))
      return true;
    std::string routed;
    for (const auto& part : replacement_) {
      if (part.group < 0)
        routed += part.text;
      else
        routed.append(groups_[static_cast<size_t>(part.group)].data(), groups_[static_cast<size_t>(part.group)].size());
    }
    record.topic = std::move(routed);
    return true;
  }

 private:
  std::unique_ptr<RE2> regex_;
  std::vector<ReplacementPart> replacement_;
  std::vector<re2::StringPiece> groups_;  // scratch for the match
};

ComponentSpec Spec() {
  ComponentSpec spec;
  spec.type = "RegexRouter";
  spec.summary = "Rename the record's topic (stream name) when the whole name matches a regex.";
  spec.options = {
      {"regex", OptionType::kString, "Regular expression (RE2) that must match the whole topic name.", "", true},
      {"replacement", OptionType::kString,
       "The new topic name; $1 or ${name} insert capture groups (Java syntax), \\$ a dollar sign. In a pipeline "
       "file write ${name} as $${name}: ${NAME} alone is replaced from the environment.",
       "", true},
  };
  spec.example = "transforms:\n  - type: RegexRouter\n    regex: \"(.*)-raw\"\n    replacement: \"$1-clean\"\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&) {
  auto regex = std::make_unique<RE2>(options.GetString("regex"), RE2::Quiet);
  if (!regex->ok()) return options.ErrorAt("regex", "bad regex: " + regex->error());
  auto replacement = CompileReplacement(options.GetString("replacement"), *regex);
  if (!replacement.ok()) return options.ErrorAt("replacement", replacement.error().message());
  return std::unique_ptr<RecordTransform>(new RegexRouter(std::move(regex), std::move(replacement).value()));
}

}  // namespace

void RegisterRegexRouter(Registry& registry) { AddPredicatedTransform(registry, Spec(), Build); }

}  // namespace pipeline
