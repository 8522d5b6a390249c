// PostgresCdcSource: the `postgres_cdc` source. Reads a logical replication slot through pgoutput
// (ReplicationStream), turns its changes into records (ChangeRecords) and moves the slot as sinks acknowledge.
//
// Positions: one lane per slot, `postgres <slot>`. A record's position is (the LSN of its transaction's commit
// record, the record's index inside the transaction), which names the same record again when the slot replays
// the transaction after a restart (StablePositions). A batch's progress is the LSN just past the last complete
// transaction's commit record; Commit() saves it as the checkpoint and sends it to the server as the flushed LSN,
// which is what lets the slot free WAL. While the captured tables are idle the server's keepalive LSN is
// published as progress alone, so the slot advances too.
//
// Threading: the source's thread only. Service() forwards to ReplicationStream::Service(), so the connection
// answers keepalives while downstream is full.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connectors/cdc_event/transaction_metadata.h"
#include "connectors/postgres_cdc/change_records.h"
#include "connectors/postgres_cdc/initial_snapshot.h"
#include "connectors/postgres_cdc/publication.h"
#include "connectors/postgres_cdc/replication_stream.h"
#include "observability/metrics.h"
#include "plugin/source.h"

namespace pipeline::postgres_cdc {

struct PostgresCdcSettings : cdc::CommonSettings {
  std::string dsn;
  std::string slot;         // empty: derived from the stream name and the state dir (DefaultSlotName)
  std::string publication;  // empty: the slot's name
  std::vector<std::string> tables;  // names or patterns (cdc_event/table_patterns.h)
  bool create_publication = true;
  cdc::ColumnRules column_rules;  // columns, key_columns
};

// "pipe_<stream name reduced to [a-z0-9_]>_<8 hex digits of the state dir's hash>", at most 63 characters: two
// pipelines never share a slot by accident.
std::string DefaultSlotName(const std::string& stream, const std::string& state_dir);

class PostgresCdcSource : public Source {
 public:
  explicit PostgresCdcSource(PostgresCdcSettings settings) : settings_(std::move(settings)) {}

  Status Open(SourceContext& ctx) override;
  Result<ReadStatus> Read(Batch& out, std::stop_token stop) override;
  Status Commit(const LanePositions& acknowledged) override;
  Status Service(std::stop_token) override;
  bool StablePositions() const override { return true; }
  void Close() override;

 private:
  Status Connect();
  Result<CapturedTables> CapturedTablesOf(const postgres_client::PostgresDsn& dsn) const;
  Status CheckSlotStillHolds(const postgres_client::PostgresDsn& dsn);
  Status RefuseAStrangersSlot(const postgres_client::PostgresDsn& dsn);
  Status ClaimNewSlot();
  // Handles one pgoutput message; returns true when it completed a transaction.
  Result<bool> Apply(const XLogData& data, Batch& out);
  Status AddChange(const PgOutputMessage& message, Batch& out);
  void PublishIdleProgress(Batch& out);
  Result<ReadStatus> ReadSnapshot(Batch& out);
  Result<ReadStatus> EndAfterSnapshot(Batch& out);
  void UpdateLag();
  // The connection failed: forget it and the transaction in flight (the slot sends it again).
  Error Disconnected(const Error& error);

  PostgresCdcSettings settings_;
  SourceContext* ctx_ = nullptr;
  LaneId lane_ = kNoLane;
  std::unique_ptr<ChangeRecords> records_;
  std::unique_ptr<ReplicationStream> stream_;
  // Until the snapshot is read: a connection lost meanwhile takes a new one (its rows come again).
  bool snapshot_pending_ = false;
  std::unique_ptr<InitialSnapshot> snapshot_;
  bool ended_ = false;  // snapshot: initial_only, once the snapshot is read
  // An existing slot is used only when the user named it or this source's checkpoint does (it exists, even as
  // 0/0, from the moment the source created the slot): a slot of the derived name is someone else's otherwise.
  bool slot_named_ = false;
  bool has_checkpoint_ = false;
  // Transactions ending at or below this were delivered before (the checkpoint): a replay of them is skipped.
  Lsn delivered_ = 0;
  Lsn progress_ = 0;   // the highest progress published
  Lsn confirmed_ = 0;  // the highest LSN sent as flushed
  std::set<Oid> uncaptured_;  // relations of the publication that `tables` does not select
  std::optional<TransactionInfo> txn_;
  std::optional<cdc::TransactionMetadata> txn_metadata_;  // transaction_metadata: true
  bool skipping_txn_ = false;
  int64_t txn_index_ = 0;
  std::chrono::steady_clock::time_point last_heartbeat_;
  // pipe_cdc_slot_lag_bytes: the server's end of WAL minus the LSN the slot is confirmed to.
  // pipe_cdc_lag_seconds: how long ago the last transaction read was committed; 0 while caught up.
  Counter* slot_lag_bytes_ = nullptr;
  Counter* lag_seconds_ = nullptr;
  PgTimestamp last_commit_time_ = 0;
};

}  // namespace pipeline::postgres_cdc
