// Pipeline file → PipelineConfig: parse YAML, substitute ${VAR} in its values, check every key against the
// registry's specs, and collect every error with its file:line:col before giving up.
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/common_keys.h"
#include "config/env_substitution.h"
#include "config/pipeline_config.h"
#include "core/suggest.h"
#include "plugin/option_text.h"
#include "plugin/registry.h"

extern char** environ;

namespace pipeline::config {

namespace {

Location At(const YAML::Node& n, const std::string& file) { return NodeLocation(n, file); }

std::string Quoted(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

constexpr int64_t kMaxPartitions = 100'000;  // beyond any Kafka cluster's limit; keeps the count an int

// What a scalar given for an integer option should be, or "" when it is one: an integer in form that does not
// fit 64 bits is told apart from text that is not an integer at all.
std::string IntegerProblem(const std::string& text) {
  if (ParseInt64(text)) return "";
  return IsIntegerText(text) ? "an integer between -9223372036854775808 and 9223372036854775807" : "an integer";
}

// The same for a number option: inf, nan and numbers beyond a double (1e400) are not numbers anything can use.
std::string NumberProblem(const std::string& text) {
  if (ParseFiniteDouble(text)) return "";
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0' ? "a finite number (at most about 1.8e308)" : "a number";
}

class Loader {
 public:
  Loader(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags), registry_(BuiltinRegistry()) {}

  void Load(const YAML::Node& root, PipelineConfig& config) {
    if (!root.IsMap()) {
      diags_.Add(At(root, file_), "a pipeline file is a mapping with sections sources, transforms and sinks");
      return;
    }
    for (const auto& kv : root) {
      std::string key = kv.first.Scalar();
      if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), key) == kTopLevelKeys.end())
        diags_.Add(At(kv.first, file_), "unknown section '" + key + "'" + DidYouMean(key, kTopLevelKeys) +
                                             "; expected one of: " + Quoted(kTopLevelKeys));
    }
    LoadSection(root["sources"], ComponentKind::kSource, config.sources);
    LoadSection(root["transforms"], ComponentKind::kStage, config.stages);
    LoadSection(root["sinks"], ComponentKind::kSink, config.sinks);
    LoadSettings(root["settings"], config);
    if (config.sources.empty() && !root["sources"].IsDefined())
      diags_.Add(At(root, file_), "the pipeline has no sources: add a `sources:` section");
    if (config.sinks.empty() && !root["sinks"].IsDefined())
      diags_.Add(At(root, file_), "the pipeline has no sinks: add a `sinks:` section");
  }

 private:
  void LoadSettings(const YAML::Node& n, PipelineConfig& config) {
    if (!n.IsDefined() || n.IsNull()) return;
    if (!n.IsMap()) return diags_.Add(At(n, file_), "settings: expected a mapping");
    CheckKeys(n, kSettingsKeys, {}, "settings");
    if (n["queue_capacity"]) {
      std::string v = n["queue_capacity"].IsScalar() ? n["queue_capacity"].Scalar() : "";
      std::optional<int64_t> capacity = ParseInt64(v);
      if (!capacity || *capacity < 1 || *capacity > kMaxQueueCapacity)
        diags_.Add(At(n["queue_capacity"], file_), "queue_capacity: expected an integer from 1 to " +
                                                       std::to_string(kMaxQueueCapacity) + ", got " +
                                                       Shown(n["queue_capacity"]));
      else
        config.queue_capacity = static_cast<size_t>(*capacity);
    }
  }

  void LoadSection(const YAML::Node& section, ComponentKind kind, std::vector<ComponentConfig>& out) {
    if (!section.IsDefined() || section.IsNull()) return;
    std::string what = kind == ComponentKind::kSource ? "sources" : kind == ComponentKind::kSink ? "sinks" : "transforms";
    if (!section.IsMap()) {
      diags_.Add(At(section, file_), what + ": expected a mapping of name → settings, e.g. `" + what + ":\\n  my_name:\\n    type: …`");
      return;
    }
    for (const auto& kv : section) {
      ComponentConfig c;
      c.name = kv.first.Scalar();
      c.kind = kind;
      c.node = kv.second;
      c.location = At(kv.first, file_);
      if (names_.count(c.name) && kind != ComponentKind::kSink)
        diags_.Add(c.location, "the name '" + c.name + "' is used twice; every stream needs its own name");
      if (kind != ComponentKind::kSink) names_.insert(c.name);
      if (LoadComponent(c)) out.push_back(std::move(c));
    }
  }

  bool LoadComponent(ComponentConfig& c) {
    if (!c.node.IsMap()) {
      diags_.Add(At(c.node, file_), c.name + ": expected a mapping with at least `type:`");
      return false;
    }
    YAML::Node type = c.node["type"];
    if (!type.IsDefined() || !type.IsScalar()) {
      diags_.Add(c.location, c.name + ": missing `type:`");
      return false;
    }
    c.type = type.Scalar();
    const std::vector<std::string>* common = &kSourceKeys;
    if (c.kind == ComponentKind::kSource) {
      c.spec = registry_.FindSpec(ComponentKind::kSource, c.type);
      if (!c.spec) return UnknownType(c, type, registry_.TypeNames(ComponentKind::kSource), "source");
    } else if (c.kind == ComponentKind::kSink) {
      common = &kSinkKeys;
      c.spec = registry_.FindSpec(ComponentKind::kSink, c.type);
      if (!c.spec) return UnknownType(c, type, registry_.TypeNames(ComponentKind::kSink), "sink");
    } else {
      common = &kStageKeys;
      c.spec = registry_.FindSpec(ComponentKind::kStage, c.type);
      if (!c.spec) c.spec = registry_.FindSpec(ComponentKind::kTransform, c.type);
      if (!c.spec) {
        auto names = registry_.TypeNames(ComponentKind::kStage);
        for (auto& n : registry_.TypeNames(ComponentKind::kTransform)) names.push_back(n);
        return UnknownType(c, type, names, "transform");
      }
    }
    CheckKeys(c.node, *common, c.spec, c.name);
    CheckOptionValues(c.node, *c.spec, c.name);
    LoadInputs(c);
    LoadErrorPolicy(c);
    if (c.kind != ComponentKind::kStage) LoadTransforms(c);
    if (c.kind == ComponentKind::kSink && c.node["flush_interval"]) {
      auto ms = ParseDurationMs(c.node["flush_interval"].Scalar());
      if (!ms) diags_.Add(At(c.node["flush_interval"], file_), c.name + ": flush_interval: expected a duration such as 500ms or 2s");
      else c.flush_interval_ms = *ms;
    }
    if (c.kind != ComponentKind::kStage) LoadRetry(c);
    LoadVia(c);
    return true;
  }

  bool UnknownType(const ComponentConfig& c, const YAML::Node& type, const std::vector<std::string>& names,
                   const std::string& what) {
    diags_.Add(At(type, file_), c.name + ": unknown " + what + " type '" + c.type + "'" + DidYouMean(c.type, names) +
                                    "; expected one of: " + Quoted(names));
    return false;
  }

  // `retry: {initial_backoff, max_backoff, max_elapsed}` (plugin/retry.h), the same on every source and sink.
  void LoadRetry(ComponentConfig& c) {
    YAML::Node n = c.node["retry"];
    if (!n.IsDefined() || n.IsNull()) return;
    const std::string owner = c.name + ": retry";
    if (!n.IsMap()) return diags_.Add(At(n, file_), owner + ": expected a mapping such as {initial_backoff: 100ms, "
                                                            "max_backoff: 10s, max_elapsed: 5m}");
    CheckKeys(n, kRetryKeys, nullptr, owner);
    auto duration = [&](const char* key) -> std::optional<std::chrono::milliseconds> {
      YAML::Node v = n[key];
      if (!v.IsDefined() || v.IsNull()) return std::nullopt;
      auto ms = v.IsScalar() ? ParseDurationMs(v.Scalar()) : std::nullopt;
      if (!ms || *ms < 0) {
        diags_.Add(At(v, file_), owner + "." + key + ": expected a duration such as 500ms, 2s or 5m");
        return std::nullopt;
      }
      return std::chrono::milliseconds(*ms);
    };
    if (auto d = duration("initial_backoff")) c.retry.initial_backoff = std::max(*d, std::chrono::milliseconds(1));
    if (auto d = duration("max_backoff")) c.retry.max_backoff = *d;
    if (auto d = duration("max_elapsed")) c.retry.max_elapsed = *d;
    if (c.retry.max_backoff < c.retry.initial_backoff)
      diags_.Add(At(n, file_), owner + ": max_backoff is shorter than initial_backoff");
  }

  void CheckKeys(const YAML::Node& node, const std::vector<std::string>& common, const ComponentSpec* spec,
                 const std::string& owner) {
    std::vector<std::string> allowed = common;
    if (spec)
      for (const auto& o : spec->options)
        if (std::find(allowed.begin(), allowed.end(), o.name) == allowed.end()) allowed.push_back(o.name);
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string where = spec ? std::string(ComponentKindName(spec->kind)) + " '" + spec->type + "'" : owner;
      diags_.Add(At(kv.first, file_), owner + ": unknown key '" + key + "'" + DidYouMean(key, allowed) + " for " +
                                          where + "; valid keys: " + Quoted(allowed));
    }
    if (!spec) return;
    for (const auto& o : spec->options)
      if (o.required && (!node[o.name].IsDefined() || node[o.name].IsNull()))
        diags_.Add(At(node, file_), owner + ": missing required option '" + o.name + "' (" + o.description + ")");
  }

  void CheckOptionValues(const YAML::Node& node, const ComponentSpec& spec, const std::string& owner) {
    for (const auto& o : spec.options) CheckOptionValue(node[o.name], o, owner);
  }

  // One option's value: its type, a deprecated name, and (objects) the fields inside, recursively.
  void CheckOptionValue(const YAML::Node& v, const OptionSpec& o, const std::string& owner) {
    if (!v.IsDefined() || v.IsNull()) return;
    if (!o.deprecated_for.empty())
      diags_.Warn(At(v, file_), owner + ": " + o.name + " is deprecated; use " + o.deprecated_for + " (same meaning)");
    std::string expected = ExpectedForm(o, v);
    if (!expected.empty()) {
      diags_.Add(At(v, file_), owner + ": " + o.name + ": expected " + expected + ", got " + Shown(v, &o));
      return;
    }
    if (o.type == OptionType::kObject) CheckFields(v, o.fields, owner + ": " + o.name);
    if (o.type == OptionType::kObjectList) {
      size_t i = 0;
      for (const auto& item : v) CheckFields(item, o.fields, owner + ": " + o.name + "[" + std::to_string(i++) + "]");
    }
  }

  // The keys of a nested object: unknown ones (with did-you-mean), missing required ones, and each value.
  void CheckFields(const YAML::Node& node, const std::vector<OptionSpec>& fields, const std::string& owner) {
    std::vector<std::string> allowed;
    for (const auto& f : fields) allowed.push_back(f.name);
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        diags_.Add(At(kv.first, file_), owner + ": unknown key '" + key + "'" + DidYouMean(key, allowed) +
                                            "; valid keys: " + Quoted(allowed));
    }
    for (const auto& f : fields) {
      if (f.required && (!node[f.name].IsDefined() || node[f.name].IsNull()))
        diags_.Add(At(node, file_), owner + ": missing required key '" + f.name + "' (" + f.description + ")");
      CheckOptionValue(node[f.name], f, owner);
    }
  }

  static std::string Shown(const YAML::Node& v, const OptionSpec* o = nullptr) {
    if (IsHiddenValue(v, o)) return o && o->secret ? "(hidden)" : "(hidden: from the environment)";
    if (v.IsScalar()) return "'" + v.Scalar() + "'";
    return v.IsSequence() ? "a list" : "a mapping";
  }

  // "" when the value fits the option's type, else the expected form.
  static std::string ExpectedForm(const OptionSpec& o, const YAML::Node& v) {
    switch (o.type) {
      case OptionType::kString: return v.IsScalar() ? "" : "a string";
      case OptionType::kInt: return v.IsScalar() ? IntegerProblem(v.Scalar()) : "an integer";
      case OptionType::kDouble: return v.IsScalar() ? NumberProblem(v.Scalar()) : "a number";
      case OptionType::kBool: {
        static const std::set<std::string> kBools = {"true", "false", "yes", "no", "on", "off"};
        return v.IsScalar() && kBools.count(v.Scalar()) ? "" : "true or false";
      }
      case OptionType::kDuration:
        return v.IsScalar() && ParseDurationMs(v.Scalar()) ? "" : "a duration such as 250ms, 5s, 1m or 2h";
      case OptionType::kEnum:
        if (v.IsScalar() && std::find(o.choices.begin(), o.choices.end(), v.Scalar()) != o.choices.end()) return "";
        return "one of " + Quoted(o.choices) + (v.IsScalar() ? DidYouMean(v.Scalar(), o.choices) : "");
      case OptionType::kStringList:
        if (v.IsScalar()) return "";
        if (v.IsSequence()) {
          for (const auto& item : v)
            if (!item.IsScalar()) return "a list of strings";
          return "";
        }
        return "a string or a list of strings";
      case OptionType::kMap: return v.IsMap() ? "" : "a mapping";
      case OptionType::kList: return v.IsSequence() ? "" : "a list";
      case OptionType::kAny: return "";
      case OptionType::kObject: return v.IsMap() ? "" : "a mapping";
      case OptionType::kObjectList:
        if (!v.IsSequence()) return "a list of mappings";
        for (const auto& item : v)
          if (!item.IsMap()) return "a list of mappings";
        return "";
    }
    return "";
  }

  void LoadInputs(ComponentConfig& c) {
    if (c.kind == ComponentKind::kSource) return;
    YAML::Node in = c.node["inputs"];
    if (!in.IsDefined() || in.IsNull()) {
      // A SQL stage may read the streams its statements name; everything else must say what it reads.
      if (c.type != "sql") diags_.Add(c.location, c.name + ": missing `inputs:` (the stream or streams it reads)");
      return;
    }
    if (in.IsScalar()) {
      c.inputs.push_back(in.Scalar());
      c.input_locations.push_back(At(in, file_));
    } else if (in.IsSequence()) {
      for (const auto& i : in) {
        c.inputs.push_back(i.Scalar());
        c.input_locations.push_back(At(i, file_));
      }
    } else {
      diags_.Add(At(in, file_), c.name + ": inputs: expected a stream name or a list of stream names");
    }
  }

  void LoadErrorPolicy(ComponentConfig& c) {
    YAML::Node p = c.node["on_error"];
    if (p.IsDefined()) {
      std::string v = p.Scalar();
      if (auto policy = ParseOnError(v)) c.on_error = *policy;
      else
        diags_.Add(At(p, file_),
                   c.name + ": on_error: expected one of " + std::string(kOnErrorChoices) + ", got " + Shown(p));
    }
    if (c.node["dead_letter_path"]) c.dead_letter_path = c.node["dead_letter_path"].Scalar();
    if (c.on_error == OnError::kDeadLetter && c.dead_letter_path.empty())
      diags_.Add(c.location, c.name + ": on_error: dead_letter needs dead_letter_path (a file for the failed records)");
  }

  void LoadTransforms(ComponentConfig& c) {
    YAML::Node list = c.node["transforms"];
    if (!list.IsDefined() || list.IsNull()) return;
    if (!list.IsSequence()) {
      diags_.Add(At(list, file_), c.name + ": transforms: expected a list such as `- {type: Filter, condition: \"status >= 400\"}`");
      return;
    }
    size_t index = 0;
    for (const auto& item : list) {
      std::string owner = c.name + ".transforms[" + std::to_string(index++) + "]";
      if (!item.IsMap() || !item["type"].IsScalar()) {
        diags_.Add(At(item, file_), owner + ": expected a mapping with `type:`");
        continue;
      }
      TransformConfig t;
      t.type = item["type"].Scalar();
      t.node = YAML::Node(item);
      t.location = At(item, file_);
      t.spec = registry_.FindSpec(ComponentKind::kTransform, t.type);
      if (!t.spec) {
        auto names = registry_.TypeNames(ComponentKind::kTransform);
        diags_.Add(At(item["type"], file_), owner + ": unknown transform type '" + t.type + "'" +
                                                DidYouMean(t.type, names) + "; expected one of: " + Quoted(names));
        continue;
      }
      CheckKeys(item, kTransformKeys, t.spec, owner);
      CheckOptionValues(item, *t.spec, owner);
      c.transforms.push_back(std::move(t));
    }
  }

  void LoadVia(ComponentConfig& c) {
    YAML::Node via = c.node["via"];
    if (!via.IsDefined() || via.IsNull()) return;
    ViaKafka v;
    v.node = via;
    if (via.IsScalar() && via.Scalar() == "kafka") {
      v.topic = c.name;
    } else if (via.IsMap() && via["type"].IsScalar() && via["type"].Scalar() == "kafka") {
      v.topic = via["topic"] ? via["topic"].Scalar() : c.name;
      if (via["partitions"]) {
        std::optional<int64_t> n = via["partitions"].IsScalar() ? ParseInt64(via["partitions"].Scalar()) : std::nullopt;
        if (!n || *n < 1 || *n > kMaxPartitions) {
          diags_.Add(At(via["partitions"], file_), c.name + ": via: partitions: expected an integer from 1 to " +
                                                      std::to_string(kMaxPartitions));
          return;
        }
        v.partitions = static_cast<int>(*n);
      }
      if (via["bootstrap_servers"]) v.bootstrap_servers = via["bootstrap_servers"].Scalar();
    } else {
      diags_.Add(At(via, file_), c.name + ": via: expected `kafka` or {type: kafka, topic: …, partitions: N, bootstrap_servers: …}");
      return;
    }
    c.via = std::move(v);
  }

  std::string file_;
  Diagnostics& diags_;
  const Registry& registry_;
  std::set<std::string> names_;
};

// yaml-cpp recurses once per level of a flow collection and reports thousands of levels as "bad file": deeper
// than any pipeline needs is said plainly, at the bracket that goes one level too deep. Brackets inside quotes
// and comments do not count.
constexpr int kMaxFlowDepth = 256;

std::optional<Location> TooDeeplyNested(const std::string& text, const std::string& file) {
  int depth = 0, line = 1, column = 0;
  char quote = 0;
  bool comment = false;
  for (char c : text) {
    ++column;
    if (c == '\n') {
      ++line, column = 0, comment = false;
      if (quote == 0) continue;
    }
    if (comment) continue;
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    else if (c == '#') comment = true;
    else if ((c == '[' || c == '{') && ++depth > kMaxFlowDepth) return Location{file, line, column};
    else if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return std::nullopt;
}

// Every node of a --set value says where it came from (plugin/options.h NodeLocation).
void TagAsOverride(YAML::Node node, const std::string& assignment) {
  node.SetTag(kOverrideTagPrefix + assignment);
  if (node.IsMap())
    for (auto kv : node) TagAsOverride(kv.second, assignment);
  else if (node.IsSequence())
    for (auto item : node) TagAsOverride(item, assignment);
}

// --set a.b.c=value: walks the mappings (a key may itself contain dots, e.g. static.field) and sets the scalar.
void ApplyOverride(YAML::Node root, const std::string& assignment, const std::string& file, Diagnostics& diags) {
  size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    diags.errors.push_back("--set " + assignment + ": expected path=value, e.g. sources.clicks.rate=5");
    return;
  }
  std::string path = assignment.substr(0, eq);
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(eq + 1));
  } catch (const YAML::Exception& e) {
    // The column counts from the start of the assignment, as the user typed it.
    diags.errors.push_back("--set " + assignment + ":1:" + std::to_string(eq + 2 + std::max(0, e.mark.column)) +
                           ": the value is not valid YAML: " + e.msg + " (quote it to set a string)");
    return;
  }
  TagAsOverride(value, assignment);
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
  YAML::Node node = root;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string rest;
    for (size_t j = i; j < parts.size(); ++j) rest += (j > i ? "." : "") + parts[j];
    if (node.IsMap() && node[rest].IsDefined()) {
      node[rest] = value;
      return;
    }
    if (i + 1 == parts.size()) {
      node[parts[i]] = value;
      return;
    }
    YAML::Node next = node[parts[i]];
    if (!next.IsDefined() || !next.IsMap()) {
      diags.errors.push_back(file + ": --set " + path + ": there is no mapping '" + parts[i] + "' on that path");
      return;
    }
    node.reset(next);
  }
}

// Inputs that name no source or stage. SQL stages produce streams only known once their SQL is planned, so
// with a SQL stage present this is left to the runtime's builder.
void CheckStreamReferences(const PipelineConfig& config, Diagnostics& diags) {
  std::vector<std::string> known;
  for (const auto& c : config.sources) known.push_back(c.name);
  for (const auto& c : config.stages) {
    if (c.type == "sql") return;
    known.push_back(c.name);
  }
  auto check = [&](const ComponentConfig& c) {
    for (size_t i = 0; i < c.inputs.size(); ++i)
      if (std::find(known.begin(), known.end(), c.inputs[i]) == known.end())
        diags.Add(c.input_locations[i], c.name + ": reads the stream '" + c.inputs[i] +
                                            "', which no source or transform produces" + DidYouMean(c.inputs[i], known));
  };
  for (const auto& c : config.stages) check(c);
  for (const auto& c : config.sinks) check(c);
}

}  // namespace

std::string Diagnostics::Joined() const {
  std::string out;
  for (const auto& e : errors) out += e + "\n";
  return out;
}

Result<PipelineConfig> LoadPipelineText(const std::string& raw_text, const std::string& file_name,
                                        const LoadOptions& options, Diagnostics& diags) {
  PipelineConfig config;
  config.file = file_name;
  config.dir = std::filesystem::path(file_name).parent_path().string();
  if (config.dir.empty()) config.dir = ".";
  EnvLookup lookup = [&](const std::string& name) -> std::optional<std::string> {
    if (options.env) {
      auto it = options.env->find(name);
      return it == options.env->end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  config.text = raw_text;
  YAML::Node root;
  if (auto at = TooDeeplyNested(config.text, file_name)) {
    diags.Add(*at, "nested more than " + std::to_string(kMaxFlowDepth) + " levels deep");
    return ConfigError(diags.Joined());
  }
  try {
    root = YAML::Load(config.text);
  } catch (const YAML::Exception& e) {
    diags.Add({file_name, e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
    return ConfigError(diags.Joined());
  }
  try {
    // After parsing, so that a variable's value is one string whatever it holds; before --set, whose values are
    // the user's own text.
    SubstituteEnvInValues(root, file_name, lookup, diags);
    for (const auto& o : options.overrides) ApplyOverride(root, o, file_name, diags);
    Loader(file_name, diags).Load(root, config);
  } catch (const YAML::Exception& e) {
    // A node used as a shape it does not have (a list where a mapping belongs, say) that no check above caught.
    diags.Add({file_name, e.mark.line + 1, e.mark.column + 1}, "unexpected YAML structure: " + e.msg);
  }
  // With other errors present the runtime never builds the graph, so report unknown streams here too.
  if (!diags.empty()) CheckStreamReferences(config, diags);
  if (!diags.empty()) {
    if (options.partial) *options.partial = config;
    return ConfigError(diags.Joined());
  }
  return config;
}

Result<PipelineConfig> LoadPipelineFile(const std::string& path, const LoadOptions& options, Diagnostics& diags) {
  auto text = ReadPipelineFile(path);
  if (!text.ok()) {
    diags.errors.push_back(text.error().message());
    return ConfigError(diags.Joined());
  }
  return LoadPipelineText(*text, path, options, diags);
}

}  // namespace pipeline::config
