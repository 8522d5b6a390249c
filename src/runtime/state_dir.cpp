#include "runtime/state_dir.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace pipeline {

namespace fs = std::filesystem;

namespace {

constexpr const char* kLockFile = "LOCK";  // runtime/state_dir_lock.h
constexpr const char* kNamesMarker = "NAMES-ESCAPED";  // runtime/checkpoint_store.cpp: not a checkpoint

// FNV-1a: stable across builds and platforms, unlike std::hash, so that a new binary finds the same folder.
uint64_t StablePathHash(const std::string& text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string StateHome() {
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg && fs::path(xdg).is_absolute())
    return (fs::path(xdg) / "pipe").string();
  if (const char* home = std::getenv("HOME"); home && *home) return (fs::path(home) / ".local/state/pipe").string();
  return {};
}

std::string OldDefault(const std::string& pipeline_file) {
  return (fs::path(".pipe-state") / fs::path(pipeline_file).stem()).string();
}

}  // namespace

std::string DerivedStateDir(const std::string& pipeline_file) {
  std::error_code ec;
  // absolute() does not follow symlinks (canonical() would): a ConfigMap's `..data` swap keeps the path.
  const fs::path absolute = fs::absolute(pipeline_file, ec).lexically_normal();
  const std::string home = StateHome();
  if (ec || home.empty()) return OldDefault(pipeline_file);  // no home to put it under: beside the caller, as before
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(StablePathHash(absolute.string())));
  return (fs::path(home) / (fs::path(pipeline_file).stem().string() + "-" + hash)).string();
}

StateDirChoice ChooseStateDir(const std::string& pipeline_file, const std::string& given) {
  if (!given.empty()) return {given, ""};
  if (const char* env = std::getenv("PIPE_STATE_DIR"); env && *env) return {env, ""};
  const std::string derived = DerivedStateDir(pipeline_file);
  const std::string old = OldDefault(pipeline_file);
  std::error_code ec;
  if (derived != old && fs::is_directory(old, ec) && !fs::exists(derived, ec))
    return {old, "using the state found at the old default " + old + " (from an earlier version); state dirs are "
                 "now derived from the pipeline file's path, " + derived + " for this one: move it there, or keep "
                 "it with --state-dir " + old};
  return {derived, ""};
}

Status ResetStateDir(const std::string& state_dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(state_dir, ec)) {
    if (entry.path().filename() == kLockFile) continue;
    fs::remove_all(entry.path(), ec);
    if (ec) return FatalError("cannot delete " + entry.path().string() + ": " + ec.message());
  }
  if (ec) return FatalError("cannot read the state dir " + state_dir + ": " + ec.message());
  return {};
}

std::optional<std::chrono::system_clock::time_point> LastCheckpointTime(const std::string& state_dir) {
  std::optional<fs::file_time_type> newest;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(state_dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::path name = it->path().filename();
    if (!it->is_regular_file(ec) || name == kLockFile || name == kNamesMarker) continue;
    const fs::file_time_type written = it->last_write_time(ec);
    if (!ec && (!newest || written > *newest)) newest = written;
  }
  if (!newest) return std::nullopt;
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(std::chrono::file_clock::to_sys(*newest));
}

}  // namespace pipeline
