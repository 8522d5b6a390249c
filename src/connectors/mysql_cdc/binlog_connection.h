// BinlogConnection: a connection to a MariaDB/MySQL server that checks the server's binlog settings and then reads
// its binlog as a replica does (Connector/C's replication API, mariadb_rpl.h), one event at a time.
//
// Next() waits on the socket with poll() before asking Connector/C for an event, so that the source's Read()
// returns within its ~100 ms even though mariadb_rpl_fetch() blocks; data Connector/C already holds in its read
// cache is taken first. Before the dump starts the session sets @master_heartbeat_period (the server then sends a
// heartbeat with its binlog position whenever it has sent nothing for that long), @master_binlog_checksum (the
// checksum is verified by Connector/C), @mariadb_slave_capability=4 (MariaDB GTID events, not BEGIN queries) and
// its session's net_write_timeout to kWriteTimeout, so that a replica held back by a full downstream is waited for
// instead of dropped after the server's default (60 s).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/mysql_client/mysql_dsn.h"
#include "connectors/mysql_cdc/row_decoder.h"
#include "connectors/mysql_cdc/table_map.h"
#include "core/result.h"

namespace pipeline::mysql_cdc {

using mysql_client::MysqlDsn;

constexpr std::chrono::seconds kWriteTimeout{3600};

struct BinlogPoint {
  std::string file;  // e.g. "binlog.000003"
  uint32_t offset = 4;
};

// The event kinds the source acts on; everything else is kOther.
enum class EventKind { kOther, kRotate, kGtid, kQuery, kTableMap, kRows, kXid, kHeartbeat, kCompressed };
enum class RowsKind { kWrite, kUpdate, kDelete };

// One binlog event as the source needs it; the views point into the connection's current event, valid until the
// next call to Next().
struct BinlogEvent {
  EventKind kind = EventKind::kOther;
  uint32_t timestamp = 0;   // seconds since the epoch; 0 for the server's artificial events
  uint32_t end_offset = 0;  // where the next event starts in the current file; 0 for artificial events
  uint32_t length = 0;
  uint32_t server_id = 0;      // the server that wrote the event
  std::string_view file;       // rotate: the file that follows; heartbeat: the current file
  uint64_t rotate_offset = 0;  // rotate: where reading continues in `file`
  bool standalone = false;     // gtid: a statement without BEGIN/COMMIT (DDL)
  std::string gtid;            // gtid: domain-server-sequence
  std::string_view statement;  // query
  TableMapBytes table_map;
  uint64_t table_id = 0;  // rows
  RowsKind rows_kind = RowsKind::kWrite;
  RowsEventBytes rows;
};

// A query's result as text (the text protocol), with what the snapshot needs of each column's description.
struct QueryColumn {
  std::string name;
  uint8_t type = 0;  // enum_field_types
  bool is_unsigned = false;
  bool is_binary = false;  // the binary character set: bytes, not text
  uint32_t decimals = 0;
  uint64_t length = 0;  // bit: the number of bits
};
struct QueryResult {
  std::vector<QueryColumn> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt: NULL
};

// Each setting mysql_cdc needs and does not find, as one line naming the variable and the value to set; Ok when
// all are there. `variables` maps lower-case names to values (SHOW GLOBAL VARIABLES).
Status CheckServerSettings(const std::map<std::string, std::string>& variables);

class BinlogConnection {
 public:
  // Connects and checks the server settings. Config errors for settings, credentials and grants; Retryable for
  // an unreachable server.
  static Result<std::unique_ptr<BinlogConnection>> Open(const MysqlDsn& dsn);
  ~BinlogConnection();

  // The server's current end of binlog (SHOW MASTER STATUS).
  Result<BinlogPoint> EndOfBinlog();
  // Runs SQL on the connection (before StartDump): the snapshot's transaction and its queries.
  Result<QueryResult> Query(const std::string& sql);
  // `text` as a quoted SQL string literal.
  std::string Quote(std::string_view text);
  // Registers as replica `server_id` and starts reading at `from`.
  Status StartDump(uint32_t server_id, const BinlogPoint& from, std::chrono::milliseconds heartbeat);
  // The next event, or nullopt when none arrives within `wait`. Retryable when the connection is lost; Fatal when
  // the server cannot send the binlog asked for (purged).
  Result<std::optional<BinlogEvent>> Next(std::chrono::milliseconds wait);

  // True when Connector/C already holds received bytes: the next event may be complete without waiting.
  bool HasBuffered() const;
  const std::string& server_version() const { return server_version_; }

 private:
  struct Handles;
  explicit BinlogConnection(const MysqlDsn& dsn);
  Error Failed(const std::string& what) const;

  MysqlDsn dsn_;
  std::unique_ptr<Handles> handles_;
  std::string server_version_;
  bool checksums_ = false;  // the server's binlog_checksum is not NONE: every event ends in 4 checksum bytes
};

}  // namespace pipeline::mysql_cdc
