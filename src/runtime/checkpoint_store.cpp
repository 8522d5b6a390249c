#include "runtime/checkpoint_store.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "plugin/source.h"

namespace pipeline {

namespace fs = std::filesystem;

namespace {

constexpr const char* kEscapedNamesMarker = "NAMES-ESCAPED";

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
  if (!checkpoints || from_start) return std::nullopt;
  return checkpoints->Load(name);
}

Status SourceContext::SaveCheckpoint(const std::string& position) const {
  if (!checkpoints) return {};
  return checkpoints->Save(name, position);
}

}  // namespace pipeline
