// The `http` sink: its options (the reference docs come from here) and its factory.
#include "connectors/connectors.h"
#include "connectors/http/http_sink.h"
#include "connectors/http/http_sink_settings.h"
#include "plugin/registry.h"

namespace pipeline {
namespace {

ComponentSpec HttpSinkSpec() {
  ComponentSpec spec;
  spec.type = "http";
  spec.kind = ComponentKind::kSink;
  spec.summary = "Sends records to an HTTP endpoint (webhooks such as Slack's, REST APIs): one request per record "
                 "through a body template, or batches as NDJSON or a JSON array. 2xx delivered; 408, 429 and 5xx "
                 "retried honouring Retry-After; other 4xx rejected per record to on_error. At least once.";
  spec.options = {
      {.name = "url", .type = OptionType::kString,
       .description = "Where requests go; a record template (`https://api.example.com/{topic}/{key}`). Batched "
                      "records go to one url per request. A url from ${VAR} is never shown in messages.",
       .required = true},
      {.name = "method", .type = OptionType::kEnum, .description = "The request method.", .default_value = "POST",
       .choices = {"POST", "PUT", "PATCH"}},
      {.name = "headers", .type = OptionType::kMap,
       .description = "Header fields sent with every request; write secret values as ${VAR} (never shown)."},
      AuthOption("Credentials sent as the Authorization header: basic, bearer or api_key."),
      TlsOption("TLS settings for https urls."),
      {.name = "body", .type = OptionType::kString,
       .description = "One request per record, its body this record template (`{full_name}`, `{key}`, "
                      "`{topic}`, nested `{a.b}`, `{{` for a brace). When the template is JSON (placeholders "
                      "inside strings) it is sent as application/json and inserted values are JSON-escaped. "
                      "Without body, `format` says how records are sent."},
      {.name = "format", .type = OptionType::kEnum,
       .description = "Without body: json sends each record's value as one request; ndjson (one value per line) "
                      "and json_array send up to `batch` records per request.",
       .default_value = "json", .choices = {"json", "ndjson", "json_array"}},
      {.name = "content_type", .type = OptionType::kString,
       .description = "The Content-Type header. Default: application/json for JSON bodies, application/x-ndjson "
                      "for ndjson, text/plain; charset=utf-8 for a body template that is not JSON. Naming "
                      "application/json here also JSON-escapes a template's inserted values."},
      BatchOption(BatchLimits{.max_records = 100, .max_bytes = 1 << 20, .max_age = std::chrono::milliseconds(1000)},
                  "ndjson and json_array: a request is sent when one of these limits is reached (and at the "
                  "latest every flush_interval)."),
      {.name = "rate_limit", .type = OptionType::kDouble,
       .description = "Most requests per second (retries included); 0: no limit.", .default_value = "0"},
      {.name = "timeout", .type = OptionType::kDuration,
       .description = "How long one request may take, connecting included; then it is retried.",
       .default_value = "30s"},
      {.name = "compression", .type = OptionType::kEnum, .description = "gzip: compress request bodies.",
       .default_value = "none", .choices = {"none", "gzip"}},
  };
  spec.example = R"(sinks:
  slack:
    type: http
    inputs: [unhappy_platinum_customers]
    url: ${SLACK_WEBHOOK_URL}
    body: '{"text": "Unhappy platinum customer {full_name}: {message}"}'
    rate_limit: 1
)";
  return spec;
}

Result<std::unique_ptr<Sink>> BuildHttpSink(const Options& options, const BuildContext&) {
  auto settings = http::ParseHttpSinkSettings(options);
  if (!settings.ok()) return settings.error();
  return std::unique_ptr<Sink>(std::make_unique<http::HttpSink>(std::move(*settings)));
}

}  // namespace

void RegisterHttpSink(Registry& registry) { registry.AddSink(HttpSinkSpec(), BuildHttpSink); }

}  // namespace pipeline
