#include "connectors/elasticsearch/elasticsearch_settings.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "formats/json.h"

namespace pipeline::elasticsearch {

namespace {

OptionSpec TemplateOption() {
  return {.name = "template", .type = OptionType::kObject,
          .description = "A composable index template put at start (PUT /_index_template/<name>) when the server has "
                         "none of that name; an existing one is left as it is.",
          .fields = {{.name = "name", .type = OptionType::kString, .description = "The template's name.",
                      .required = true},
                     {.name = "file", .type = OptionType::kString,
                      .description = "A JSON file holding the template body (index_patterns, template, priority). "
                                     "Relative to the pipeline file's folder."},
                     {.name = "body", .type = OptionType::kAny,
                      .description = "The template body written in YAML instead of a file."}}};
}

// YAML as JSON text, for a template body written inline: quoted scalars stay strings, plain ones that read as
// JSON numbers, booleans or null keep that type.
void AppendYamlAsJson(const YAML::Node& node, std::string& out) {
  if (node.IsMap()) {
    out += '{';
    bool first = true;
    for (const auto& entry : node) {
      if (!std::exchange(first, false)) out += ',';
      AppendJsonString(entry.first.Scalar(), out);
      out += ':';
      AppendYamlAsJson(entry.second, out);
    }
    out += '}';
  } else if (node.IsSequence()) {
    out += '[';
    for (size_t i = 0; i < node.size(); ++i) {
      if (i) out += ',';
      AppendYamlAsJson(node[i], out);
    }
    out += ']';
  } else if (!node.IsDefined() || node.IsNull()) {
    out += "null";
  } else if (node.Tag() != "!" && ParseJson(node.Scalar()).ok()) {
    out += node.Scalar();
  } else {
    AppendJsonString(node.Scalar(), out);
  }
}

Result<IndexTemplate> ParseTemplate(const Options& options, const std::string& pipeline_dir) {
  if (!options.Has("template")) return IndexTemplate{};
  Options t = options.Object("template");
  IndexTemplate out{t.GetString("name"), ""};
  if (t.Has("file") == t.Has("body")) return options.ErrorAt("template", "write one of file and body");
  if (t.Has("body")) {
    AppendYamlAsJson(t.Raw("body"), out.body);
  } else {
    std::filesystem::path path = t.GetString("file");
    if (path.is_relative() && !pipeline_dir.empty()) path = std::filesystem::path(pipeline_dir) / path;
    std::ifstream in(path);
    if (!in) return options.ErrorAt("template", "cannot read " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    out.body = text.str();
  }
  if (auto parsed = ParseJson(out.body); !parsed.ok() || !parsed->is_struct())
    return options.ErrorAt("template", "the template body is not a JSON object");
  return out;
}

Result<IdSource> ParseIdSource(const Options& options) {
  if (!options.Has("id")) return IdSource::kKeyOrAuto;
  const std::string id = options.GetString("id");
  if (id == "key") return IdSource::kKey;
  if (id == "position") return IdSource::kPosition;
  return IdSource::kAuto;
}

}  // namespace

ComponentSpec ElasticsearchSinkSpec() {
  ComponentSpec spec;
  spec.type = "elasticsearch";
  spec.kind = ComponentKind::kSink;
  spec.summary = "Writes records as documents to Elasticsearch 7/8 or OpenSearch 1/2 with the _bulk API: one request "
                 "per batch, every item's result read (refused documents follow on_error with the server's reason), "
                 "tombstones delete, ids from the key or the position so a replay overwrites.";
  spec.options = {
      {.name = "urls", .type = OptionType::kStringList,
       .description = "One or more node URLs (http://host:9200). Requests go to them in turn; a node that cannot be "
                      "reached is skipped for 30 s.", .required = true},
      {.name = "index", .type = OptionType::kString,
       .description = "The index of each document, a record template: {topic} (as TimestampRouter or RegexRouter "
                      "left it), {date} for daily indexes, a value field by its name.", .default_value = "{topic}"},
      {.name = "id", .type = OptionType::kEnum,
       .description = "The document _id: key (the record key; a record without one is refused), position (where "
                      "the input record sits in its source, so a replay after a crash overwrites), auto (assigned "
                      "by the sink when it builds the batch: its own retries are idempotent, a replay after a crash "
                      "duplicates). Default: the key when the record has one, else auto.",
       .choices = {"key", "position", "auto"}},
      {.name = "action", .type = OptionType::kEnum,
       .description = "index (create or replace), create (data streams; an existing id is refused), update (a "
                      "partial document, doc_as_upsert).", .default_value = "index",
       .choices = {"index", "create", "update"}},
      {.name = "delete_on_tombstone", .type = OptionType::kBool,
       .description = "A record with a null value deletes its document (a missing document is not an error). "
                      "false: such records are refused and follow on_error.", .default_value = "true"},
      {.name = "version_type", .type = OptionType::kEnum,
       .description = "external: each document's version is its record's source position, so an older change "
                      "never overwrites a newer one (a refused older one counts as delivered). Needs action index "
                      "and id key or position.", .choices = {"external"}},
      AuthOption("Credentials: basic (user, password), api_key (sent as ApiKey), bearer (token)."),
      TlsOption("TLS for https:// URLs: CA file, client certificate, verify (on by default)."),
      {.name = "compression", .type = OptionType::kEnum, .description = "gzip: compress request bodies.",
       .default_value = "none", .choices = {"none", "gzip"}},
      BatchOption(BatchLimits{500, 5 << 20, std::chrono::milliseconds(1000)},
                  "One bulk request per batch: sent when one limit is reached (and at every flush). A request "
                  "the server answers 413 is split in halves."),
      {.name = "timestamp_format", .type = OptionType::kEnum,
       .description = "How TIMESTAMP and DATE values are written: iso8601 (2026-12-05T02:30:00.123Z) or "
                      "epoch_millis.", .default_value = "iso8601", .choices = {"iso8601", "epoch_millis"}},
      {.name = "decimals", .type = OptionType::kEnum,
       .description = "How DECIMAL values are written: number (exact digits as a JSON number) or string.",
       .default_value = "number", .choices = {"number", "string"}},
      TemplateOption(),
      {.name = "request_timeout", .type = OptionType::kDuration,
       .description = "The longest wait for one request's answer; past it the request is retried.",
       .default_value = "30s"},
  };
  spec.example =
      "sinks:\n"
      "  search:\n"
      "    type: elasticsearch\n"
      "    inputs: [enriched]\n"
      "    urls: [http://localhost:9200]\n"
      "    index: \"ratings-{date}\"\n"
      "    id: key\n";
  return spec;
}

Result<ElasticsearchSettings> ParseElasticsearchSettings(const Options& options, const std::string& name,
                                                         const std::string& pipeline_dir) {
  ElasticsearchSettings s;
  s.name = name;
  for (std::string url : options.GetStringList("urls")) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
      return options.ErrorAt("urls", "'" + url + "' is not an http:// or https:// URL");
    s.urls.push_back(url);
  }
  if (s.urls.empty()) return options.ErrorAt("urls", "name at least one node");
  auto index = RecordTemplate::Parse(options.GetString("index"));
  if (!index.ok()) return options.ErrorAt("index", index.error().message());
  s.index = std::move(*index);
  auto id = ParseIdSource(options);
  if (!id.ok()) return id.error();
  s.id = *id;
  const std::string action = options.GetString("action");
  s.action = action == "create"   ? WriteAction::kCreate
             : action == "update" ? WriteAction::kUpdate
                                  : WriteAction::kIndex;
  s.delete_on_tombstone = options.GetBool("delete_on_tombstone");
  s.external_versions = options.GetString("version_type") == "external";
  if (s.external_versions && s.action != WriteAction::kIndex)
    return options.ErrorAt("version_type", "external versions need action: index (Elasticsearch refuses them on "
                                           "create and update)");
  if (s.external_versions && s.id == IdSource::kKeyOrAuto) s.id = IdSource::kKey;  // a version needs a named id
  if (s.external_versions && s.id != IdSource::kKey && s.id != IdSource::kPosition)
    return options.ErrorAt("version_type", "external versions need id: key or id: position (a version orders the "
                                           "changes of one document)");
  if (s.action == WriteAction::kUpdate && s.id == IdSource::kAuto)
    return options.ErrorAt("action", "update needs an id (key or position), not auto");
  auto auth = ParseAuthOptions(options);
  if (!auth.ok()) return auth.error();
  s.auth = std::move(*auth);
  auto tls = ParseTlsOptions(options);
  if (!tls.ok()) return tls.error();
  s.tls = std::move(*tls);
  s.gzip = options.GetString("compression") == "gzip";
  auto batch = ParseBatchOptions(options);
  if (!batch.ok()) return batch.error();
  s.batch = *batch;
  s.format.timestamps_as_iso8601 = options.GetString("timestamp_format") == "iso8601";
  s.format.decimals_as_strings = options.GetString("decimals") == "string";
  auto index_template = ParseTemplate(options, pipeline_dir);
  if (!index_template.ok()) return index_template.error();
  s.index_template = std::move(*index_template);
  s.request_timeout = std::chrono::milliseconds(options.GetDurationMs("request_timeout"));
  return s;
}

}  // namespace pipeline::elasticsearch
