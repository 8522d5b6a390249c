#include "connectors/http/response_verdict.h"

namespace pipeline::http {

namespace {
// Enough of an error answer to say what was wrong, not a whole HTML page per dead letter.
constexpr size_t kMaxBodyQuoted = 4096;
}  // namespace

Verdict VerdictOf(const HttpResponse& response) {
  if (!response.answered())
    return response.transport == TransportError::kTls || response.transport == TransportError::kBadRequest
               ? Verdict::kFail
               : Verdict::kRetry;
  const int status = response.status;
  if (status >= 200 && status < 300) return Verdict::kDelivered;
  if (status == 408 || status == 429 || status >= 500) return Verdict::kRetry;
  if (status == 401 || status == 403 || status < 200 || (status >= 300 && status < 400)) return Verdict::kFail;
  return Verdict::kReject;
}

std::string DescribeFailure(const HttpResponse& response, const std::string& url) {
  if (!response.answered())
    return url + ": " + std::string(TransportErrorName(response.transport)) + " (" + response.transport_message + ")";
  std::string text = "HTTP " + std::to_string(response.status) + " from " + url;
  if (const std::string* location = response.headers.Find("Location"); location && response.status < 400)
    text += " (redirects to " + *location + "; write that url)";
  if (!response.body.empty()) {
    text += ": " + response.body.substr(0, kMaxBodyQuoted);
    if (response.body.size() > kMaxBodyQuoted) text += "...";
  }
  return text;
}

}  // namespace pipeline::http
