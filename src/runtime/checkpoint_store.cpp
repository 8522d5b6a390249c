#include "runtime/checkpoint_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "plugin/source.h"

namespace pipeline {

namespace fs = std::filesystem;

namespace {

constexpr const char* kEscapedNamesMarker = "NAMES-ESCAPED";

std::string ErrnoText(int err) { return std::string(std::strerror(err)) + " (errno " + std::to_string(err) + ")"; }

std::string UniqueTempName(const std::string& path) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(random()));
  return path + "." + std::to_string(::getpid()) + "." + suffix + ".tmp";
}

// Writes and fsyncs `contents` into a new file; the descriptor is closed whatever fails.
Status WriteAndSync(const std::string& tmp, const std::string& contents) {
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return FatalError("cannot create " + tmp + ": " + ErrnoText(errno));
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return FatalError("cannot write " + tmp + ": " + ErrnoText(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    return FatalError("cannot sync " + tmp + ": " + ErrnoText(err));
  }
  if (::close(fd) != 0) return FatalError("cannot close " + tmp + ": " + ErrnoText(errno));
  return {};
}

// The rename is durable only once the directory entry is synced; a failure there means the checkpoint may
// come back as the old one after a crash, which must not pass as saved.
Status SyncFolder(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FatalError("cannot open the folder " + dir + " to sync it: " + ErrnoText(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return FatalError("cannot sync the folder " + dir + ": " + ErrnoText(err));
  return {};
}

std::string EscapedFileName(const std::string& name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '-' || c == '_') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out + ".json";
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Status WriteFileAtomic(const std::string& path, const std::string& contents) {
  const std::string tmp = UniqueTempName(path);
  Status written = WriteAndSync(tmp, contents);
  if (written.ok() && ::rename(tmp.c_str(), path.c_str()) != 0)
    written = FatalError("cannot rename " + tmp + " to " + path + ": " + ErrnoText(errno));
  if (!written.ok()) {
    ::unlink(tmp.c_str());
    return written;
  }
  std::string dir = fs::path(path).parent_path().string();
  return SyncFolder(dir.empty() ? "." : dir);
}

CheckpointStore::CheckpointStore(std::string dir) : dir_(std::move(dir)) {
  const fs::path folder = fs::path(dir_) / "checkpoints";
  std::error_code ec;
  const bool existed = fs::exists(folder, ec);
  fs::create_directories(folder, ec);
  if (!existed) std::ofstream(folder / kEscapedNamesMarker).put('\n');
  legacy_names_ = existed && !fs::exists(folder / kEscapedNamesMarker, ec);
  // Temp files of a writer killed mid-write. Their names are unique, so nothing else would replace them; the
  // state dir lock makes sure no other process is writing one now.
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.path().extension() == ".tmp") fs::remove(entry.path(), ec);
}

std::string CheckpointStore::PathFor(const std::string& source_name) const {
  return (fs::path(dir_) / "checkpoints" / EscapedFileName(source_name)).string();
}

std::string CheckpointStore::LegacyPathFor(const std::string& source_name) const {
  std::string safe;
  for (char c : source_name)
    safe.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_');
  return (fs::path(dir_) / "checkpoints" / (safe + ".json")).string();
}

std::optional<std::string> CheckpointStore::Load(const std::string& source_name) const {
  if (auto saved = ReadFile(PathFor(source_name))) return saved;
  if (legacy_names_ && LegacyPathFor(source_name) != PathFor(source_name)) return ReadFile(LegacyPathFor(source_name));
  return std::nullopt;
}

Status CheckpointStore::Save(const std::string& source_name, const std::string& position) {
  std::lock_guard lock(mu_);
  return WriteFileAtomic(PathFor(source_name), position);
}

std::string SourceContext::CheckpointFile() const {
  return checkpoints ? checkpoints->PathFor(name) : "the state dir";
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
