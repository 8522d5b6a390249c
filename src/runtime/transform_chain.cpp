#include "runtime/transform_chain.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "formats/json.h"
#include "observability/metrics.h"

namespace pipeline {

std::string DescribeRecord(const Record& record, size_t max_chars) {
  std::string out = "{\"topic\":";
  AppendJsonString(record.topic, out);
  out += ",\"offset\":" + std::to_string(record.offset) + ",\"timestamp\":" + std::to_string(record.timestamp);
  out += ",\"key\":";
  AppendJson(record.key, out);
  out += ",\"value\":";
  AppendJson(record.value, out);
  out += "}";
  if (out.size() > max_chars) out = out.substr(0, max_chars) + "…";
  return out;
}

Status DeadLetterWriter::Write(const std::string& component, const Record& record, const std::string& error) {
  std::string line = "{\"component\":";
  AppendJsonString(component, line);
  line += ",\"error\":";
  AppendJsonString(error, line);
  line += ",\"topic\":";
  AppendJsonString(record.topic, line);
  line += ",\"partition\":" + std::to_string(record.partition) + ",\"offset\":" + std::to_string(record.offset) +
          ",\"timestamp\":" + std::to_string(record.timestamp) + ",\"key\":";
  AppendJson(record.key, line);
  line += ",\"value\":";
  AppendJson(record.value, line);
  line += "}\n";
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return FatalError("cannot open dead-letter file " + path_ + ": " + std::strerror(errno));
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return FatalError("cannot write dead-letter file " + path_ + ": " + std::strerror(errno));
  return {};
}

TransformChain::TransformChain(std::string component, std::vector<std::unique_ptr<RecordTransform>> transforms,
                               config::OnError on_error, std::string dead_letter_path)
    : component_(std::move(component)), transforms_(std::move(transforms)), on_error_(on_error) {
  if (on_error_ == config::OnError::kDeadLetter) dead_letters_ = std::make_unique<DeadLetterWriter>(dead_letter_path);
}

FieldDemand TransformChain::Demand(FieldDemand downstream) const {
  if (dead_letters_) return FieldDemand::All();
  for (auto it = transforms_.rbegin(); it != transforms_.rend(); ++it) downstream = (*it)->Demand(downstream);
  return downstream;
}

Status TransformChain::HandleFailure(const Record& record, const std::string& error) {
  if (failed_) failed_->Add();
  switch (on_error_) {
    case config::OnError::kFail:
      return DataError(component_ + ": " + error + "\n  record: " + DescribeRecord(record) +
                       "\n  (set on_error: skip or dead_letter to let the pipeline go on)");
    case config::OnError::kSkip: return {};
    case config::OnError::kDeadLetter: return dead_letters_->Write(component_, record, error);
  }
  return {};
}

Status TransformChain::Apply(Batch& batch) {
  if (transforms_.empty()) return {};
  size_t kept = 0;
  for (size_t i = 0; i < batch.records.size(); ++i) {
    Record& r = batch.records[i];
    bool keep = true;
    for (auto& t : transforms_) {
      Result<bool> res = t->Apply(r);
      if (!res.ok()) {
        PIPE_RETURN_IF_ERROR(HandleFailure(r, res.error().message()));
        keep = false;
        break;
      }
      if (!*res) {
        keep = false;
        break;
      }
    }
    if (keep) {
      if (kept != i) batch.records[kept] = std::move(r);
      ++kept;
    }
  }
  batch.records.resize(kept);
  return {};
}

}  // namespace pipeline
