// The `elasticsearch` sink: records become `_bulk` items (bulk_item.h), sent one request per batch; every item's
// result is read (bulk_response.h): delivered items release their records, 429/5xx items are sent again alone,
// other refusals are rejected per record with the server's reason. Whole requests that fail for a while (429,
// 502-504, a connection refused or cut) are retried by the runtime's retry policy; the items still pending are
// what is sent again, so items that succeeded are never sent twice. README.md has the details.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connectors/elasticsearch/bulk_item.h"
#include "connectors/elasticsearch/elasticsearch_settings.h"
#include "connectors/elasticsearch/node_pool.h"
#include "connectors/elasticsearch/server_flavor.h"
#include "connectors/http/http_client.h"
#include "plugin/sink.h"

namespace pipeline {
class Counter;
}

namespace pipeline::elasticsearch {

class ElasticsearchSink : public Sink {
 public:
  explicit ElasticsearchSink(ElasticsearchSettings settings);
  ~ElasticsearchSink() override;
  Status Open(SinkContext& ctx) override;
  Status Write(BatchPtr batch) override;
  Status Flush() override;
  void Close() override;

 private:
  struct Pending {
    BatchPtr batch;  // held until the item is settled: that is the record's acknowledgement
    size_t index = 0;
    BulkItem item;
  };
  struct Metrics {
    Counter* indexed = nullptr;
    Counter* deleted = nullptr;
    Counter* rejected = nullptr;
    Counter* retried = nullptr;
    Counter* requests = nullptr;
    Counter* latency_ms = nullptr;
    Counter* bytes_sent = nullptr;
  };

  void Add(const BatchPtr& batch);
  bool FullRequestPending() const;
  bool AgeReached() const;
  bool LimitReached() const;
  // Sends the pending items in requests of at most batch.max_records / max_bytes: all of them, or (not
  // `everything`) as long as a full request is pending.
  Status SendPending(bool everything);
  size_t NextChunkSize() const;
  // One bulk request of the first `count` pending items; settled items leave `pending_`, retried ones go to
  // `retry_later`.
  Status SendChunk(size_t count, std::deque<Pending>& retry_later, std::set<std::string>& retried_ids);
  // The server answered 413: split the request, or reject a single item that is too large by itself.
  Status TooLarge(size_t count, size_t body_bytes);
  Result<http::HttpResponse> Call(const std::string& method, const std::string& path, std::string body,
                                  const std::string& content_type = "application/json");
  Status CheckServer();
  Status PutTemplateIfMissing();
  // The error for a refused request; before a retryable one, waits the server's Retry-After.
  Error RequestFailed(const std::string& what, const http::HttpResponse& response);
  std::string Who() const { return "elasticsearch sink '" + settings_.name + "'"; }

  ElasticsearchSettings settings_;
  SinkContext* ctx_ = nullptr;
  std::unique_ptr<http::HttpClient> client_;
  NodePool nodes_;
  BulkItemBuilder builder_;
  std::optional<ServerFlavor> flavor_;
  Metrics metrics_;
  std::deque<Pending> pending_;
  size_t pending_bytes_ = 0;
  std::chrono::steady_clock::time_point oldest_pending_{};
  size_t chunk_byte_limit_ = 0;   // lowered when the server answers 413
  BatchPtr batch_of_failed_write_;  // a Write the runtime retries: its items are pending already
  std::vector<Pending> undelivered_;  // left at Close: never acknowledged
};

}  // namespace pipeline::elasticsearch
