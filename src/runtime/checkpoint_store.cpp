#include "runtime/checkpoint_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "plugin/source.h"

namespace pipeline {

namespace fs = std::filesystem;

Status WriteFileAtomic(const std::string& path, const std::string& contents) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return FatalError("cannot write " + tmp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return FatalError("cannot write " + tmp + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return FatalError("cannot sync " + tmp + ": " + std::strerror(errno));
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    return FatalError("cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
  // The rename is durable only once the directory entry is synced.
  std::string dir = fs::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

CheckpointStore::CheckpointStore(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(fs::path(dir_) / "checkpoints", ec);
}

std::string CheckpointStore::PathFor(const std::string& source_name) const {
  std::string safe;
  for (char c : source_name) safe.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_');
  return (fs::path(dir_) / "checkpoints" / (safe + ".json")).string();
}

std::optional<std::string> CheckpointStore::Load(const std::string& source_name) const {
  std::ifstream in(PathFor(source_name), std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status CheckpointStore::Save(const std::string& source_name, const std::string& position) {
  std::lock_guard lock(mu_);
  return WriteFileAtomic(PathFor(source_name), position);
}

std::optional<std::string> SourceContext::LoadCheckpoint() const {
  if (!checkpoints) return std::nullopt;
  return checkpoints->Load(name);
}

Status SourceContext::SaveCheckpoint(const std::string& position) const {
  if (!checkpoints) return {};
  return checkpoints->Save(name, position);
}

}  // namespace pipeline
