// The `http` source: options (reference docs come from here) and factory.
#include <charconv>

#include "connectors/connectors.h"
#include "connectors/http/http_source.h"
#include "plugin/auth_options.h"
#include "plugin/registry.h"
#include "plugin/tls_options.h"

namespace pipeline {
namespace {

ComponentSpec HttpSourceSpec() {
  ComponentSpec spec;
  spec.type = "http";
  spec.kind = ComponentKind::kSource;
  spec.summary =
      "Receives records over HTTP: POST (or PUT) a body to `path` as json (an object or an array of objects), "
      "ndjson or lines. 200 once the records are in the pipeline's bounded queue (ack: accepted) or once every sink "
      "acknowledged them (ack: delivered, so a sender may retry anything else); 429 with Retry-After when the "
      "pipeline is backed up or max_concurrent_requests are being served; 413 beyond max_body_bytes; 400 naming the "
      "line and column of a malformed body; 401 without the bearer token. Not replayable.";
  spec.options = {
      {"address", OptionType::kString, "HOST:PORT to listen on (0.0.0.0 for every interface).", "127.0.0.1:8080"},
      {"path", OptionType::kString, "The path requests are posted to; others get 404.", "/"},
      {"format",
       OptionType::kEnum,
       "json: the body is one JSON object or an array of them; ndjson: one object per line; lines: each line is a "
       "record {\"message\": line}.",
       "ndjson",
       false,
       {"json", "ndjson", "lines"}},
      AuthOption("Credentials every request must carry (`Authorization: Bearer <token>`, Basic or ApiKey); "
                 "none by default. Write secrets as ${VAR}."),
      TlsOption("Serve HTTPS: cert_file and key_file are the server's certificate and key; ca_file makes clients "
                "present a certificate signed by it."),
      {"max_body_bytes", OptionType::kInt,
       "Largest body accepted, after decoding a gzip, deflate or br Content-Encoding; a larger one is answered 413.",
       "10485760"},
      {"max_concurrent_requests", OptionType::kInt, "Requests served at once; one more is answered 429.", "64"},
      {"ack",
       OptionType::kEnum,
       "accepted: answer 200 once the records are queued in the pipeline (a crash can lose them); delivered: once "
       "every sink acknowledged them (at-least-once for a sender that retries until it gets 200).",
       "accepted",
       false,
       {"accepted", "delivered"}},
  };
  spec.example =
      "sources:\n  events:\n    type: http\n    address: 0.0.0.0:8080\n    path: /events\n    format: ndjson\n"
      "    ack: delivered\n";
  return spec;
}

Result<std::unique_ptr<Source>> BuildHttpSource(const Options& options, const BuildContext&) {
  http::HttpSourceSettings s;
  const std::string address = options.GetString("address");
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon > 0) {
    auto [ptr, ec] = std::from_chars(address.data() + colon + 1, address.data() + address.size(), port);
    if (ec != std::errc() || ptr != address.data() + address.size()) port = -1;
  }
  if (port < 0 || port > 65535) return options.ErrorAt("address", "expected HOST:PORT with a port from 0 to 65535");
  s.host = address.substr(0, colon);
  s.port = port;
  s.path = options.GetString("path");
  if (s.path.empty() || s.path[0] != '/') return options.ErrorAt("path", "must start with /");
  const std::string format = options.GetString("format");
  s.format = format == "json"    ? http::IngestBodyFormat::kJson
             : format == "lines" ? http::IngestBodyFormat::kLines
                                 : http::IngestBodyFormat::kNdjson;
  auto auth = ParseAuthOptions(options);
  if (!auth.ok()) return auth.error();
  s.authorization = AuthorizationHeader(*auth);
  auto tls = ParseTlsOptions(options);
  if (!tls.ok()) return tls.error();
  if (tls->configured && (tls->cert_file.empty() || tls->key_file.empty()))
    return options.ErrorAt("tls", "a server needs cert_file and key_file");
  s.tls = *tls;
  if (options.GetInt("max_body_bytes") <= 0) return options.ErrorAt("max_body_bytes", "must be positive");
  s.max_body_bytes = static_cast<size_t>(options.GetInt("max_body_bytes"));
  if (options.GetInt("max_concurrent_requests") <= 0 || options.GetInt("max_concurrent_requests") > 4096)
    return options.ErrorAt("max_concurrent_requests", "must be from 1 to 4096");
  s.max_concurrent_requests = static_cast<int>(options.GetInt("max_concurrent_requests"));
  s.ack_delivered = options.GetString("ack") == "delivered";
  return std::unique_ptr<Source>(std::make_unique<http::HttpSource>(std::move(s)));
}

}  // namespace

void RegisterHttpSource(Registry& registry) { registry.AddSource(HttpSourceSpec(), BuildHttpSource); }

}  // namespace pipeline
