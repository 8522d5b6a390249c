#include "connectors/postgres_cdc/replication_protocol.h"

#include <cstdio>
#include <limits>

namespace pipeline::postgres_cdc {
namespace {

// Seconds from the Unix epoch to PostgreSQL's, 2000-01-01.
constexpr int64_t kPgEpochUnixSeconds = 946'684'800;

uint64_t ReadUint64(std::string_view bytes, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

void AppendUint64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

}  // namespace

std::string FormatLsn(Lsn lsn) {
  char text[24];
  std::snprintf(text, sizeof text, "%X/%X", static_cast<unsigned>(lsn >> 32), static_cast<unsigned>(lsn));
  return text;
}

std::optional<Lsn> ParseLsn(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) return std::nullopt;
  auto hex = [](std::string_view part) -> std::optional<uint64_t> {
    if (part.size() > 8) return std::nullopt;
    uint64_t v = 0;
    for (char c : part) {
      int digit = HexDigit(c);
      if (digit < 0) return std::nullopt;
      v = (v << 4) | static_cast<uint64_t>(digit);
    }
    return v;
  };
  auto high = hex(text.substr(0, slash));
  auto low = hex(text.substr(slash + 1));
  if (!high || !low) return std::nullopt;
  return (*high << 32) | *low;
}

PgTimestamp ToPgTimestamp(std::chrono::system_clock::time_point t) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  return us - kPgEpochUnixSeconds * 1'000'000;
}

std::chrono::system_clock::time_point FromPgTimestamp(PgTimestamp t) {
  return std::chrono::system_clock::time_point(std::chrono::microseconds(t + kPgEpochUnixSeconds * 1'000'000));
}

int64_t UnixMillisFromPgTimestamp(PgTimestamp t) {
  constexpr int64_t kOffsetMicros = kPgEpochUnixSeconds * 1'000'000;
  if (t > std::numeric_limits<int64_t>::max() - kOffsetMicros) return std::numeric_limits<int64_t>::max() / 1000;
  return (t + kOffsetMicros) / 1000;
}

Result<ServerMessage> ParseServerMessage(std::string_view bytes) {
  if (bytes.empty()) return FatalError("postgres replication: an empty message from the server");
  switch (bytes[0]) {
    case 'w': {
      if (bytes.size() < 25) return FatalError("postgres replication: an XLogData message shorter than its header");
      XLogData data{ReadUint64(bytes, 1), ReadUint64(bytes, 9), static_cast<PgTimestamp>(ReadUint64(bytes, 17)),
                    std::string(bytes.substr(25))};
      return ServerMessage(std::move(data));
    }
    case 'k': {
      if (bytes.size() < 18) return FatalError("postgres replication: a keepalive message shorter than 18 bytes");
      return ServerMessage(
          PrimaryKeepalive{ReadUint64(bytes, 1), static_cast<PgTimestamp>(ReadUint64(bytes, 9)), bytes[17] != 0});
    }
    default:
      return FatalError(std::string("postgres replication: unknown message type '") + bytes[0] + "' from the server");
  }
}

std::string EncodeStandbyStatus(const StandbyStatus& status) {
  std::string out;
  out.reserve(34);
  out.push_back('r');
  AppendUint64(out, status.written);
  AppendUint64(out, status.flushed);
  AppendUint64(out, status.applied);
  AppendUint64(out, static_cast<uint64_t>(status.client_time));
  out.push_back(status.reply_requested ? 1 : 0);
  return out;
}

}  // namespace pipeline::postgres_cdc
