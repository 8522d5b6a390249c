// ResponseVerdict: what the http sink does with the answer to a request, as webhook services expect it — 2xx
// delivered; 408, 429 and 5xx (and a connection that failed or broke) retried, honouring Retry-After; a credential
// refused (401, 403), a redirect or a TLS failure stop the pipeline (every request would fail alike); any other
// 4xx rejects the request's records to on_error, the answer's body in the dead letter.
#pragma once

#include <string>

#include "connectors/http/http_client.h"

namespace pipeline::http {

enum class Verdict { kDelivered, kRetry, kReject, kFail };

Verdict VerdictOf(const HttpResponse& response);

// "HTTP 400 from <url>: <the answer's body, at most 4 KiB>" or "<url>: connection refused (<libcurl's words>)".
std::string DescribeFailure(const HttpResponse& response, const std::string& url);

}  // namespace pipeline::http
