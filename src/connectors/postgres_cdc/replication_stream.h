// ReplicationStream: one logical replication connection to PostgreSQL through libpq, reading pgoutput changes
// from a slot. It never blocks longer than the caller allows, so a source can interleave it with publishing to
// a full queue: while the caller is busy elsewhere it calls Service() now and then, which answers keepalives and
// sends status updates on time, so the server (wal_sender_timeout) does not drop the connection.
//
// Threading: one thread at a time (the source's). Messages the caller has not taken yet are buffered up to
// `max_pending_bytes`; past that the socket is left unread (TCP then holds the server back) while status updates
// still go out.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/postgres_cdc/pgoutput_message.h"
#include "connectors/postgres_client/postgres_dsn.h"
#include "connectors/postgres_cdc/replication_protocol.h"
#include "core/result.h"

struct pg_conn;

namespace pipeline::postgres_cdc {

using postgres_client::PostgresDsn;

struct ReplicationOptions {
  std::string dsn;                        // postgres://user:password@host:port/database
  std::string slot;                       // created with pgoutput when missing
  std::vector<std::string> publications;  // publication_names; they must exist
  bool temporary_slot = false;            // dropped by the server when the connection ends (tests)
  Lsn start = 0;                          // 0: where the slot's confirmed_flush_lsn is
  // How often a status update goes out unasked; 0: a third of the server's wal_sender_timeout, at most 10 s.
  std::chrono::milliseconds status_interval{0};
  size_t max_pending_bytes = 8 << 20;
  // Start with a snapshot: drop the slot if it exists, create it inside a REPEATABLE READ transaction with
  // USE_SNAPSHOT and do not stream yet. Query() then reads the database as of the slot's consistent point, and
  // FinishSnapshot() commits and starts streaming from there: nothing missed, nothing twice.
  bool snapshot = false;
  // With `snapshot`: no slot and no replication at all (snapshot: initial_only). An ordinary connection (no
  // REPLICATION right needed) in a plain REPEATABLE READ transaction; FinishSnapshot() only commits. The
  // consistent point is the WAL position as the transaction's snapshot was taken (for positions only).
  bool snapshot_only = false;
};

// Rows of a query, as text, with their columns' names and types (key flags unset).
struct QueryRows {
  std::vector<RelationColumn> columns;
  std::vector<Tuple> rows;
};

class ReplicationStream {
 public:
  // Connects with replication=database, creates the slot if missing, and starts streaming. Retryable when the
  // server cannot be reached; Config for a bad DSN, a rejected password or a missing privilege.
  static Result<std::unique_ptr<ReplicationStream>> Open(const ReplicationOptions& options);
  ~ReplicationStream();
  ReplicationStream(const ReplicationStream&) = delete;
  ReplicationStream& operator=(const ReplicationStream&) = delete;

  // Waits at most `wait` for the server; buffers what arrived, answers keepalives that ask for a reply and sends
  // a status update when one is due. Returns early once a message arrived. An error means the connection is
  // gone (Retryable) or the stream is corrupt (Fatal).
  Status Service(std::chrono::milliseconds wait);
  // The next change, waiting at most `wait` (servicing the connection meanwhile); nullopt when none came.
  Result<std::optional<XLogData>> Next(std::chrono::milliseconds wait);
  // Everything up to `flushed` is durable downstream: the slot may advance there. Sends a status update now.
  Status SendFeedback(Lsn flushed);
  // A status update that asks the server for a keepalive at once (its reply carries the current end of WAL).
  Status RequestKeepalive() { return SendStatus(true); }

  // The snapshot phase (options.snapshot): SQL in the slot's snapshot, then streaming.
  bool in_snapshot() const { return in_snapshot_; }
  Lsn consistent_point() const { return consistent_point_; }
  Result<QueryRows> Query(const std::string& sql);
  Status FinishSnapshot();

  const std::string& label() const { return dsn_.label(); }
  bool slot_created() const { return slot_created_; }
  Lsn flushed() const { return flushed_; }
  // The server's end of WAL as of its last message: a keepalive while no change is in flight says the slot
  // has nothing for us below it.
  Lsn server_wal_end() const { return server_wal_end_; }
  std::chrono::milliseconds wal_sender_timeout() const { return wal_sender_timeout_; }
  std::chrono::milliseconds status_interval() const { return status_interval_; }
  size_t pending_bytes() const { return pending_bytes_; }
  int keepalives_answered() const { return keepalives_answered_; }
  int status_updates_sent() const { return status_updates_sent_; }

 private:
  ReplicationStream(PostgresDsn dsn, pg_conn* conn) : dsn_(std::move(dsn)), conn_(conn) {}
  Status Connect(bool replication);
  Status CreateSlotIfMissing(const ReplicationOptions& options);
  Status ReadWalSenderTimeout();
  Status StartStreaming(const ReplicationOptions& options);
  Status DropSlotAndBeginSnapshot(const ReplicationOptions& options);
  Status BeginSnapshotWithoutSlot();
  Status TakeBufferedMessages(bool& took_any);
  Status SendStatus(bool reply_requested);
  Status SendStatusIfDue();
  Error ConnectionError(std::string_view what) const;

  PostgresDsn dsn_;
  pg_conn* conn_ = nullptr;
  bool slot_created_ = false;
  bool in_snapshot_ = false;
  Lsn consistent_point_ = 0;
  ReplicationOptions options_;
  std::deque<XLogData> pending_;
  size_t pending_bytes_ = 0;
  size_t max_pending_bytes_ = 0;
  Lsn received_ = 0;
  Lsn flushed_ = 0;
  Lsn server_wal_end_ = 0;
  std::chrono::milliseconds wal_sender_timeout_{0};
  std::chrono::milliseconds status_interval_{10'000};
  std::chrono::steady_clock::time_point last_status_sent_;
  int keepalives_answered_ = 0;
  int status_updates_sent_ = 0;
};

// "60s", "2min", "500ms", "0" (SHOW's forms) as a duration; nullopt for anything else.
std::optional<std::chrono::milliseconds> ParsePgDuration(std::string_view text);

}  // namespace pipeline::postgres_cdc
