#include "observability/http_server.h"

#include <httplib.h>

#include <thread>

#include "observability/metrics.h"

namespace pipeline {

struct HttpServer::Impl {
  MetricsRegistry* metrics;
  std::function<std::vector<std::string>()> not_ready;
  httplib::Server server;
  std::thread thread;
  int port = 0;
};

HttpServer::HttpServer(MetricsRegistry* metrics, std::function<std::vector<std::string>()> not_ready)
    : impl_(std::make_unique<Impl>()) {
  impl_->metrics = metrics;
  impl_->not_ready = std::move(not_ready);
  auto* impl = impl_.get();
  impl->server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  impl->server.Get("/readyz", [impl](const httplib::Request&, httplib::Response& res) {
    std::vector<std::string> reasons = impl->not_ready ? impl->not_ready() : std::vector<std::string>{"starting"};
    res.status = reasons.empty() ? 200 : 503;
    std::string body = reasons.empty() ? "ready\n" : "not ready\n";
    for (const auto& r : reasons) body += r + "\n";
    res.set_content(body, "text/plain");
  });
  impl->server.Get("/metrics", [impl](const httplib::Request&, httplib::Response& res) {
    res.set_content(impl->metrics->RenderPrometheus(), "text/plain; version=0.0.4");
  });
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return ConfigError("--http " + address + ": expected HOST:PORT, e.g. 127.0.0.1:8686");
  std::string host = address.substr(0, colon);
  int port = std::atoi(address.c_str() + colon + 1);
  if (port == 0) {
    impl_->port = impl_->server.bind_to_any_port(host.c_str());
  } else {
    impl_->port = impl_->server.bind_to_port(host.c_str(), port) ? port : -1;
  }
  if (impl_->port < 0) return ConfigError("--http " + address + ": cannot listen there (address in use?)");
  impl_->thread = std::thread([impl = impl_.get()] { impl->server.listen_after_bind(); });
  return {};
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  if (impl_ && impl_->thread.joinable()) {
    impl_->server.stop();
    impl_->thread.join();
  }
}

}  // namespace pipeline
