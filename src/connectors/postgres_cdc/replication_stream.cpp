#include "connectors/postgres_cdc/replication_stream.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <thread>

#include "connectors/postgres_client/pg_handles.h"

namespace pipeline::postgres_cdc {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

using postgres_client::PgResult;
using postgres_client::SqlState;
using postgres_client::Trimmed;

// Slot names are what the server allows: lower-case letters, digits and underscores, at most 63 of them. Checking
// here lets the name go into a replication command unquoted.
bool ValidSlotName(const std::string& name) {
  auto allowed = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; };
  return !name.empty() && name.size() <= 63 && std::all_of(name.begin(), name.end(), allowed);
}

// publication_names takes a string literal holding comma-separated identifiers, each quoted here.
std::string PublicationNamesLiteral(const std::vector<std::string>& publications) {
  std::string list;
  for (const auto& name : publications) {
    if (!list.empty()) list += ',';
    list += '"';
    for (char c : name) list += c == '"' ? std::string("\"\"") : std::string(1, c);
    list += '"';
  }
  std::string literal = "'";
  for (char c : list) literal += c == '\'' ? std::string("''") : std::string(1, c);
  return literal + "'";
}

// Errors the user fixes in the server or the pipeline, not by retrying: a refused login or a missing right.
bool IsConfigProblem(const std::string& message) {
  if (postgres_client::IsRefusedConnection(message)) return true;
  for (const char* needle : {"must be superuser or replication role", "permission denied", "wal_level"}) {
    if (message.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::optional<milliseconds> ParsePgDuration(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 12) return std::nullopt;
  int64_t n = std::stoll(std::string(text.substr(0, digits)));
  std::string_view unit = text.substr(digits);
  if (unit == "ms") return milliseconds(n);
  if (unit == "s" || unit.empty()) return milliseconds(n * 1000);
  if (unit == "min") return milliseconds(n * 60'000);
  if (unit == "h") return milliseconds(n * 3'600'000);
  if (unit == "d") return milliseconds(n * 86'400'000);
  return std::nullopt;
}

Result<std::unique_ptr<ReplicationStream>> ReplicationStream::Open(const ReplicationOptions& options) {
  if (!ValidSlotName(options.slot)) {
    return ConfigError("slot '" + options.slot + "': use lower-case letters, digits and underscores (at most 63)");
  }
  if (options.publications.empty()) return ConfigError("postgres replication needs at least one publication");
  auto dsn = PostgresDsn::Parse(options.dsn);
  if (!dsn.ok()) return dsn.error();
  std::unique_ptr<ReplicationStream> stream(new ReplicationStream(std::move(dsn).value(), nullptr));
  stream->max_pending_bytes_ = std::max<size_t>(options.max_pending_bytes, 1);
  PIPE_RETURN_IF_ERROR(stream->Connect(!options.snapshot_only));
  PIPE_RETURN_IF_ERROR(stream->ReadWalSenderTimeout());
  if (options.status_interval > milliseconds(0)) {
    stream->status_interval_ = options.status_interval;
  } else if (stream->wal_sender_timeout_ > milliseconds(0)) {
    // A third of the timeout leaves room for two late updates before the server gives up on us.
    stream->status_interval_ = std::min(stream->wal_sender_timeout_ / 3, milliseconds(10'000));
  }
  stream->options_ = options;
  if (options.snapshot_only) {
    PIPE_RETURN_IF_ERROR(stream->BeginSnapshotWithoutSlot());
    return stream;
  }
  if (options.snapshot) {
    PIPE_RETURN_IF_ERROR(stream->DropSlotAndBeginSnapshot(options));
    return stream;
  }
  PIPE_RETURN_IF_ERROR(stream->CreateSlotIfMissing(options));
  PIPE_RETURN_IF_ERROR(stream->StartStreaming(options));
  return stream;
}

ReplicationStream::~ReplicationStream() {
  if (conn_) PQfinish(conn_);
}

Error ReplicationStream::ConnectionError(std::string_view what) const {
  std::string message = postgres_client::WithTlsHint(
      "postgres replication connection to " + label() + ": " + std::string(what) + ": " +
      dsn_.Redact(Trimmed(conn_ ? PQerrorMessage(conn_) : "no connection")));
  return IsConfigProblem(message) ? ConfigError(std::move(message)) : RetryableError(std::move(message));
}

Status ReplicationStream::Connect(bool replication) {
  // The DSN is expanded in place of dbname; keys after it override it, keys before it are defaults it may change.
  // DateStyle ISO: pgoutput sends values in the walsender's output format, and the decoder reads ISO dates.
  const char* keys[] = {"connect_timeout", "fallback_application_name", "options", "dbname", "replication", nullptr};
  const char* values[] = {"10", "pipe", "-c datestyle=ISO", dsn_.dsn().c_str(), replication ? "database" : "false",
                          nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (PQstatus(conn_) != CONNECTION_OK) return ConnectionError("cannot connect");
  return Status::Ok();
}

Status ReplicationStream::ReadWalSenderTimeout() {
  PgResult r(PQexec(conn_, "SHOW wal_sender_timeout"));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) != 1) {
    return ConnectionError("SHOW wal_sender_timeout failed");
  }
  auto timeout = ParsePgDuration(PQgetvalue(r.get(), 0, 0));
  if (!timeout) return FatalError(label() + ": cannot read wal_sender_timeout '" + PQgetvalue(r.get(), 0, 0) + "'");
  wal_sender_timeout_ = *timeout;
  return Status::Ok();
}

Status ReplicationStream::CreateSlotIfMissing(const ReplicationOptions& options) {
  std::string command = "CREATE_REPLICATION_SLOT " + options.slot + (options.temporary_slot ? " TEMPORARY" : "") +
                        " LOGICAL pgoutput NOEXPORT_SNAPSHOT";
  PgResult created(PQexec(conn_, command.c_str()));
  if (PQresultStatus(created.get()) == PGRES_TUPLES_OK) {
    slot_created_ = true;
  } else if (SqlState(created.get()) != "42710") {  // 42710 duplicate_object: the slot exists, keep it
    return ConnectionError("cannot create the replication slot '" + options.slot + "'");
  }
  flushed_ = options.start;
  if (options.start == 0) {
    std::string query = "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '" + options.slot + "'";
    PgResult slot(PQexec(conn_, query.c_str()));
    if (PQresultStatus(slot.get()) == PGRES_TUPLES_OK && PQntuples(slot.get()) == 1) {
      flushed_ = ParseLsn(PQgetvalue(slot.get(), 0, 0)).value_or(0);
    }
  }
  received_ = flushed_;
  return Status::Ok();
}

Status ReplicationStream::DropSlotAndBeginSnapshot(const ReplicationOptions& options) {
  std::string drop = "DROP_REPLICATION_SLOT " + options.slot;
  PgResult dropped(PQexec(conn_, drop.c_str()));
  if (PQresultStatus(dropped.get()) != PGRES_COMMAND_OK && SqlState(dropped.get()) != "42704") {  // undefined_object
    return ConnectionError("cannot drop the replication slot '" + options.slot + "' to take a new snapshot");
  }
  PgResult begun(PQexec(conn_, "BEGIN ISOLATION LEVEL REPEATABLE READ"));
  if (PQresultStatus(begun.get()) != PGRES_COMMAND_OK) return ConnectionError("cannot begin the snapshot");
  // The slot's snapshot becomes this transaction's: what it reads is exactly what precedes the consistent point.
  std::string command = "CREATE_REPLICATION_SLOT " + options.slot + (options.temporary_slot ? " TEMPORARY" : "") +
                        " LOGICAL pgoutput USE_SNAPSHOT";
  PgResult created(PQexec(conn_, command.c_str()));
  if (PQresultStatus(created.get()) != PGRES_TUPLES_OK || PQntuples(created.get()) != 1) {
    return ConnectionError("cannot create the replication slot '" + options.slot + "'");
  }
  consistent_point_ = ParseLsn(PQgetvalue(created.get(), 0, 1)).value_or(0);
  slot_created_ = true;
  in_snapshot_ = true;
  flushed_ = received_ = 0;
  return Status::Ok();
}

Status ReplicationStream::BeginSnapshotWithoutSlot() {
  PgResult begun(PQexec(conn_, "BEGIN ISOLATION LEVEL REPEATABLE READ"));
  if (PQresultStatus(begun.get()) != PGRES_COMMAND_OK) return ConnectionError("cannot begin the snapshot");
  // The first statement takes the transaction's snapshot; the WAL position then orders it for positions.
  PgResult lsn(PQexec(conn_, "SELECT pg_current_wal_lsn()"));
  if (PQresultStatus(lsn.get()) != PGRES_TUPLES_OK || PQntuples(lsn.get()) != 1)
    return ConnectionError("cannot read the current WAL position");
  consistent_point_ = ParseLsn(PQgetvalue(lsn.get(), 0, 0)).value_or(0);
  in_snapshot_ = true;
  return Status::Ok();
}

Result<QueryRows> ReplicationStream::Query(const std::string& sql) {
  PgResult result(PQexec(conn_, sql.c_str()));
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    Error e = ConnectionError("snapshot query failed");
    // A query error on a live connection is a table or right that is missing, not a network failure.
    if (PQstatus(conn_) == CONNECTION_OK) return ConfigError(e.message());
    return e;
  }
  QueryRows out;
  const int fields = PQnfields(result.get());
  for (int f = 0; f < fields; ++f)
    out.columns.push_back({PQfname(result.get(), f), PQftype(result.get(), f), PQfmod(result.get(), f), false});
  const int rows = PQntuples(result.get());
  out.rows.reserve(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    Tuple& row = out.rows.emplace_back(static_cast<size_t>(fields));
    for (int f = 0; f < fields; ++f) {
      if (PQgetisnull(result.get(), r, f)) continue;
      row[f].kind = TupleColumn::Kind::kText;
      row[f].text.assign(PQgetvalue(result.get(), r, f), static_cast<size_t>(PQgetlength(result.get(), r, f)));
    }
  }
  return out;
}

Status ReplicationStream::FinishSnapshot() {
  PgResult committed(PQexec(conn_, "COMMIT"));
  if (PQresultStatus(committed.get()) != PGRES_COMMAND_OK) return ConnectionError("cannot end the snapshot");
  in_snapshot_ = false;
  if (options_.snapshot_only) return Status::Ok();
  return StartStreaming(options_);
}

Status ReplicationStream::StartStreaming(const ReplicationOptions& options) {
  std::string command = "START_REPLICATION SLOT " + options.slot + " LOGICAL " + FormatLsn(options.start) +
                        " (proto_version '1', publication_names " + PublicationNamesLiteral(options.publications) + ")";
  PgResult started(PQexec(conn_, command.c_str()));
  if (PQresultStatus(started.get()) != PGRES_COPY_BOTH) {
    return ConnectionError("cannot start replication from slot '" + options.slot + "'");
  }
  last_status_sent_ = steady_clock::now();
  return Status::Ok();
}

Status ReplicationStream::Service(milliseconds wait) {
  if (in_snapshot_) return Status::Ok();  // not streaming yet: the server expects no status updates
  const auto deadline = steady_clock::now() + wait;
  for (;;) {
    // Status first: sending may pull input into libpq's buffer, which the next step takes before any poll.
    PIPE_RETURN_IF_ERROR(SendStatusIfDue());
    bool took_any = false;
    PIPE_RETURN_IF_ERROR(TakeBufferedMessages(took_any));
    const auto now = steady_clock::now();
    if (took_any || now >= deadline) return Status::Ok();
    const auto until = std::min(deadline, last_status_sent_ + status_interval_);
    const auto pause = std::chrono::ceil<milliseconds>(std::max(until - now, steady_clock::duration::zero()));
    if (pending_bytes_ >= max_pending_bytes_) {
      // The caller has enough unread changes: leave the socket alone (TCP holds the server back) and only keep
      // the status updates going.
      std::this_thread::sleep_for(pause);
      continue;
    }
    pollfd socket{PQsocket(conn_), POLLIN, 0};
    int ready = ::poll(&socket, 1, static_cast<int>(pause.count()));
    if (ready < 0 && errno != EINTR) return ConnectionError("poll failed");
    if (ready > 0 && PQconsumeInput(conn_) == 0) return ConnectionError("connection lost");
  }
}

Status ReplicationStream::TakeBufferedMessages(bool& took_any) {
  while (pending_bytes_ < max_pending_bytes_) {
    char* buffer = nullptr;
    int size = PQgetCopyData(conn_, &buffer, 1);
    if (size == 0) return Status::Ok();
    if (size == -1) {  // the server ended the stream; its reason is in the result that follows
      PgResult ended(PQgetResult(conn_));
      return RetryableError("postgres replication connection to " + label() + ": the server ended the stream: " +
                            dsn_.Redact(Trimmed(PQresultErrorMessage(ended.get()))));
    }
    if (size < 0) return ConnectionError("reading the replication stream failed");
    auto message = ParseServerMessage(std::string_view(buffer, static_cast<size_t>(size)));
    PQfreemem(buffer);
    if (!message.ok()) return FatalError(label() + ": " + message.error().message());
    took_any = true;
    if (auto* data = std::get_if<XLogData>(&*message)) {
      received_ = std::max(received_, data->wal_end);
      server_wal_end_ = std::max(server_wal_end_, data->wal_end);
      pending_bytes_ += data->payload.size() + sizeof(XLogData);
      pending_.push_back(std::move(*data));
    } else {
      const auto& keepalive = std::get<PrimaryKeepalive>(*message);
      server_wal_end_ = std::max(server_wal_end_, keepalive.wal_end);
      if (keepalive.reply_requested) {
        PIPE_RETURN_IF_ERROR(SendStatus(false));
        ++keepalives_answered_;
      }
    }
  }
  return Status::Ok();
}

Result<std::optional<XLogData>> ReplicationStream::Next(milliseconds wait) {
  const auto deadline = steady_clock::now() + wait;
  for (;;) {
    if (!pending_.empty()) {
      XLogData data = std::move(pending_.front());
      pending_.pop_front();
      pending_bytes_ -= data.payload.size() + sizeof(XLogData);
      return std::optional<XLogData>(std::move(data));
    }
    const auto now = steady_clock::now();
    if (now >= deadline) return std::optional<XLogData>();
    PIPE_RETURN_IF_ERROR(Service(std::chrono::ceil<milliseconds>(deadline - now)));
  }
}

Status ReplicationStream::SendFeedback(Lsn flushed) {
  flushed_ = std::max(flushed_, flushed);  // a slot never moves back; neither does what we report
  if (in_snapshot_) return Status::Ok();   // sent once streaming starts
  return SendStatus(false);
}

Status ReplicationStream::SendStatusIfDue() {
  if (steady_clock::now() - last_status_sent_ < status_interval_) return Status::Ok();
  return SendStatus(false);
}

Status ReplicationStream::SendStatus(bool reply_requested) {
  StandbyStatus status{received_, flushed_, flushed_, ToPgTimestamp(std::chrono::system_clock::now()), reply_requested};
  std::string bytes = EncodeStandbyStatus(status);
  if (PQputCopyData(conn_, bytes.data(), static_cast<int>(bytes.size())) != 1 || PQflush(conn_) != 0) {
    return ConnectionError("sending a status update failed");
  }
  last_status_sent_ = steady_clock::now();
  ++status_updates_sent_;
  return Status::Ok();
}

}  // namespace pipeline::postgres_cdc
