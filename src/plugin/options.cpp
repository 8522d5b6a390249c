#include "plugin/options.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "plugin/option_text.h"
#include "plugin/text_position.h"

namespace pipeline {

std::string Location::ToString() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

Location NodeLocation(const YAML::Node& n, const std::string& file) {
  const std::string& tag = n.Tag();
  if (tag.starts_with(kOverrideTagPrefix)) return {"--set " + tag.substr(std::string_view(kOverrideTagPrefix).size())};
  YAML::Mark m = n.Mark();
  return {file, m.line + 1, m.column + 1};
}

bool IsHiddenValue(const YAML::Node& value, const OptionSpec* option) {
  return (option && option->secret) || value.Tag() == kFromEnvironmentTag;
}

namespace {

// The pipeline file as it is on disk, to place a position inside an option's text (only ever read for an error).
std::string FileText(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `message` with every occurrence of `secret` replaced, for messages that quote what they were given.
std::string Redacted(std::string message, const std::string& secret) {
  if (secret.empty()) return message;
  for (size_t at = message.find(secret); at != std::string::npos; at = message.find(secret, at + 10))
    message.replace(at, secret.size(), "<redacted>");
  return message;
}

}  // namespace

Options::Options(const ComponentSpec* spec, YAML::Node node, std::string file)
    : spec_(spec), node_(std::move(node)), file_(std::move(file)) {}

namespace {

std::function<void(const std::string&, const std::string&)>& UndeclaredReadWatcher() {
  static std::function<void(const std::string&, const std::string&)> watcher;
  return watcher;
}

const std::vector<OptionSpec> kNoOptions;

}  // namespace

void Options::WatchUndeclaredReads(std::function<void(const std::string&, const std::string&)> watcher) {
  UndeclaredReadWatcher() = std::move(watcher);
}

const std::vector<OptionSpec>& Options::Declared() const {
  if (fields_) return *fields_;
  return spec_ ? spec_->options : kNoOptions;
}

const OptionSpec* Options::Find(const std::string& name) const {
  for (const auto& o : Declared())
    if (o.name == name) return &o;
  if ((spec_ || fields_) && UndeclaredReadWatcher()) UndeclaredReadWatcher()(spec_ ? spec_->type : "", name);
  return nullptr;
}

YAML::Node Options::NodeFor(const std::string& name) const {
  if (!node_.IsMap()) return YAML::Node();
  YAML::Node n = node_[name];
  if (n.IsDefined() && !n.IsNull()) return n;
  for (const auto& o : Declared()) {
    if (o.deprecated_for != name) continue;
    YAML::Node old = node_[o.name];
    if (old.IsDefined() && !old.IsNull()) return old;
  }
  return YAML::Node();
}

bool Options::Has(const std::string& name) const {
  Find(name);  // tells a watcher about reads of undeclared options
  YAML::Node n = NodeFor(name);
  return n.IsDefined() && !n.IsNull();
}

YAML::Node Options::Raw(const std::string& name) const {
  YAML::Node n = NodeFor(name);
  return n.IsDefined() ? n : YAML::Node();
}

std::string Options::Text(const std::string& name) const {
  const OptionSpec* o = Find(name);
  YAML::Node n = NodeFor(name);
  if (n.IsDefined() && n.IsScalar()) return n.Scalar();
  return o ? o->default_value : std::string();
}

Options Options::Object(const std::string& name) const {
  const OptionSpec* o = Find(name);
  Options nested(spec_, Raw(name), file_);
  nested.fields_ = o ? &o->fields : &kNoOptions;
  if (!nested.node_.IsMap()) nested.node_ = YAML::Node(YAML::NodeType::Map);
  return nested;
}

std::vector<Options> Options::ObjectList(const std::string& name) const {
  const OptionSpec* o = Find(name);
  std::vector<Options> out;
  YAML::Node list = Raw(name);
  if (!list.IsSequence()) return out;
  for (const auto& item : list) {
    Options nested(spec_, item, file_);
    nested.fields_ = o ? &o->fields : &kNoOptions;
    out.push_back(std::move(nested));
  }
  return out;
}

std::string Options::GetString(const std::string& name) const { return Text(name); }

// The loader has checked the value (ParseInt64, ParseFiniteDouble); 0 stands for what it would have rejected.
int64_t Options::GetInt(const std::string& name) const { return ParseInt64(Text(name)).value_or(0); }

double Options::GetDouble(const std::string& name) const { return ParseFiniteDouble(Text(name)).value_or(0); }

bool Options::GetBool(const std::string& name) const {
  std::string t = Text(name);
  return t == "true" || t == "yes" || t == "on" || t == "1";
}

int64_t Options::GetDurationMs(const std::string& name) const { return ParseDurationMs(Text(name)).value_or(0); }

std::vector<std::string> Options::GetStringList(const std::string& name) const {
  std::vector<std::string> out;
  if (Has(name)) {
    YAML::Node n = NodeFor(name);
    if (n.IsSequence()) {
      for (const auto& item : n) out.push_back(item.Scalar());
      return out;
    }
  }
  // A scalar is a comma-separated list (Kafka Connect style: "a,b,c").
  std::string text = Text(name);
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    start = comma + 1;
  }
  return out;
}

std::map<std::string, std::string> Options::GetMap(const std::string& name) const {
  std::map<std::string, std::string> out;
  YAML::Node n = Raw(name);
  if (n.IsMap())
    for (const auto& kv : n) out[kv.first.Scalar()] = kv.second.IsScalar() ? kv.second.Scalar() : "";
  return out;
}

Location Options::LocationOf(const std::string& name) const {
  return NodeLocation(Has(name) ? NodeFor(name) : node_, file_);
}

// A builder's message may quote the option's value (or, for a mapping such as Kafka's `properties`, one of its
// values): a secret or a value from the environment is replaced before the message leaves.
Error Options::ErrorAt(const std::string& name, const std::string& message) const {
  std::string shown = message;
  YAML::Node n = Raw(name);
  const OptionSpec* option = Find(name);
  if (n.IsScalar() && IsHiddenValue(n, option)) shown = Redacted(shown, n.Scalar());
  if (n.IsMap() || n.IsSequence())
    for (const auto& item : n) {
      YAML::Node v = n.IsMap() ? item.second : YAML::Node(item);
      if (v.IsScalar() && IsHiddenValue(v, option)) shown = Redacted(shown, v.Scalar());
    }
  // "2:54: …" about the option's own text (the SQL engine's positions) is said at the file's line and column.
  if (n.IsScalar() && shown.size() > 4 && std::isdigit(static_cast<unsigned char>(shown[0])))
    if (auto placed = PositionInFile(n, file_, FileText(file_), shown))
      return ConfigError(placed->at.ToString() + ": " + placed->message);
  return ConfigError(LocationOf(name).ToString() + ": " + name + ": " + shown);
}

std::optional<int64_t> ParseDurationMs(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double n = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(n) || n < 0) return std::nullopt;
  std::string unit(end);
  double factor;
  if (unit.empty() || unit == "ms") factor = 1;
  else if (unit == "s") factor = 1000;
  else if (unit == "m" || unit == "min") factor = 60'000;
  else if (unit == "h") factor = 3'600'000;
  else if (unit == "d") factor = 86'400'000;
  else return std::nullopt;
  double ms = n * factor;
  if (ms >= 9.2e18) return std::nullopt;  // llround beyond int64 is undefined
  return static_cast<int64_t>(std::llround(ms));
}

bool IsIntegerText(const std::string& text) {
  size_t digits = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
  return text.size() > digits && text.find_first_not_of("0123456789", digits) == std::string::npos;
}

std::optional<int64_t> ParseInt64(const std::string& text) {
  if (!IsIntegerText(text)) return std::nullopt;
  errno = 0;
  long long n = std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE) return std::nullopt;
  return static_cast<int64_t>(n);
}

std::optional<double> ParseFiniteDouble(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  char* end = nullptr;
  double n = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !std::isfinite(n)) return std::nullopt;
  return n;
}

}  // namespace pipeline
