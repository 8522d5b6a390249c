#include "connectors/file/file_position.h"

#include <sstream>

namespace pipeline::file {

namespace {
constexpr const char* kHeader = "file-positions v1";
}  // namespace

std::string EncodePositions(const FilePositions& positions) {
  std::string out = kHeader;
  out += '\n';
  for (const auto& [id, pos] : positions) {
    out += std::to_string(id.dev) + ' ' + std::to_string(id.ino) + ' ' + std::to_string(pos.offset) + ' ';
    out += pos.path;
    out += '\n';
  }
  return out;
}

std::optional<FilePositions> DecodePositions(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != kHeader) return std::nullopt;
  FilePositions positions;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    FileId id;
    FilePosition pos;
    if (!(fields >> id.dev >> id.ino >> pos.offset)) return std::nullopt;
    fields.get();  // the space before the path, which may itself contain spaces
    std::getline(fields, pos.path);
    positions[id] = std::move(pos);
  }
  return positions;
}

}  // namespace pipeline::file
