#include "connectors/file/file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace pipeline::file {

namespace {

Status WriteAll(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return RetryableError("cannot write " + path + ": " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return {};
}

Status SyncFolderOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return RetryableError("cannot open folder of " + path + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return RetryableError("cannot sync folder of " + path + ": " + std::strerror(errno));
  return {};
}

}  // namespace

FileSink::FileSink(FileSinkSettings settings) : settings_(std::move(settings)) {}

FileSink::~FileSink() { Close(); }

Status FileSink::Open(SinkContext& ctx) {
  rejections_ = ctx.rejections;
  auto encoder = MakeEncoder(settings_.format);
  if (!encoder.ok()) return encoder.error();
  encoder_ = std::move(*encoder);
  // A path without placeholders is opened at once: a wrong folder or permission shows at startup, and the file
  // exists (empty) while nothing has arrived yet. Templated paths depend on the records.
  const PathTemplate& path = settings_.path;
  if (!path.has_part_number() && !path.uses_topic() && path.time_bucket_ms() == 0) {
    auto opened = OpenPartition(path.Partition(0, ""));
    if (!opened.ok()) return opened.error();
  }
  return {};
}

bool FileSink::DueToRoll(const OpenFile& f, Clock::time_point now) const {
  if (!settings_.path.has_part_number()) return false;
  if (settings_.max_records > 0 && f.records >= settings_.max_records) return true;
  if (settings_.max_bytes > 0 && f.bytes >= settings_.max_bytes) return true;
  return settings_.max_age_ms > 0 && now - f.opened >= std::chrono::milliseconds(settings_.max_age_ms);
}

Result<FileSink::OpenFile*> FileSink::FileFor(const Record& record) {
  const int64_t bucket_ms = settings_.path.time_bucket_ms();
  const int64_t bucket = bucket_ms ? (record.timestamp >= 0 ? record.timestamp / bucket_ms
                                                            : (record.timestamp - bucket_ms + 1) / bucket_ms)
                                   : 0;
  if (bucket != cached_bucket_ || (settings_.path.uses_topic() && record.topic != cached_topic_)) {
    cached_partition_ = settings_.path.Partition(record.timestamp, record.topic);
    cached_bucket_ = bucket;
    cached_topic_ = record.topic;
  }
  auto it = files_.find(cached_partition_);
  if (it != files_.end()) return it->second.get();
  return OpenPartition(cached_partition_);
}

Result<FileSink::OpenFile*> FileSink::OpenPartition(const std::string& partition) {
  auto f = std::make_unique<OpenFile>();
  f->partition = partition;
  std::error_code ec;
  if (settings_.path.has_part_number()) {
    // The first part number whose file does not exist yet; O_EXCL guards against a race with another writer.
    int64_t& n = next_part_[partition];
    for (;; ++n) {
      f->path = PathTemplate::WithPart(partition, n);
      auto parent = std::filesystem::path(f->path).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent, ec);
      f->fd = ::open(f->path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (f->fd >= 0 || errno != EEXIST) break;
    }
    ++n;
  } else {
    f->path = partition;
    auto parent = std::filesystem::path(f->path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    f->fd = ::open(f->path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  }
  if (f->fd < 0) return RetryableError("cannot open " + f->path + ": " + std::strerror(errno));
  struct stat st{};
  ::fstat(f->fd, &st);
  f->bytes = st.st_size;
  f->new_entry = true;
  f->opened = f->last_write = Clock::now();
  f->needs_header = f->bytes == 0;
  OpenFile* raw = f.get();
  files_[partition] = std::move(f);
  return raw;
}

Status FileSink::Write(BatchPtr batch) {
  const auto now = Clock::now();
  for (size_t i = 0; i < batch->records.size(); ++i) {
    const Record& record = batch->records[i];
    if (settings_.reject_when && settings_.reject_when->Matches(record)) {
      rejections_->Reject(*batch, i, DataError("rejected by reject_when: " + settings_.reject_when->text()));
      continue;
    }
    auto file = FileFor(record);
    if (!file.ok()) return file.error();
    OpenFile& f = **file;
    const size_t before = f.buffer.size();
    if (f.needs_header) {
      std::string header = encoder_->Header(record);
      if (!header.empty()) f.buffer += header + '\n';
      f.needs_header = false;
    }
    encoder_->Encode(record, f.buffer);
    f.buffer += '\n';
    f.bytes += static_cast<int64_t>(f.buffer.size() - before);
    ++f.records;
    f.unsynced = true;
    f.last_write = now;
    if (DueToRoll(f, now)) {
      PIPE_RETURN_IF_ERROR(CloseFile(f.partition));  // the next record of this partition opens part n+1
    } else if (f.buffer.size() >= settings_.buffer_bytes) {
      PIPE_RETURN_IF_ERROR(WriteBuffer(f));
    }
  }
  held_records_ += batch->size();
  held_.insert(held_.end(), batch->acks.begin(), batch->acks.end());
  batch.reset();
  if (held_records_ >= settings_.max_held_records) return Flush();
  return {};
}

Status FileSink::WriteBuffer(OpenFile& f) {
  if (f.buffer.empty()) return {};
  PIPE_RETURN_IF_ERROR(WriteAll(f.fd, f.buffer, f.path));
  f.buffer.clear();
  return {};
}

Status FileSink::Sync(OpenFile& f) {
  PIPE_RETURN_IF_ERROR(WriteBuffer(f));
  if (f.unsynced) {
    if (::fdatasync(f.fd) != 0) return RetryableError("cannot sync " + f.path + ": " + std::strerror(errno));
    f.unsynced = false;
  }
  if (f.new_entry) {
    PIPE_RETURN_IF_ERROR(SyncFolderOf(f.path));
    f.new_entry = false;
  }
  return {};
}

Status FileSink::CloseFile(const std::string& partition) {
  auto it = files_.find(partition);
  if (it == files_.end()) return {};
  PIPE_RETURN_IF_ERROR(Sync(*it->second));
  ::close(it->second->fd);
  files_.erase(it);
  return {};
}

Status FileSink::Flush() {
  const auto now = Clock::now();
  std::vector<std::string> to_close;
  for (auto& [partition, f] : files_) {
    PIPE_RETURN_IF_ERROR(Sync(*f));
    if (DueToRoll(*f, now) && f->records > 0) to_close.push_back(partition);
    else if (now - f->last_write >= std::chrono::milliseconds(settings_.idle_close_ms)) to_close.push_back(partition);
  }
  for (const auto& partition : to_close) PIPE_RETURN_IF_ERROR(CloseFile(partition));
  held_.clear();  // everything is durable: acknowledge
  held_records_ = 0;
  return {};
}

void FileSink::Close() {
  // Best effort: a clean shutdown flushes first; here only close what is left.
  for (auto& [partition, f] : files_) {
    (void)Sync(*f);
    ::close(f->fd);
  }
  files_.clear();
  held_.clear();
}

}  // namespace pipeline::file
