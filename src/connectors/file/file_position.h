// FilePositions: how far a file source has delivered each file, keyed by (device, inode) so that a position
// follows its file through a rename (log rotation) and a new file at the same path starts from the beginning.
// The checkpoint text is one line per file: "<dev> <inode> <offset> <path>" after a "file-positions v1" header.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace pipeline::file {

struct FileId {
  uint64_t dev = 0;
  uint64_t ino = 0;
  auto operator<=>(const FileId&) const = default;
};

struct FilePosition {
  std::string path;    // where the file was last seen (informational: identity is the FileId)
  int64_t offset = 0;  // bytes delivered
};

using FilePositions = std::map<FileId, FilePosition>;

std::string EncodePositions(const FilePositions& positions);
// nullopt if the text is not a positions checkpoint.
std::optional<FilePositions> DecodePositions(const std::string& text);

}  // namespace pipeline::file
