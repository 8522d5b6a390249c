// The byte formats of PostgreSQL's streaming replication protocol that travel inside CopyData messages once
// START_REPLICATION runs (PostgreSQL docs, "Streaming Replication Protocol"): the server's XLogData ('w') and
// primary keepalive ('k'), and the client's standby status update ('r'). Pure functions, no libpq: the
// connection lives in replication_stream.h, and the pgoutput payload inside XLogData is decoded elsewhere.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/result.h"

namespace pipeline::postgres_cdc {

// A WAL location (XLogRecPtr): a byte position in the server's write-ahead log, 0 meaning "none". Its int64 value
// orders changes and is the encoding a position uses.
using Lsn = uint64_t;

// "16/B374D848", the form PostgreSQL prints and accepts.
std::string FormatLsn(Lsn lsn);
std::optional<Lsn> ParseLsn(std::string_view text);

// Microseconds since 2000-01-01 00:00:00 UTC, the protocol's clock.
using PgTimestamp = int64_t;
PgTimestamp ToPgTimestamp(std::chrono::system_clock::time_point t);
std::chrono::system_clock::time_point FromPgTimestamp(PgTimestamp t);
// Milliseconds since the Unix epoch, in integers: any 64-bit timestamp converts (through system_clock, whose
// nanoseconds end in 2262, one from the bytes of a corrupt message overflowed; found by fuzzing, issue 20).
// PostgreSQL's `infinity` (the largest value) becomes the largest millisecond count.
int64_t UnixMillisFromPgTimestamp(PgTimestamp t);

// 'w': a piece of WAL (for logical replication: one pgoutput message) starting at wal_start.
struct XLogData {
  Lsn wal_start = 0;
  Lsn wal_end = 0;  // the server's current end of WAL
  PgTimestamp send_time = 0;
  std::string payload;
};

// 'k': the server's heartbeat, carrying its current end of WAL.
struct PrimaryKeepalive {
  Lsn wal_end = 0;
  PgTimestamp send_time = 0;
  bool reply_requested = false;  // the server disconnects us if no message of ours follows in time
};

using ServerMessage = std::variant<XLogData, PrimaryKeepalive>;

// Decodes one CopyData message from the server; an unknown type or a short message is a fatal error (the stream
// cannot be trusted after it).
Result<ServerMessage> ParseServerMessage(std::string_view bytes);

// 'r': what the client has received (write), made durable (flush) and applied; the server advances a logical
// slot's confirmed_flush_lsn to `flush`.
struct StandbyStatus {
  Lsn written = 0;
  Lsn flushed = 0;
  Lsn applied = 0;
  PgTimestamp client_time = 0;
  bool reply_requested = false;
};

std::string EncodeStandbyStatus(const StandbyStatus& status);

}  // namespace pipeline::postgres_cdc
