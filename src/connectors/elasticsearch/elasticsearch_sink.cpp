// ElasticsearchSink: the write path (batches in, bulk requests out, every item settled).
#include "connectors/elasticsearch/elasticsearch_sink.h"

#include <algorithm>
#include <iterator>

#include "connectors/elasticsearch/bulk_response.h"
#include "observability/metrics.h"

namespace pipeline::elasticsearch {

namespace {

void Bump(Counter* counter, int64_t n = 1) {
  if (counter) counter->Add(n);
}

}  // namespace

Status ElasticsearchSink::Write(BatchPtr batch) {
  if (!batch || batch->empty()) return {};
  if (batch != batch_of_failed_write_) Add(batch);
  batch_of_failed_write_.reset();
  if (!LimitReached()) return {};
  // Full requests now; a remainder smaller than a request waits for more records, max_age or the flush.
  Status sent = SendPending(/*everything=*/AgeReached());
  if (!sent.ok()) batch_of_failed_write_ = batch;
  return sent;
}

Status ElasticsearchSink::Flush() { return pending_.empty() ? Status{} : SendPending(/*everything=*/true); }

void ElasticsearchSink::Close() {
  // Whatever was not sent stays held: its records are not acknowledged, and a restart sends them again.
  for (Pending& p : pending_) undelivered_.push_back(std::move(p));
  pending_.clear();
  pending_bytes_ = 0;
}

void ElasticsearchSink::Add(const BatchPtr& batch) {
  for (size_t i = 0; i < batch->size(); ++i) {
    auto item = builder_.Build(batch->records[i]);
    if (!item.ok()) {
      ctx_->rejections->Reject(*batch, i, item.error());
      Bump(metrics_.rejected);
      continue;
    }
    if (pending_.empty()) oldest_pending_ = std::chrono::steady_clock::now();
    pending_bytes_ += item->lines.size();
    pending_.push_back(Pending{batch, i, std::move(*item)});
  }
}

bool ElasticsearchSink::FullRequestPending() const {
  return pending_.size() >= settings_.batch.max_records || pending_bytes_ >= settings_.batch.max_bytes;
}

bool ElasticsearchSink::AgeReached() const {
  return !pending_.empty() && std::chrono::steady_clock::now() - oldest_pending_ >= settings_.batch.max_age;
}

bool ElasticsearchSink::LimitReached() const { return FullRequestPending() || AgeReached(); }

size_t ElasticsearchSink::NextChunkSize() const {
  size_t byte_limit = settings_.batch.max_bytes;
  if (chunk_byte_limit_) byte_limit = std::min(byte_limit, chunk_byte_limit_);
  size_t count = 0, bytes = 0;
  while (count < pending_.size() && count < settings_.batch.max_records) {
    size_t next = pending_[count].item.lines.size();
    if (count > 0 && bytes + next > byte_limit) break;
    bytes += next;
    ++count;
  }
  return count;
}

Status ElasticsearchSink::SendPending(bool everything) {
  std::deque<Pending> retry_later;
  std::set<std::string> retried_ids;
  Status status;
  while (!pending_.empty() && status.ok() && (everything || FullRequestPending()))
    status = SendChunk(NextChunkSize(), retry_later, retried_ids);
  // What is sent again goes first, in its order, before anything not sent yet.
  const size_t to_retry = retry_later.size();
  pending_.insert(pending_.begin(), std::make_move_iterator(retry_later.begin()),
                  std::make_move_iterator(retry_later.end()));
  pending_bytes_ = 0;
  for (const Pending& p : pending_) pending_bytes_ += p.item.lines.size();
  if (!status.ok()) return status;
  if (to_retry > 0)
    return RetryableError(Who() + ": " + std::to_string(to_retry) +
                          " documents were answered 429 or 5xx; they are sent again");
  return {};
}

Status ElasticsearchSink::SendChunk(size_t count, std::deque<Pending>& retry_later,
                                    std::set<std::string>& retried_ids) {
  std::string body;
  for (size_t i = 0; i < count; ++i) body += pending_[i].item.lines;
  const size_t body_bytes = body.size();
  auto response = Call("POST", "/_bulk", std::move(body), "application/x-ndjson");
  if (!response.ok()) return response.error();
  if (response->status == 413) return TooLarge(count, body_bytes);
  if (response->status != 200) return RequestFailed("POST /_bulk", *response);
  auto results = ReadBulkResponse(response->body, count);
  if (!results.ok()) return Error(results.error().kind(), Who() + ": " + results.error().message());
  for (size_t i = 0; i < count; ++i) pending_bytes_ -= pending_[i].item.lines.size();  // all leave pending_
  for (size_t i = 0; i < count; ++i) {
    Pending& p = pending_[i];
    const std::string document = p.item.index + '\n' + p.item.id;
    ItemFate fate = FateOf((*results)[i], p.item.op, settings_.external_versions);
    // A later change of a document whose earlier change is sent again must follow it, not precede it.
    if (fate == ItemFate::kDelivered && retried_ids.contains(document)) fate = ItemFate::kRetry;
    if (fate == ItemFate::kDelivered) {
      Bump(p.item.op == BulkOp::kDelete ? metrics_.deleted : metrics_.indexed);
    } else if (fate == ItemFate::kRetry) {
      retried_ids.insert(document);
      Bump(metrics_.retried);
      retry_later.push_back(std::move(p));
    } else {
      ctx_->rejections->Reject(*p.batch, p.index, DataError(RefusalMessage((*results)[i])));
      Bump(metrics_.rejected);
    }
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
  return {};
}

Status ElasticsearchSink::TooLarge(size_t count, size_t body_bytes) {
  if (count > 1) {  // split: the next requests carry half as many bytes
    chunk_byte_limit_ = std::max<size_t>(body_bytes / 2, 1);
    return {};
  }
  Pending& p = pending_.front();
  ctx_->rejections->Reject(*p.batch, p.index,
                           DataError("elasticsearch refused the document (413 Request Entity Too Large): its " +
                                     std::to_string(body_bytes) + "-byte bulk item is more than the server accepts"));
  Bump(metrics_.rejected);
  pending_bytes_ -= p.item.lines.size();
  pending_.pop_front();
  return {};
}

}  // namespace pipeline::elasticsearch
