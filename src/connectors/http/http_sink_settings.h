// The `http` sink's settings, read from its options (http_sink_spec.cpp declares them).
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "plugin/auth_options.h"
#include "plugin/batch_options.h"
#include "plugin/options.h"
#include "plugin/record_template.h"
#include "plugin/retry.h"
#include "plugin/tls_options.h"

namespace pipeline::http {

// What a request body holds: one record rendered through `body`, one record as JSON, or several records as
// newline-delimited JSON or as one JSON array.
enum class BodyFormat { kTemplate, kJson, kNdjson, kJsonArray };

struct HttpSinkSettings {
  RecordTemplate url;
  std::string url_shown;        // how messages name the url: its template, or a mention when it came from ${VAR}
  std::string method = "POST";
  std::vector<std::pair<std::string, std::string>> headers;
  AuthSettings auth;
  TlsSettings tls;
  BodyFormat format = BodyFormat::kJson;
  RecordTemplate body;          // kTemplate
  bool json_escape = false;     // kTemplate: placeholders' text JSON-escaped (the body is JSON)
  std::string content_type;
  BatchLimits batch;            // kNdjson, kJsonArray
  double rate_limit = 0;        // requests per second; 0: no limit
  std::chrono::milliseconds timeout{30'000};
  bool gzip = false;
  RetryPolicy retry;            // the sink's `retry:`, applied to each request
  bool batched() const { return format == BodyFormat::kNdjson || format == BodyFormat::kJsonArray; }
};

Result<HttpSinkSettings> ParseHttpSinkSettings(const Options& options);

// A body template as written in the template language; if that fails, with every brace that does not enclose a
// name read as a literal one, so that a JSON body needs no doubled braces: `{"text": "{message}"}`. A placeholder
// that is not a name ({dat}) is still an error.
Result<RecordTemplate> ParseBodyTemplate(std::string_view text);
// `text` with each brace that does not enclose a name doubled.
std::string BracesOfJsonAsLiterals(std::string_view text);

// True when `body` is JSON once each placeholder is replaced by a few letters (so placeholders stand inside JSON
// strings): such a template is sent as application/json with the inserted text JSON-escaped.
bool IsJsonTemplate(const RecordTemplate& body);

}  // namespace pipeline::http
