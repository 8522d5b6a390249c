#include "testing/pipe_test_file.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

#include "testing/yaml_value.h"

namespace pipeline::testing {
namespace {

namespace fs = std::filesystem;

// Everything a loader needs to say where a problem is.
struct FileContext {
  std::string path;
  Error At(const YAML::Node& node, const std::string& message) const {
    auto mark = node.Mark();
    std::string where = path;
    if (mark.line >= 0) where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    return ConfigError(where + ": " + message);
  }
  Status CheckKeys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& what) const {
    if (!map.IsMap()) return At(map, what + " must be a mapping");
    for (const auto& entry : map) {
      std::string key = entry.first.as<std::string>();
      if (!allowed.count(key)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        return At(entry.first, "unknown key '" + key + "' in " + what + " (expected one of: " + list + ")");
      }
    }
    return Status::Ok();
  }
};

Result<int64_t> IntOf(const FileContext& ctx, const YAML::Node& node, const std::string& what) {
  Value v = YamlToValue(node);
  if (!v.is_int()) return ctx.At(node, what + " must be an integer (milliseconds)");
  return v.as_int();
}

Result<WindowBounds> WindowOf(const FileContext& ctx, const YAML::Node& node) {
  PIPE_RETURN_IF_ERROR(ctx.CheckKeys(node, {"start", "end", "type"}, "window"));
  if (!node["start"] || !node["end"]) return ctx.At(node, "window needs start and end");
  auto start = IntOf(ctx, node["start"], "window start");
  if (!start.ok()) return start.error();
  auto end = IntOf(ctx, node["end"], "window end");
  if (!end.ok()) return end.error();
  std::string type = node["type"] ? node["type"].as<std::string>() : "time";
  if (type != "time" && type != "session") return ctx.At(node["type"], "window type must be time or session");
  return WindowBounds{*start, *end, type == "session"};
}

// `headers: {name: text}` or `headers: [{key: name, value: text}]`; a null value is a null header.
Result<std::vector<Header>> HeadersOf(const FileContext& ctx, const YAML::Node& node) {
  std::vector<Header> headers;
  auto value_of = [](const YAML::Node& v) -> std::optional<std::string> {
    if (!v || v.IsNull() || (v.Tag() != "!" && v.IsScalar() && (v.Scalar() == "null" || v.Scalar() == "~")))
      return std::nullopt;
    return v.as<std::string>();
  };
  if (node.IsMap()) {
    for (const auto& entry : node) headers.push_back({entry.first.as<std::string>(), value_of(entry.second)});
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      PIPE_RETURN_IF_ERROR(ctx.CheckKeys(item, {"key", "value"}, "header"));
      if (!item["key"]) return ctx.At(item, "a header needs a key");
      headers.push_back({item["key"].as<std::string>(), value_of(item["value"])});
    }
  } else {
    return ctx.At(node, "headers must be a mapping or a list of {key, value}");
  }
  return headers;
}

// In a list, `stream:` names the stream (or, without it, `topic:` does, as in ksqlDB's test files).
std::string StreamOf(const YAML::Node& record) {
  if (record["stream"]) return record["stream"].as<std::string>();
  if (record["topic"]) return record["topic"].as<std::string>();
  return {};
}

// The record's own topic (what a RegexRouter changes): `topic:` when it does not name the stream.
std::optional<std::string> RecordTopicOf(const YAML::Node& record, const std::string& stream) {
  if (!record["topic"] || (stream.empty() && !record["stream"])) return std::nullopt;
  return record["topic"].as<std::string>();
}

Result<InputRecord> InputOf(const FileContext& ctx, const YAML::Node& node, const std::string& stream) {
  PIPE_RETURN_IF_ERROR(
      ctx.CheckKeys(node, {"stream", "topic", "key", "value", "timestamp", "headers", "window"}, "input record"));
  InputRecord input;
  input.topic = stream.empty() ? StreamOf(node) : stream;
  if (input.topic.empty()) return ctx.At(node, "input record needs `stream:` (or list inputs under a stream name)");
  input.record.topic = RecordTopicOf(node, stream).value_or(input.topic);
  input.record.key = YamlToValue(node["key"]);
  input.record.value = YamlToValue(node["value"]);
  if (node["timestamp"]) {
    auto ts = IntOf(ctx, node["timestamp"], "timestamp");
    if (!ts.ok()) return ts.error();
    input.record.timestamp = *ts;
  }
  if (node["headers"]) {
    auto headers = HeadersOf(ctx, node["headers"]);
    if (!headers.ok()) return headers.error();
    input.record.headers = std::move(*headers);
  }
  if (node["window"]) {
    auto window = WindowOf(ctx, node["window"]);
    if (!window.ok()) return window.error();
    input.record.window = *window;
  }
  return input;
}

Result<ExpectedRecord> OutputOf(const FileContext& ctx, const YAML::Node& node, const std::string& stream) {
  PIPE_RETURN_IF_ERROR(
      ctx.CheckKeys(node, {"stream", "topic", "key", "value", "timestamp", "headers", "window"}, "expected record"));
  ExpectedRecord expected;
  expected.topic = stream.empty() ? StreamOf(node) : stream;
  if (expected.topic.empty()) return ctx.At(node, "expected record needs `stream:` (or list it under a stream name)");
  expected.record_topic = RecordTopicOf(node, stream);
  expected.key = YamlToValue(node["key"]);
  expected.value = YamlToValue(node["value"]);
  if (node["timestamp"]) {
    auto ts = IntOf(ctx, node["timestamp"], "timestamp");
    if (!ts.ok()) return ts.error();
    expected.timestamp = *ts;
  }
  if (node["headers"]) {
    auto headers = HeadersOf(ctx, node["headers"]);
    if (!headers.ok()) return headers.error();
    expected.headers = std::move(*headers);
  }
  if (node["window"]) {
    auto window = WindowOf(ctx, node["window"]);
    if (!window.ok()) return window.error();
    expected.window = *window;
  }
  return expected;
}

// Records per stream, either as a list (each record names its stream; order kept across streams) or as a
// mapping stream -> list (fed stream after stream, in file order).
template <class Record, class Parse>
Status RecordsOf(const FileContext& ctx, const YAML::Node& node, const std::string& what, Parse parse,
                 std::vector<Record>& records, std::vector<std::string>* streams) {
  if (node.IsNull()) return Status::Ok();
  if (node.IsSequence()) {
    for (const auto& item : node) {
      auto r = parse(ctx, item, std::string());
      if (!r.ok()) return r.error();
      if (streams) streams->push_back(r->topic);
      records.push_back(std::move(*r));
    }
    return Status::Ok();
  }
  if (!node.IsMap()) return ctx.At(node, what + " must be a list of records or a mapping stream -> records");
  for (const auto& entry : node) {
    std::string stream = entry.first.as<std::string>();
    if (streams) streams->push_back(stream);
    if (entry.second.IsNull()) continue;
    if (!entry.second.IsSequence()) return ctx.At(entry.second, what + " of stream " + stream + " must be a list");
    for (const auto& item : entry.second) {
      auto r = parse(ctx, item, stream);
      if (!r.ok()) return r.error();
      records.push_back(std::move(*r));
    }
  }
  return Status::Ok();
}

Result<PipeTestCase> TestCaseOf(const FileContext& ctx, const YAML::Node& node, const std::string& default_name) {
  PipeTestCase test;
  test.name = node["name"] ? node["name"].as<std::string>() : default_name;
  if (node["inputs"]) PIPE_RETURN_IF_ERROR(RecordsOf(ctx, node["inputs"], "inputs", InputOf, test.inputs, nullptr));
  if (node["outputs"])
    PIPE_RETURN_IF_ERROR(RecordsOf(ctx, node["outputs"], "outputs", OutputOf, test.outputs, &test.checked_streams));
  if (node["error"]) test.expected_error = node["error"].as<std::string>();
  if (!node["outputs"] && !test.expected_error) return ctx.At(node, "a test needs `outputs:` or `error:`");
  return test;
}

std::vector<std::string> StatementsOf(const YAML::Node& node) {
  std::vector<std::string> statements;
  if (node.IsSequence()) {
    for (const auto& s : node) statements.push_back(s.as<std::string>());
  } else {
    statements.push_back(node.as<std::string>());
  }
  return statements;
}

}  // namespace

Result<std::vector<SqlStage>> SqlStagesOfPipeline(const std::string& pipeline_path) {
  FileContext ctx{pipeline_path};
  YAML::Node root;
  try {
    root = YAML::LoadFile(pipeline_path);
  } catch (const YAML::Exception& e) {
    return ConfigError(pipeline_path + ": " + e.what());
  }
  std::vector<SqlStage> stages;
  YAML::Node transforms = root["transforms"];
  if (transforms && transforms.IsMap()) {
    for (const auto& entry : transforms) {
      const YAML::Node& t = entry.second;
      if (!t.IsMap() || !t["type"] || t["type"].as<std::string>() != "sql") continue;
      if (!t["sql"]) return ctx.At(t, "sql transform '" + entry.first.as<std::string>() + "' has no `sql:`");
      stages.push_back({entry.first.as<std::string>(), StatementsOf(t["sql"])});
    }
  }
  if (stages.empty()) return ConfigError(pipeline_path + ": no transform of `type: sql` to test");
  return stages;
}

Result<PipeTestFile> LoadPipeTestFile(const std::string& path) {
  FileContext ctx{path};
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    return ConfigError(path + ": a folder without test files (*.test.yaml) in it");
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return ConfigError(path + ": cannot read the file");
  } catch (const YAML::Exception& e) {
    return ConfigError(path + ": " + e.what());
  }
  try {
    PIPE_RETURN_IF_ERROR(ctx.CheckKeys(
        root, {"pipeline", "statements", "properties", "flush_at_end", "tests", "name", "inputs", "outputs", "error"},
        "a test file"));
    PipeTestFile file;
    file.path = path;
    if (root["pipeline"] && root["statements"])
      return ctx.At(root, "give either `pipeline:` or `statements:`, not both");
    if (root["pipeline"]) {
      fs::path pipeline = root["pipeline"].as<std::string>();
      if (pipeline.is_relative()) pipeline = fs::path(path).parent_path() / pipeline;
      file.pipeline_path = pipeline.lexically_normal().string();
      config::Diagnostics diags;
      auto loaded = config::LoadPipelineFile(file.pipeline_path, {}, diags);
      if (!loaded.ok() || !diags.empty())
        return ctx.At(root["pipeline"], "the pipeline does not load:\n" + (diags.empty() ? loaded.error().message() : diags.Joined()));
      file.pipeline = std::make_shared<const config::PipelineConfig>(std::move(*loaded));
    } else if (root["statements"]) {
      file.stages.push_back({"statements", StatementsOf(root["statements"])});
    } else {
      return ctx.At(root, "a test file needs `pipeline:` (a pipeline file) or `statements:` (SQL)");
    }
    if (YAML::Node props = root["properties"]) {
      if (!props.IsMap()) return ctx.At(props, "properties must be a mapping");
      for (const auto& entry : props) {
        std::string key = entry.first.as<std::string>(), value = entry.second.as<std::string>();
        if (key == "use.exact.numeric.comparison") {
          file.comparison.exact_numbers = value != "false";
        } else {
          file.properties[key] = value;
        }
      }
    }
    if (YAML::Node flush = root["flush_at_end"]) file.flush_at_end = flush.as<bool>();
    if (YAML::Node tests = root["tests"]) {
      if (root["inputs"] || root["outputs"] || root["error"])
        return ctx.At(root, "give either `tests:` or one test's `inputs:`/`outputs:` at the top, not both");
      if (!tests.IsSequence()) return ctx.At(tests, "tests must be a list");
      int n = 0;
      for (const auto& t : tests) {
        PIPE_RETURN_IF_ERROR(ctx.CheckKeys(t, {"name", "inputs", "outputs", "error"}, "a test"));
        auto test = TestCaseOf(ctx, t, "test " + std::to_string(++n));
        if (!test.ok()) return test.error();
        file.tests.push_back(std::move(*test));
      }
    } else {
      auto test = TestCaseOf(ctx, root, fs::path(path).filename().string());
      if (!test.ok()) return test.error();
      file.tests.push_back(std::move(*test));
    }
    return file;
  } catch (const YAML::Exception& e) {
    // Type conversions (a list where text belongs, …) throw; report them as file errors.
    return ctx.At(root, std::string("malformed test file: ") + e.what());
  }
}

}  // namespace pipeline::testing
