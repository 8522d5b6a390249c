#include "plugin/dead_letter.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>

#include "formats/dead_letter_envelope.h"

namespace pipeline {

namespace {

// Appends envelopes to one file. The descriptor is opened at the first Write (building a pipeline does no I/O)
// and kept: one open per process, not one open/fsync/close per record.
class DeadLetterFileWriter : public DeadLetterQueue {
 public:
  explicit DeadLetterFileWriter(std::string path) : path_(std::move(path)) {}
  ~DeadLetterFileWriter() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Write(const DeadLetter& letter) override {
    std::string line;
    AppendDeadLetterEnvelope(letter, line);
    line += '\n';
    std::lock_guard lock(mu_);
    if (fd_ < 0) PIPE_RETURN_IF_ERROR(OpenLocked());
    // One write per line under the lock: writers sharing the file never interleave their lines.
    size_t done = 0;
    while (done < line.size()) {
      ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return FatalError("cannot write dead-letter file " + path_ + ": " + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
    dirty_ = true;
    return {};
  }

  Status Sync() override {
    std::lock_guard lock(mu_);
    if (fd_ < 0 || !dirty_) return {};
    // A failed fsync may have dropped the pages it could not write: nothing written since can be trusted, so it
    // is fatal (the pipeline stops before anything after it is acknowledged).
    if (::fdatasync(fd_) != 0) return FatalError("cannot sync dead-letter file " + path_ + ": " + std::strerror(errno));
    dirty_ = false;
    return {};
  }

  std::string Describe() const override { return "file " + path_; }

 private:
  Status OpenLocked() {
    std::error_code ec;
    auto parent = std::filesystem::path(path_).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) return FatalError("cannot open dead-letter file " + path_ + ": " + std::strerror(errno));
    return {};
  }

  std::string path_;
  std::mutex mu_;
  int fd_ = -1;
  bool dirty_ = false;
};

}  // namespace

std::optional<OnError> ParseOnError(std::string_view text) {
  if (text == "fail") return OnError::kFail;
  if (text == "skip") return OnError::kSkip;
  if (text == "dead_letter") return OnError::kDeadLetter;
  return std::nullopt;
}

namespace {

std::mutex targets_mu;
std::map<std::string, DeadLetterTargetFactory>& Targets() {
  static auto* targets = new std::map<std::string, DeadLetterTargetFactory>;  // outlives static destructors
  return *targets;
}

}  // namespace

std::string_view DeadLetterScheme(std::string_view target) {
  size_t colon = target.find("://");
  if (colon == std::string_view::npos || colon == 0) return {};
  for (char c : target.substr(0, colon))
    if (!std::isalnum(static_cast<unsigned char>(c))) return {};  // "./a://b" is a path
  return target.substr(0, colon);
}

void RegisterDeadLetterTarget(const std::string& scheme, DeadLetterTargetFactory open) {
  std::lock_guard lock(targets_mu);
  Targets()[scheme] = std::move(open);
}

Result<std::shared_ptr<DeadLetterQueue>> OpenDeadLetterQueue(const std::string& target) {
  std::string_view scheme = DeadLetterScheme(target);
  if (scheme.empty()) return OpenDeadLetterFile(target);
  DeadLetterTargetFactory open;
  std::string known = "a file path";
  {
    std::lock_guard lock(targets_mu);
    auto it = Targets().find(std::string(scheme));
    if (it != Targets().end()) open = it->second;
    for (const auto& [name, factory] : Targets()) known += ", " + name + "://...";
  }
  if (!open) return ConfigError("dead_letter_path: unknown target '" + std::string(scheme) + "://', expected " + known);
  return open(target.substr(scheme.size() + 3));
}

std::shared_ptr<DeadLetterQueue> OpenDeadLetterFile(const std::string& path) {
  // Components that name the same file share the writer while any of them holds it (a pipeline reload builds
  // new components before the old ones are gone, and they must not write through two descriptors).
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<DeadLetterQueue>> open;
  std::string key = std::filesystem::absolute(path).lexically_normal().string();
  std::lock_guard lock(mu);
  if (auto shared = open[key].lock()) return shared;
  auto writer = std::make_shared<DeadLetterFileWriter>(key);
  open[key] = writer;
  return writer;
}

}  // namespace pipeline
