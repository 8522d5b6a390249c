#include "connectors/http/http_client.h"

#include <curl/curl.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace pipeline::http {
namespace {

// curl_global_init is not thread-safe before libcurl 7.84 and must run before any other call: a function-local
// static runs it exactly once, whichever sink thread gets here first (and curl_global_cleanup is left to exit).
void InitCurlOnce() {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)init;
}

bool SameNameIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<HttpResponse*>(out)->body.append(data, size * count);
  return size * count;
}

// Called once per header line; a status line starts a new answer (a 100 Continue comes before the final one).
size_t AppendHeader(char* data, size_t size, size_t count, void* out) {
  auto* response = static_cast<HttpResponse*>(out);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->headers = HeaderList();
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    response->headers.Add(std::string(Trimmed(line.substr(0, colon))), std::string(Trimmed(line.substr(colon + 1))));
  }
  return size * count;
}

TransportError Classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT: return TransportError::kConnectionRefused;
    case CURLE_OPERATION_TIMEDOUT: return TransportError::kTimeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return TransportError::kResolve;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return TransportError::kConnectionCut;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CIPHER: return TransportError::kTls;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL: return TransportError::kBadRequest;
    default: return TransportError::kOther;
  }
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderSlist = std::unique_ptr<curl_slist, SlistDeleter>;

void Append(HeaderSlist& list, const std::string& line) { list.reset(curl_slist_append(list.release(), line.c_str())); }

// tls.server_name: the URL's host becomes the name to verify (SNI, certificate, Host header) while CONNECT_TO
// keeps the connection going to the address the URL named.
void ApplyServerName(CURL* curl, const std::string& url, const std::string& server_name, std::string& rewritten_url,
                     HeaderSlist& connect_to) {
  CURLU* parsed = curl_url();
  char* host = nullptr;
  char* port = nullptr;
  if (curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(parsed, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(parsed, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
      curl_url_set(parsed, CURLUPART_HOST, server_name.c_str(), 0) == CURLUE_OK) {
    char* full = nullptr;
    if (curl_url_get(parsed, CURLUPART_URL, &full, 0) == CURLUE_OK) {
      rewritten_url = full;
      curl_free(full);
      Append(connect_to, server_name + ":" + port + ":" + host + ":" + port);
      curl_easy_setopt(curl, CURLOPT_CONNECT_TO, connect_to.get());
    }
  }
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(parsed);
}

void ApplyTls(CURL* curl, const TlsSettings& tls) {
  if (!tls.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.cert_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLCERT, tls.cert_file.c_str());
  if (!tls.key_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, tls.key_file.c_str());
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L);
}

}  // namespace

const std::string* HeaderList::Find(std::string_view name) const {
  for (const auto& [key, value] : fields_)
    if (SameNameIgnoringCase(key, name)) return &value;
  return nullptr;
}

std::string_view TransportErrorName(TransportError e) {
  switch (e) {
    case TransportError::kNone: return "none";
    case TransportError::kConnectionRefused: return "connection refused";
    case TransportError::kConnectionCut: return "connection cut";
    case TransportError::kTimeout: return "timeout";
    case TransportError::kResolve: return "host not resolved";
    case TransportError::kTls: return "TLS failure";
    case TransportError::kBadRequest: return "unusable request";
    case TransportError::kOther: return "transport failure";
  }
  return "transport failure";
}

std::optional<std::chrono::milliseconds> RetryAfter(const HttpResponse& response,
                                                    std::chrono::system_clock::time_point now) {
  const std::string* header = response.headers.Find("Retry-After");
  if (!header) return std::nullopt;
  std::string text(Trimmed(*header));
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (text.size() > 9) return std::chrono::milliseconds(999'999'999'000);  // absurd, but a wait nonetheless
    return std::chrono::seconds(std::stoll(text));
  }
  // An HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms), which curl_getdate understands.
  time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  auto wait = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(wait));
}

HttpClient::HttpClient(HttpClientSettings settings)
    : settings_(std::move(settings)), authorization_(AuthorizationHeader(settings_.auth)) {
  InitCurlOnce();
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResponse HttpClient::Send(const HttpRequest& request) {
  HttpResponse response;
  CURL* curl = static_cast<CURL*>(curl_);
  if (!curl) {
    response.transport = TransportError::kOther;
    response.transport_message = "libcurl could not create a handle";
    return response;
  }
  // A reset clears every option of the previous request but keeps the open connection and the TLS session.
  curl_easy_reset(curl);
  char error_text[CURL_ERROR_SIZE] = {0};
  std::string url = request.url;
  HeaderSlist headers;
  HeaderSlist connect_to;
  if (!settings_.tls.server_name.empty()) ApplyServerName(curl, request.url, settings_.tls.server_name, url, connect_to);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: sinks run on threads of their own
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, settings_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(request.timeout, settings_.connect_timeout).count()));
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // any encoding libcurl can decode
  ApplyTls(curl, settings_.tls);

  const std::string body = request.gzip ? Gzip(request.body) : std::string();
  const std::string& sent = request.gzip ? body : request.body;
  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, sent.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(sent.size()));
    if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  for (const auto& [name, value] : request.headers.fields()) Append(headers, name + ": " + value);
  if (!authorization_.empty() && !request.headers.Find("Authorization"))
    Append(headers, "Authorization: " + authorization_);
  if (request.gzip) Append(headers, "Content-Encoding: gzip");
  Append(headers, "Expect:");  // no 100-continue round trip before larger bodies
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);

  CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    response.status = 0;
    response.transport = Classify(code);
    response.transport_message = error_text[0] ? error_text : curl_easy_strerror(code);
    return response;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

std::string Gzip(std::string_view body) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return "";
  std::string out(deflateBound(&stream, body.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  stream.avail_in = static_cast<uInt>(body.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace pipeline::http
