#include "connectors/file/dead_letter_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "formats/json.h"

namespace pipeline::file {

namespace {

// Structure only (lead byte + continuation bytes); enough to know the bytes survive as a JSON string.
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    if (c < 0x80) n = 0;
    else if ((c >> 5) == 0x6) n = 1;
    else if ((c >> 4) == 0xe) n = 2;
    else if ((c >> 3) == 0x1e) n = 3;
    else return false;
    for (size_t k = 1; k <= n; ++k)
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  if (i < in.size()) {
    uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace

std::string DeadLetterLine(std::string_view input, int64_t offset, std::string_view error, std::string_view raw) {
  std::string line = "{\"file\":";
  AppendJsonString(input, line);
  line += ",\"offset\":" + std::to_string(offset) + ",\"error\":";
  AppendJsonString(error, line);
  if (IsValidUtf8(raw)) {
    line += ",\"raw\":";
    AppendJsonString(raw, line);
  } else {
    line += ",\"raw_base64\":\"" + Base64(raw) + "\"";
  }
  line += '}';
  return line;
}

DeadLetterFile::~DeadLetterFile() { Close(); }

Status DeadLetterFile::Open(const std::string& path) {
  path_ = path;
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return FatalError("cannot open dead letter file " + path + ": " + std::strerror(errno));
  return {};
}

Status DeadLetterFile::Append(std::string_view input, int64_t offset, std::string_view error, std::string_view raw) {
  std::string line = DeadLetterLine(input, offset, error, raw);
  line += '\n';
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FatalError("cannot write dead letter file " + path_ + ": " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  dirty_ = true;
  ++count_;
  return {};
}

Status DeadLetterFile::Sync() {
  if (fd_ < 0 || !dirty_) return {};
  if (::fdatasync(fd_) != 0) return FatalError("cannot sync dead letter file " + path_ + ": " + std::strerror(errno));
  dirty_ = false;
  return {};
}

void DeadLetterFile::Close() {
  if (fd_ < 0) return;
  (void)Sync();
  ::close(fd_);
  fd_ = -1;
}

}  // namespace pipeline::file
