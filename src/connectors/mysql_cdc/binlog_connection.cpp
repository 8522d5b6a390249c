#include "connectors/mysql_cdc/binlog_connection.h"

// mysql.h first: Connector/C's other headers use its types without including it.
// clang-format off
#include <mysql.h>
#include <errmsg.h>
#include <ma_pvio.h>
#include <mariadb_rpl.h>
#include <mysqld_error.h>
// clang-format on
#include <poll.h>

#include <cstring>

#include "connectors/mysql_cdc/binlog_bytes.h"
#include "connectors/mysql_client/connect_refusal.h"
#include "connectors/mysql_client/mysql_tls.h"

namespace pipeline::mysql_cdc {

using namespace mysql_client;  // the DSN and the tls option

struct BinlogConnection::Handles {
  MYSQL* mysql = nullptr;
  MARIADB_RPL* rpl = nullptr;
  MARIADB_RPL_EVENT* event = nullptr;
  std::string file;  // the dump's start file: Connector/C keeps a pointer to it
  ~Handles() {
    if (event) mariadb_free_rpl_event(event);
    if (rpl) mariadb_rpl_close(rpl);
    if (mysql) mysql_close(mysql);
  }
};

namespace {

struct Requirement {
  const char* variable;
  const char* value;
};
constexpr Requirement kRequirements[] = {
    {"log_bin", "ON"}, {"binlog_format", "ROW"}, {"binlog_row_image", "FULL"}, {"binlog_row_metadata", "FULL"}};

std::string_view View(const MARIADB_STRING& s) { return {s.str ? s.str : "", s.length}; }

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

void FillRows(const MARIADB_RPL_EVENT& ev, BinlogEvent& out) {
  const auto& rows = ev.event.rows;
  out.kind = EventKind::kRows;
  out.table_id = rows.table_id;
  out.rows_kind = static_cast<RowsKind>(rows.type);
  const size_t bitmap = (rows.column_count + 7) / 8;
  out.rows.column_count = rows.column_count;
  out.rows.columns = {reinterpret_cast<const char*>(rows.column_bitmap), bitmap};
  if (rows.column_update_bitmap)
    out.rows.columns_after = {reinterpret_cast<const char*>(rows.column_update_bitmap), bitmap};
  out.rows.data = {static_cast<const char*>(rows.row_data), rows.row_data_size};
}

void FillTableMap(const MARIADB_RPL_EVENT& ev, bool checksum, BinlogEvent& out) {
  const auto& map = ev.event.table_map;
  out.kind = EventKind::kTableMap;
  TableMapBytes& bytes = out.table_map;
  bytes.table_id = map.table_id;
  bytes.database = View(map.database);
  bytes.table = View(map.table);
  bytes.column_types = View(map.column_types);
  bytes.metadata = View(map.metadata);
  const size_t null_bytes = (map.column_count + 7) / 8;
  bytes.null_bitmap = {reinterpret_cast<const char*>(map.null_indicator), null_bytes};
  // The optional metadata: from after the null bitmap to the checksum, read here (see table_map.h).
  const auto* begin = map.null_indicator + null_bytes;
  const auto* end = ev.raw_data + ev.raw_data_size - (checksum ? 4 : 0);
  if (begin < end) bytes.optional_metadata = {reinterpret_cast<const char*>(begin), static_cast<size_t>(end - begin)};
}

// ROTATE from its bytes: Connector/C 3.3 reads every rotate after the first format description 8 bytes too far
// ("00002" for "binlog.000002"). The event ends its packet: a 19-byte header, the 8-byte position, the file name,
// the checksum.
void FillRotate(const MARIADB_RPL_EVENT& ev, bool checksum, BinlogEvent& out) {
  constexpr size_t kHeader = 19;
  const size_t tail = checksum ? 4 : 0;
  if (ev.event_length < kHeader + 8 + tail || ev.raw_data_size < ev.event_length) return;  // kOther
  const auto* start = reinterpret_cast<const char*>(ev.raw_data + ev.raw_data_size - ev.event_length);
  out.kind = EventKind::kRotate;
  out.rotate_offset = LittleEndian({start, ev.event_length}, kHeader, 8);
  out.file = {start + kHeader + 8, ev.event_length - kHeader - 8 - tail};
}

BinlogEvent Convert(const MARIADB_RPL_EVENT& ev, bool checksum) {
  BinlogEvent out;
  out.timestamp = ev.timestamp;
  out.end_offset = ev.next_event_pos;
  out.length = ev.event_length;
  out.server_id = ev.server_id;
  switch (ev.event_type) {
    case ROTATE_EVENT:
      FillRotate(ev, checksum, out);
      break;
    case HEARTBEAT_LOG_EVENT:
      out.kind = EventKind::kHeartbeat;
      out.file = View(ev.event.heartbeat.filename);
      break;
    case GTID_EVENT:
      out.kind = EventKind::kGtid;
      out.standalone = ev.event.gtid.flags & FL_STANDALONE;
      out.gtid = std::to_string(ev.event.gtid.domain_id) + "-" + std::to_string(ev.server_id) + "-" +
                 std::to_string(ev.event.gtid.sequence_nr);
      break;
    case QUERY_EVENT:
      out.kind = EventKind::kQuery;
      out.statement = View(ev.event.query.statement);
      break;
    case XID_EVENT:
      out.kind = EventKind::kXid;
      break;
    case TABLE_MAP_EVENT:
      FillTableMap(ev, checksum, out);
      break;
    case WRITE_ROWS_EVENT_V1:
    case UPDATE_ROWS_EVENT_V1:
    case DELETE_ROWS_EVENT_V1:
    case WRITE_ROWS_EVENT:
    case UPDATE_ROWS_EVENT:
    case DELETE_ROWS_EVENT:
      FillRows(ev, out);
      break;
    case WRITE_ROWS_COMPRESSED_EVENT_V1:
    case UPDATE_ROWS_COMPRESSED_EVENT_V1:
    case DELETE_ROWS_COMPRESSED_EVENT_V1:
    case WRITE_ROWS_COMPRESSED_EVENT:
    case UPDATE_ROWS_COMPRESSED_EVENT:
    case DELETE_ROWS_COMPRESSED_EVENT:
    case QUERY_COMPRESSED_EVENT:
    case 40:  // MySQL 8's TRANSACTION_PAYLOAD_EVENT: a compressed transaction
      out.kind = EventKind::kCompressed;
      break;
    default:
      break;
  }
  return out;
}

}  // namespace

Status CheckServerSettings(const std::map<std::string, std::string>& variables) {
  std::string missing;
  for (const Requirement& r : kRequirements) {
    auto it = variables.find(r.variable);
    const std::string value = it == variables.end() ? "" : Upper(it->second);
    if (value == r.value || (std::string_view(r.value) == "ON" && value == "1")) continue;
    if (!missing.empty()) missing += "; ";
    missing += std::string(r.variable) + " is " +
               (it == variables.end() ? "not a variable of this server" : "'" + it->second + "'") + ", set " +
               r.variable + "=" + r.value;
  }
  if (missing.empty()) return Status::Ok();
  return ConfigError("the server's binlog cannot be captured: " + missing +
                     " (in the server's configuration; SET GLOBAL works for all but log_bin)");
}

BinlogConnection::BinlogConnection(const MysqlDsn& dsn) : dsn_(dsn), handles_(std::make_unique<Handles>()) {}
BinlogConnection::~BinlogConnection() = default;

Error BinlogConnection::Failed(const std::string& what) const {
  unsigned code = mysql_errno(handles_->mysql);
  std::string reason = mysql_error(handles_->mysql);
  if (code == 0 && handles_->rpl) {  // errors of the binlog API itself
    code = mariadb_rpl_errno(handles_->rpl);
    reason = mariadb_rpl_error(handles_->rpl);
  }
  if (reason.empty()) reason = "connection lost";
  const std::string message = dsn_.Redact(what + " on " + dsn_.label() + ": " + reason);
  if (auto refused = mysql_client::ConnectRefusal(code, message, dsn_.tls.configured)) return *refused;
  switch (code) {
    case ER_SPECIFIC_ACCESS_DENIED_ERROR:
      return ConfigError(message + " (the user needs the REPLICATION SLAVE and REPLICATION CLIENT grants)");
    case ER_MASTER_FATAL_ERROR_READING_BINLOG:
      return FatalError(message +
                        " (the binlog position in the checkpoint is no longer on the server: purged? "
                        "remove the checkpoint to start again from the server's current position)");
    // The server going down or starting, or busy: as for a connection that the client lost (codes 2000-2999).
    case ER_SERVER_SHUTDOWN:
    case ER_NORMAL_SHUTDOWN:
    case ER_SHUTDOWN_COMPLETE:
    case ER_CONNECTION_KILLED:
    case ER_QUERY_INTERRUPTED:
    case ER_CON_COUNT_ERROR:
    case ER_LOCK_WAIT_TIMEOUT:
    case ER_LOCK_DEADLOCK:
      return RetryableError(message);
    default:
      return code >= 2000 && code < 3000 ? RetryableError(message) : FatalError(message);
  }
}

Result<std::unique_ptr<BinlogConnection>> BinlogConnection::Open(const MysqlDsn& dsn) {
  std::unique_ptr<BinlogConnection> c(new BinlogConnection(dsn));
  MYSQL* mysql = c->handles_->mysql = mysql_init(nullptr);
  if (!mysql) return FatalError("mysql_init failed: out of memory");
  const unsigned timeout = 10;
  mysql_optionsv(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  SetTlsOptions(mysql, dsn.tls);
  if (!mysql_real_connect(mysql, dsn.host.c_str(), dsn.user.c_str(), dsn.password.c_str(),
                          dsn.database.empty() ? nullptr : dsn.database.c_str(), dsn.port, nullptr, 0))
    return c->Failed("cannot connect");
  PIPE_RETURN_IF_ERROR(CheckEncrypted(mysql, dsn.tls, dsn.label()));
  c->server_version_ = mysql_get_server_info(mysql);
  if (mysql_query(mysql,
                  "SHOW GLOBAL VARIABLES WHERE Variable_name IN "
                  "('log_bin', 'binlog_format', 'binlog_row_image', 'binlog_row_metadata')"))
    return c->Failed("cannot read the server's settings");
  std::map<std::string, std::string> variables;
  MYSQL_RES* result = mysql_store_result(mysql);
  while (MYSQL_ROW row = result ? mysql_fetch_row(result) : nullptr)
    if (row[0] && row[1]) variables[row[0]] = row[1];
  if (result) mysql_free_result(result);
  PIPE_RETURN_IF_ERROR(CheckServerSettings(variables));
  return c;
}

Result<QueryResult> BinlogConnection::Query(const std::string& sql) {
  MYSQL* mysql = handles_->mysql;
  if (mysql_real_query(mysql, sql.data(), sql.size())) return Failed("query failed (" + sql.substr(0, 80) + ")");
  QueryResult out;
  MYSQL_RES* result = mysql_store_result(mysql);
  if (!result) {
    if (mysql_field_count(mysql) == 0) return out;
    return Failed("reading a result failed");
  }
  const unsigned count = mysql_num_fields(result);
  const MYSQL_FIELD* fields = mysql_fetch_fields(result);
  for (unsigned i = 0; i < count; ++i)
    out.columns.push_back({fields[i].name, static_cast<uint8_t>(fields[i].type), (fields[i].flags & UNSIGNED_FLAG) != 0,
                           fields[i].charsetnr == 63, fields[i].decimals, fields[i].length});
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    const unsigned long* lengths = mysql_fetch_lengths(result);
    auto& values = out.rows.emplace_back();
    for (unsigned i = 0; i < count; ++i)
      values.push_back(row[i] ? std::optional<std::string>(std::string(row[i], lengths[i])) : std::nullopt);
  }
  mysql_free_result(result);
  return out;
}

std::string BinlogConnection::Quote(std::string_view text) {
  std::string out(text.size() * 2 + 3, '\0');
  out[0] = '\'';
  const unsigned long n = mysql_real_escape_string(handles_->mysql, out.data() + 1, text.data(), text.size());
  out.resize(n + 1);
  return out + "'";
}

Result<BinlogPoint> BinlogConnection::EndOfBinlog() {
  MYSQL* mysql = handles_->mysql;
  if (mysql_query(mysql, "SHOW MASTER STATUS")) return Failed("SHOW MASTER STATUS failed");
  MYSQL_RES* result = mysql_store_result(mysql);
  MYSQL_ROW row = result ? mysql_fetch_row(result) : nullptr;
  BinlogPoint point;
  if (row && row[0] && row[1]) {
    point.file = row[0];
    point.offset = static_cast<uint32_t>(std::stoul(row[1]));
  }
  if (result) mysql_free_result(result);
  if (point.file.empty())
    return ConfigError("SHOW MASTER STATUS on " + dsn_.label() +
                       " shows no binlog (the user needs REPLICATION CLIENT, and the server log_bin=ON)");
  return point;
}

Status BinlogConnection::StartDump(uint32_t server_id, const BinlogPoint& from, std::chrono::milliseconds heartbeat) {
  MYSQL* mysql = handles_->mysql;
  // net_write_timeout: how long the server's dump thread waits on a replica that does not read (a full
  // downstream) before it drops the connection; this session's own value, so the server's default is left alone.
  const std::string setup =
      "SET @master_binlog_checksum = @@global.binlog_checksum, @mariadb_slave_capability = 4, "
      "@master_heartbeat_period = " +
      std::to_string(static_cast<int64_t>(heartbeat.count()) * 1'000'000) +
      ", SESSION net_write_timeout = " + std::to_string(kWriteTimeout.count());
  if (mysql_query(mysql, setup.c_str())) return Failed("cannot prepare the binlog dump");
  auto checksum = Query("SELECT @@global.binlog_checksum");
  if (!checksum.ok()) return checksum.error();
  checksums_ = !checksum->rows.empty() && checksum->rows[0][0] && *checksum->rows[0][0] != "NONE";
  handles_->rpl = mariadb_rpl_init(mysql);
  if (!handles_->rpl) return Failed("mariadb_rpl_init failed");
  handles_->file = from.file;
  mariadb_rpl_optionsv(handles_->rpl, MARIADB_RPL_SERVER_ID, server_id);
  mariadb_rpl_optionsv(handles_->rpl, MARIADB_RPL_FILENAME, handles_->file.c_str(), handles_->file.size());
  mariadb_rpl_optionsv(handles_->rpl, MARIADB_RPL_START, static_cast<unsigned long>(from.offset));
  if (mariadb_rpl_open(handles_->rpl))
    return Failed("cannot start reading the binlog at " + from.file + ":" + std::to_string(from.offset));
  return Status::Ok();
}

bool BinlogConnection::HasBuffered() const {
  const MARIADB_PVIO* pvio = handles_->mysql->net.pvio;
  return pvio && pvio->cache && pvio->cache_pos < pvio->cache + pvio->cache_size;
}

Result<std::optional<BinlogEvent>> BinlogConnection::Next(std::chrono::milliseconds wait) {
  MYSQL* mysql = handles_->mysql;
  if (!HasBuffered()) {
    pollfd fd{static_cast<int>(mysql_get_socket(mysql)), POLLIN, 0};
    const int ready = poll(&fd, 1, static_cast<int>(wait.count()));
    if (ready == 0) return std::optional<BinlogEvent>();
  }
  handles_->event = mariadb_rpl_fetch(handles_->rpl, handles_->event);
  if (!handles_->event) return Failed("reading the binlog failed");
  // The server's setting, not Connector/C's flag: that is set only by the first format description, after the
  // first (artificial) rotate, which carries a checksum too.
  return std::optional<BinlogEvent>(Convert(*handles_->event, checksums_));
}

}  // namespace pipeline::mysql_cdc
