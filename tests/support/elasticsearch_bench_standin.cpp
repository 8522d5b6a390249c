// The stand-in's bulk path in C++, for bench/elasticsearch only: the Python stand-in (elasticsearch_standin.py)
// spends ~100 us per document, so a benchmark against it would measure Python, not the clients. This one answers
// `GET /` as Elasticsearch 8 and `POST /_bulk` with `index`/`create` items (ids given or assigned) in the
// documented response shape, keeps the raw documents, and serves them back for the benchmark's checksum:
//   GET /_standin/documents/{index} (one document per line), POST /_standin/reset.
// Usage: elasticsearch_bench_standin [port]   prints PORT=<n> once it listens on 127.0.0.1.
#include <httplib.h>
#include <simdjson.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <unordered_map>

namespace {

std::mutex mu;
std::unordered_map<std::string, std::unordered_map<std::string, std::string>> indexes;
uint64_t next_id = 0;

void AppendQuoted(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

// One bulk body: the items' results appended to `items`; false (with `error` set) for a malformed body.
bool ApplyBulk(const std::string& body, std::string& items, std::string& error) {
  if (!body.empty() && body.back() != '\n') {
    error = "The bulk request must be terminated by a newline [\\n]";
    return false;
  }
  simdjson::dom::parser parser;
  std::lock_guard lock(mu);
  size_t at = 0;
  bool first = true;
  while (at < body.size()) {
    size_t end = body.find('\n', at);
    size_t doc_end = end == std::string::npos ? std::string::npos : body.find('\n', end + 1);
    if (doc_end == std::string::npos) {
      error = "an action line without its document";
      return false;
    }
    simdjson::dom::object object = parser.parse(std::string_view(body).substr(at, end - at)).get_object();
    std::string_view op, index, id;
    for (auto [name, meta] : object) {
      op = name;
      for (auto [key, value] : meta.get_object()) {
        if (key == "_index") index = value.get_string();
        if (key == "_id") id = value.get_string();
      }
    }
    std::string doc_id = id.empty() ? "auto" + std::to_string(next_id++) : std::string(id);
    auto& docs = indexes[std::string(index)];
    bool existed = docs.count(doc_id) > 0;
    docs[doc_id] = body.substr(end + 1, doc_end - end - 1);
    if (!std::exchange(first, false)) items += ',';
    items += "{\"" + std::string(op) + "\":{\"_index\":";
    AppendQuoted(items, index);
    items += ",\"_id\":";
    AppendQuoted(items, doc_id);
    items += existed ? ",\"_version\":2,\"result\":\"updated\",\"status\":200}}"
                     : ",\"_version\":1,\"result\":\"created\",\"status\":201}}";
    at = doc_end + 1;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  httplib::Server server;
  server.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Elastic-Product", "Elasticsearch");
    res.set_content(R"({"name":"bench","version":{"number":"8.11.3","build_flavor":"default"},)"
                    R"("tagline":"You Know, for Search"})", "application/json");
  });
  server.Post("/_bulk", [](const httplib::Request& req, httplib::Response& res) {
    std::string items, error;
    res.set_header("X-Elastic-Product", "Elasticsearch");
    try {
      if (!ApplyBulk(req.body, items, error)) {
        res.status = 400;
        res.set_content(R"({"error":{"type":"illegal_argument_exception","reason":")" + error + "\"},\"status\":400}",
                        "application/json");
        return;
      }
    } catch (const simdjson::simdjson_error& e) {
      res.status = 400;
      res.set_content(std::string(R"({"error":{"type":"x_content_parse_exception","reason":")") + e.what() + "\"}}",
                      "application/json");
      return;
    }
    // Elasticsearch's own media type, which cpp-httplib does not compress: its brotli at quality 11 costs more than
    // everything else here (the client asks for any encoding).
    res.set_content("{\"took\":0,\"errors\":false,\"items\":[" + items + "]}",
                    "application/vnd.elasticsearch+json;compatible-with=8");
  });
  server.Post("/_standin/reset", [](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(mu);
    indexes.clear();
    res.set_content("{}", "application/json");
  });
  server.Get(R"(/_standin/documents/([^/]+))", [](const httplib::Request& req, httplib::Response& res) {
    std::string out;
    std::lock_guard lock(mu);
    for (const auto& [id, doc] : indexes[req.matches[1]]) out += doc + "\n";
    res.set_content(out, "application/x-ndjson");
  });
  server.set_keep_alive_max_count(1 << 30);  // one connection per client, as Elasticsearch keeps them
  // Headers and body leave in two writes: with Nagle the body waits for the client's delayed ACK (~40 ms).
  server.set_tcp_nodelay(true);
  int port = argc > 1 ? std::atoi(argv[1]) : 0;
  if (port == 0) port = server.bind_to_any_port("127.0.0.1");
  else if (!server.bind_to_port("127.0.0.1", port)) return 1;
  std::printf("PORT=%d\n", port);
  std::fflush(stdout);
  return server.listen_after_bind() ? 0 : 1;
}
