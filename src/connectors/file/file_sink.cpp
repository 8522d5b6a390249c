#include "connectors/file/file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace pipeline::file {

namespace {

std::string ErrnoText(int err) { return std::string(std::strerror(err)) + " (errno " + std::to_string(err) + ")"; }

Status SyncFolderOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return RetryableError("cannot open folder of " + path + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  // Like a file's fdatasync, a failed folder fsync cannot be retried into a durable state.
  if (rc != 0) return FatalError("cannot sync the folder of " + path + ": " + ErrnoText(err));
  return {};
}

}  // namespace

FileSink::FileSink(FileSinkSettings settings, FileOps ops) : settings_(std::move(settings)), ops_(ops) {}

FileSink::~FileSink() { Close(); }

Status FileSink::Open(SinkContext& ctx) {
  rejections_ = ctx.rejections;
  auto encoder = settings_.metadata ? MakeWholeRecordEncoder(settings_.format)
                                       : MakeEncoder(settings_.format, settings_.csv);
  if (!encoder.ok()) return encoder.error();
  encoder_ = std::move(*encoder);
  // A path without placeholders is opened at once: a wrong folder or permission shows at startup, and the file
  // exists (empty) while nothing has arrived yet. Templated paths depend on the records.
  const PathTemplate& path = settings_.path;
  if (!path.has_part_number() && !path.uses_topic() && path.time_bucket_ms() == 0 && !path.uses_record_contents()) {
    auto opened = OpenPartition(path.Partition(Record{}));
    if (!opened.ok()) return opened.error();
  }
  return {};
}

bool FileSink::DueToRoll(const OpenFile& f, Clock::time_point now) const {
  if (!settings_.path.has_part_number() || f.records == 0) return false;
  if (settings_.max_records > 0 && f.records >= settings_.max_records) return true;
  if (settings_.max_bytes > 0 && f.bytes() >= settings_.max_bytes) return true;
  return settings_.max_age_ms > 0 && now - f.opened >= std::chrono::milliseconds(settings_.max_age_ms);
}

// The file the record goes to. A file due to roll is synced and closed first, so that a failure there leaves
// the record untaken and a retry rolls again.
Result<FileSink::OpenFile*> FileSink::FileFor(const Record& record, Clock::time_point now) {
  const int64_t bucket_ms = settings_.path.time_bucket_ms();
  const int64_t bucket = bucket_ms ? (record.timestamp >= 0 ? record.timestamp / bucket_ms
                                                            : (record.timestamp - bucket_ms + 1) / bucket_ms)
                                   : 0;
  if (settings_.path.uses_record_contents() || bucket != cached_bucket_ ||
      (settings_.path.uses_topic() && record.topic != cached_topic_)) {
    cached_partition_ = settings_.path.Partition(record);
    cached_bucket_ = bucket;
    cached_topic_ = record.topic;
  }
  auto it = files_.find(cached_partition_);
  if (it != files_.end()) {
    if (!DueToRoll(*it->second, now)) return it->second.get();
    PIPE_RETURN_IF_ERROR(CloseFile(cached_partition_));  // the record goes to part n+1
  }
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
  if (f->fd < 0) {
    // A full disk or too many open files may pass; a path that cannot exist or may not be written will not.
    const int error = errno;
    std::string message = "cannot open " + f->path + ": " + std::strerror(error);
    if (error == ENOSPC || error == EDQUOT || error == EMFILE || error == ENFILE || error == EINTR || error == EAGAIN)
      return RetryableError(message);
    return FatalError(message);
  }
  struct stat st{};
  ::fstat(f->fd, &st);
  f->synced = st.st_size;
  f->new_entry = true;
  f->opened = f->last_write = Clock::now();
  f->needs_header = f->synced == 0;
  OpenFile* raw = f.get();
  files_[partition] = std::move(f);
  return raw;
}

Status FileSink::Write(BatchPtr batch) {
  if (broken_) return FatalError(*broken_);
  if (taking_ != batch) {
    // Only a runtime that gave up retrying sends another batch before the kept one is taken; take that first.
    if (taking_) PIPE_RETURN_IF_ERROR(TakeRestOfBatch());
    taking_ = std::move(batch);
    taking_next_ = 0;
  }
  return TakeRestOfBatch();
}

Status FileSink::TakeRestOfBatch() {
  const auto now = Clock::now();
  const auto& records = taking_->records;
  while (taking_next_ < records.size()) {
    const Record& record = records[taking_next_];
    if (settings_.reject_when && settings_.reject_when->Matches(record)) {
      rejections_->Reject(*taking_, taking_next_++,
                          DataError("rejected by reject_when: " + settings_.reject_when->text()));
      continue;
    }
    auto file = FileFor(record, now);
    if (!file.ok()) return file.error();
    OpenFile& f = **file;
    Encode(records[taking_next_], f, now);
    ++taking_next_;
    if (f.unsynced.size() - f.written >= settings_.buffer_bytes) PIPE_RETURN_IF_ERROR(WriteOut(f));
  }
  if (held_records_ + records.size() >= settings_.max_held_records || unsynced_bytes_ >= settings_.max_held_bytes) {
    // The batch's own acknowledgements go when it is dropped below, after this flush made it durable.
    PIPE_RETURN_IF_ERROR(Flush());
  } else {
    held_records_ += records.size();
    held_.insert(held_.end(), taking_->acks.begin(), taking_->acks.end());
  }
  taking_.reset();
  return {};
}

void FileSink::Encode(const Record& record, OpenFile& f, Clock::time_point now) {
  const size_t before = f.unsynced.size();
  if (f.needs_header) {
    std::string header = encoder_->Header(record);
    if (!header.empty()) f.unsynced += header + '\n';
    f.needs_header = false;
  }
  encoder_->Encode(record, f.unsynced);
  f.unsynced += '\n';
  unsynced_bytes_ += f.unsynced.size() - before;
  ++f.records;
  f.last_write = now;
}

Status FileSink::WriteOut(OpenFile& f) {
  while (f.written < f.unsynced.size()) {
    ssize_t n = ops_.write(f.fd, f.unsynced.data() + f.written, f.unsynced.size() - f.written);
    if (n > 0) {
      f.written += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int err = n == 0 ? ENOSPC : errno;  // a regular file takes nothing only when it cannot grow
    if (err == ENOSPC || err == EDQUOT) return CutBackToSynced(f, err);
    return Broken("cannot write " + f.path + ": " + ErrnoText(err) + "; its records since the last sync are " +
                  "not acknowledged");
  }
  return {};
}

// A partial write left part of a line in the file: cut it back to the last synced size, so that the retry
// writes the kept bytes from there once instead of appending after a torn line.
Status FileSink::CutBackToSynced(OpenFile& f, int write_errno) {
  if (ops_.ftruncate(f.fd, f.synced) != 0 || ::lseek(f.fd, f.synced, SEEK_SET) < 0)
    return Broken("cannot cut " + f.path + " back to its last synced size (" + std::to_string(f.synced) +
                  " bytes) after " + ErrnoText(write_errno) + ": " + ErrnoText(errno));
  f.written = 0;
  return RetryableError("cannot write " + f.path + ": " + ErrnoText(write_errno) + "; cut back to its last synced " +
                        "size (" + std::to_string(f.synced) + " bytes), " + std::to_string(f.unsynced.size()) +
                        " bytes wait to be written again");
}

Status FileSink::Sync(OpenFile& f) {
  if (!f.unsynced.empty()) {
    PIPE_RETURN_IF_ERROR(WriteOut(f));
    if (ops_.fdatasync(f.fd) != 0)
      return Broken("cannot sync " + f.path + ": " + ErrnoText(errno) + "; what was written since its last sync " +
                    "may be lost, so it is not retried and those records are not acknowledged");
    f.synced += static_cast<int64_t>(f.unsynced.size());
    unsynced_bytes_ -= f.unsynced.size();
    f.unsynced.clear();
    f.unsynced.shrink_to_fit();  // a burst's buffer is not kept for the idle time after it
    f.written = 0;
  }
  if (f.new_entry) {
    Status s = SyncFolderOf(f.path);
    if (!s.ok()) return s.error().kind() == ErrorKind::kFatal ? Broken(s.message()) : s;
    f.new_entry = false;
  }
  return {};
}

Status FileSink::Broken(std::string message) {
  broken_ = message;
  return FatalError(std::move(message));
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
  if (broken_) return FatalError(*broken_);
  const auto now = Clock::now();
  std::vector<std::string> to_close;
  for (auto& [partition, f] : files_) {
    PIPE_RETURN_IF_ERROR(Sync(*f));
    if (DueToRoll(*f, now)) to_close.push_back(partition);
    else if (now - f->last_write >= std::chrono::milliseconds(settings_.idle_close_ms)) to_close.push_back(partition);
  }
  for (const auto& partition : to_close) PIPE_RETURN_IF_ERROR(CloseFile(partition));
  held_.clear();  // everything is durable: acknowledge
  held_records_ = 0;
  return {};
}

void FileSink::Close() {
  // A clean shutdown flushed first. Whatever is still unsynced was not acknowledged and will be read again,
  // so it is cut off rather than left to double the output of the next run.
  for (auto& [partition, f] : files_) {
    if (!f->unsynced.empty() && f->written > 0) (void)ops_.ftruncate(f->fd, f->synced);
    ::close(f->fd);
  }
  files_.clear();
  held_.clear();
  taking_.reset();
  unsynced_bytes_ = 0;
}

}  // namespace pipeline::file
