#include "connectors/http/http_sink_settings.h"

#include <cctype>

#include "formats/json.h"

namespace pipeline::http {
namespace {

// `retry:` is a key every sink accepts (config/common_keys.h); the loader checked it. The runtime applies it to
// Write as a whole; this sink applies it to each request instead, so a retry never sends a delivered request again.
RetryPolicy RetryPolicyOf(const Options& options) {
  RetryPolicy policy;
  YAML::Node retry = options.Raw("retry");
  if (!retry.IsMap()) return policy;
  auto duration = [&](const char* key) -> std::optional<std::chrono::milliseconds> {
    YAML::Node v = retry[key];
    if (!v.IsDefined() || !v.IsScalar()) return std::nullopt;
    auto ms = ParseDurationMs(v.Scalar());
    return ms ? std::optional(std::chrono::milliseconds(*ms)) : std::nullopt;
  };
  if (auto d = duration("initial_backoff")) policy.initial_backoff = std::max(*d, std::chrono::milliseconds(1));
  if (auto d = duration("max_backoff")) policy.max_backoff = *d;
  if (auto d = duration("max_elapsed")) policy.max_elapsed = *d;
  return policy;
}

BodyFormat FormatNamed(const std::string& name) {
  if (name == "ndjson") return BodyFormat::kNdjson;
  if (name == "json_array") return BodyFormat::kJsonArray;
  return BodyFormat::kJson;
}

std::string DefaultContentType(const HttpSinkSettings& s) {
  switch (s.format) {
    case BodyFormat::kTemplate: return s.json_escape ? "application/json" : "text/plain; charset=utf-8";
    case BodyFormat::kNdjson: return "application/x-ndjson";
    default: return "application/json";
  }
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$' || c == '@' || c == '.';
}

}  // namespace

std::string BracesOfJsonAsLiterals(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{') {
      size_t end = i + 1;
      while (end < text.size() && IsNameChar(text[end])) ++end;
      if (end > i + 1 && end < text.size() && text[end] == '}') {
        out.append(text.substr(i, end - i + 1));  // a placeholder
        i = end;
        continue;
      }
    }
    out += c;
    if (c == '{' || c == '}') out += c;
  }
  return out;
}

Result<RecordTemplate> ParseBodyTemplate(std::string_view text) {
  auto as_written = RecordTemplate::Parse(text);
  if (as_written.ok()) return as_written;
  // Failing again, it names the placeholder that is wrong rather than the first brace of the JSON.
  return RecordTemplate::Parse(BracesOfJsonAsLiterals(text));
}

bool IsJsonTemplate(const RecordTemplate& body) {
  std::string probe;
  body.RenderInserting(Record(), probe, [](std::string_view, std::string& out) { out += "abc"; });
  return ParseJson(probe).ok();
}

Result<HttpSinkSettings> ParseHttpSinkSettings(const Options& options) {
  HttpSinkSettings s;
  auto url = RecordTemplate::Parse(options.GetString("url"));
  if (!url.ok()) return options.ErrorAt("url", url.error().message());
  s.url = std::move(*url);
  // A webhook's url often is its secret (Slack's carry a token in the path): one from the environment is not shown.
  s.url_shown = IsHiddenValue(options.Raw("url"), nullptr) ? "the url (from the environment)" : s.url.text();
  s.method = options.GetString("method");
  for (const auto& [name, value] : options.GetMap("headers")) s.headers.emplace_back(name, value);
  auto auth = ParseAuthOptions(options);
  if (!auth.ok()) return auth.error();
  s.auth = std::move(*auth);
  auto tls = ParseTlsOptions(options);
  if (!tls.ok()) return tls.error();
  s.tls = std::move(*tls);
  auto batch = ParseBatchOptions(options);
  if (!batch.ok()) return batch.error();
  s.batch = *batch;
  s.format = FormatNamed(options.GetString("format"));
  if (options.Has("body")) {
    if (options.Has("format"))
      return options.ErrorAt("format", "give either body (a template, one record per request) or format");
    auto body = ParseBodyTemplate(options.GetString("body"));
    if (!body.ok()) return options.ErrorAt("body", body.error().message());
    s.body = std::move(*body);
    s.format = BodyFormat::kTemplate;
  }
  s.content_type = options.GetString("content_type");
  s.json_escape = s.format == BodyFormat::kTemplate &&
                  (s.content_type.empty() ? IsJsonTemplate(s.body) : s.content_type.starts_with("application/json"));
  if (s.content_type.empty()) s.content_type = DefaultContentType(s);
  s.rate_limit = options.GetDouble("rate_limit");
  if (s.rate_limit < 0) return options.ErrorAt("rate_limit", "must be 0 (no limit) or a number of requests per second");
  s.timeout = std::chrono::milliseconds(options.GetDurationMs("timeout"));
  if (s.timeout.count() <= 0) return options.ErrorAt("timeout", "must be positive");
  s.gzip = options.GetString("compression") == "gzip";
  s.retry = RetryPolicyOf(options);
  return s;
}

}  // namespace pipeline::http
