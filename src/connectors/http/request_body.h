// RequestBody: how the http sink turns records into request bodies — a record through the `body` template (its
// placeholders JSON-escaped when the body is JSON, so a value with quotes or newlines cannot break it), a record
// as JSON, or several records as NDJSON or one JSON array.
#pragma once

#include <string>
#include <vector>

#include "connectors/http/http_sink_settings.h"
#include "core/record.h"

namespace pipeline::http {

class RequestBody {
 public:
  explicit RequestBody(const HttpSinkSettings& settings) : settings_(settings) {}
  // The part of a body that stands for `record`.
  std::string Encode(const Record& record) const;
  // The body of one request holding these parts, in order.
  std::string Join(const std::vector<std::string>& parts) const;

 private:
  const HttpSinkSettings& settings_;
};

// Appends `text` as the inside of a JSON string: quotes, backslashes and control characters escaped.
void AppendJsonStringContent(std::string_view text, std::string& out);

}  // namespace pipeline::http
