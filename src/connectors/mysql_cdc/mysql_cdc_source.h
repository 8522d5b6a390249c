// MysqlCdcSource: the `mysql_cdc` source. Reads a MariaDB/MySQL binlog as a replica (BinlogConnection), decodes
// the row events of the captured tables (TableMap, DecodeRowImages) and turns them into records (ChangeRecords).
//
// Positions: one lane per replica id, `mysql <server_id>`. A record's position is
//   major = binlog file number << 32 | offset where its transaction starts in that file,
//   minor = index of the record among the records of its transaction,
// which names the same record again when the transaction is read again after a restart (StablePositions). A
// batch's progress is the position of the next record to deliver: after a complete transaction (its XID or
// COMMIT) the start of the next one with minor 0; in the middle of a transaction cut by batch_size, that
// transaction's start and the number of its records handed on. Commit() saves it as the checkpoint
// "<file>:<offset>:<records>"; a restart reads from that transaction's start and skips its first <records>.
// Heartbeats and transactions of tables not captured move the position forward as progress alone.
//
// Threading: the source's thread only. While downstream is full the source does not read, and TCP holds the
// server back: the dump connection's session net_write_timeout is an hour (the server's default, 60 s, would drop
// a replica blocked that long), and Service() closes the connection itself after half of that, before the server
// would; the next Read() reconnects at the transaction in flight (its records already handed on are skipped).
// Buffering instead would only move the limit: a reader that stops reading must eventually stop the server.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connectors/cdc_event/transaction_metadata.h"
#include "connectors/mysql_cdc/binlog_connection.h"
#include "connectors/mysql_cdc/change_records.h"
#include "connectors/mysql_cdc/initial_snapshot.h"
#include "connectors/mysql_client/mysql_dsn.h"
#include "observability/metrics.h"
#include "plugin/source.h"

namespace pipeline::mysql_cdc {

using mysql_client::MysqlDsn;

struct MysqlCdcSettings : cdc::CommonSettings {
  MysqlDsn dsn;
  std::vector<std::string> tables;  // `db.table` patterns with `*`; empty: every table of the dsn's database
  uint32_t server_id = 0;           // 0: DefaultServerId
  cdc::ColumnRules column_rules;    // columns, key_columns
};

// 0x40000000 | 30 bits of an FNV-1a hash of the stream name and the state dir: two pipelines do not collide, and
// the ids stay clear of the small numbers servers are usually given.
uint32_t DefaultServerId(const std::string& stream, const std::string& state_dir);

// (file number << 32 | offset): the major of a position.
int64_t PackPosition(uint32_t file_number, uint32_t offset);
// "binlog.000003" -> 3; nullopt for a name that does not end in a number.
std::optional<uint32_t> FileNumberOf(std::string_view file);

class MysqlCdcSource : public Source {
 public:
  explicit MysqlCdcSource(MysqlCdcSettings settings) : settings_(std::move(settings)) {}

  Status Open(SourceContext& ctx) override;
  Result<ReadStatus> Read(Batch& out, std::stop_token stop) override;
  Status Commit(const LanePositions& acknowledged) override;
  Status Service(std::stop_token) override;
  bool StablePositions() const override { return true; }
  void Close() override {
    snapshot_.reset();
    connection_.reset();
  }

 private:
  Status Connect();
  Status BeginSnapshot();
  Result<ReadStatus> ReadSnapshot(Batch& out);
  void WarnZeroDates(const std::set<std::string>& columns);
  // The connection is gone: the transaction in flight is read again, its records handed on skipped.
  void Disconnected(const std::string& why);
  // Returns true when the event completed a transaction.
  Result<bool> Apply(const BinlogEvent& event, Batch& out);
  Status SetFile(std::string_view file);
  void StartTransaction(const BinlogEvent& event);
  void EndTransaction(const BinlogEvent& event);
  // With transaction_metadata, the END marker of the transaction an event completes.
  void AddEndMarker(const BinlogEvent& event, Batch& out);
  // A record of the transaction in flight at its place in it (its index), unless delivered before a restart.
  void Place(Record record, Batch& out);
  Status AddTableMap(const BinlogEvent& event);
  Status AddRows(const BinlogEvent& event, Batch& out);
  bool Captured(const std::string& database, const std::string& table) const;
  std::string FileName(uint32_t number) const;
  Position Resume() const;
  void UpdateLag(uint32_t event_time);

  MysqlCdcSettings settings_;
  SourceContext* ctx_ = nullptr;
  LaneId lane_ = kNoLane;
  std::unique_ptr<BinlogConnection> connection_;
  // Until the snapshot's last chunk is read; a run that stops before reads a new one (initial_snapshot.h).
  bool snapshot_pending_ = false;
  std::unique_ptr<InitialSnapshot> snapshot_;
  bool ended_ = false;  // snapshot: initial_only, once the snapshot is read
  std::unique_ptr<ChangeRecords> records_;
  std::map<uint64_t, std::optional<CapturedTable>> tables_;  // by table id; nullopt: not captured

  // Where reading stands: the current file, and past the last event outside a transaction.
  std::string file_;
  uint32_t file_number_ = 0;
  uint32_t next_offset_ = 0;
  // The transaction in flight.
  bool in_transaction_ = false;
  bool standalone_ = false;
  uint32_t transaction_offset_ = 0;
  int64_t transaction_index_ = 0;
  ChangeOrigin origin_;
  std::optional<cdc::TransactionMetadata> txn_metadata_;  // transaction_metadata: true
  // After a restart or reconnect: the first `skip_records_` records of the transaction at `skip_major_` were
  // delivered before.
  int64_t skip_major_ = -1;
  int64_t skip_records_ = 0;

  Position progress_;   // the highest progress published
  Position committed_;  // the last checkpoint saved
  std::chrono::steady_clock::time_point last_read_;
  std::set<std::string> zero_date_warned_;
  Counter* lag_seconds_ = nullptr;
};

}  // namespace pipeline::mysql_cdc
