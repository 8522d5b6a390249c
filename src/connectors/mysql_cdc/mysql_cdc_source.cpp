#include "connectors/mysql_cdc/mysql_cdc_source.h"

#include <charconv>

#include "connectors/cdc_event/table_patterns.h"
#include "observability/log.h"

namespace pipeline::mysql_cdc {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Read() returns within this when nothing arrives (plugin/source.h).
constexpr milliseconds kReadWait{100};
// Half the net_write_timeout the dump connection sets (binlog_connection.h), after which the server would drop a
// replica it cannot write to.
constexpr std::chrono::seconds kStalledReaderLimit = kWriteTimeout / 2;

void SetProgress(Batch& out, Position position) {
  for (Position& p : out.progress) {
    if (p.lane == position.lane) {
      p = position;
      return;
    }
  }
  out.progress.push_back(position);
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// "<file>:<offset>:<records>".
std::optional<std::tuple<std::string, uint32_t, int64_t>> ParseCheckpoint(const std::string& text) {
  const size_t second = text.rfind(':');
  const size_t first = second == std::string::npos || second == 0 ? std::string::npos : text.rfind(':', second - 1);
  if (first == std::string::npos) return std::nullopt;
  uint32_t offset = 0;
  int64_t records = 0;
  const char* b = text.data();
  if (std::from_chars(b + first + 1, b + second, offset).ptr != b + second) return std::nullopt;
  if (std::from_chars(b + second + 1, b + text.size(), records).ptr != b + text.size()) return std::nullopt;
  return std::make_tuple(text.substr(0, first), offset, records);
}

}  // namespace

uint32_t DefaultServerId(const std::string& stream, const std::string& state_dir) {
  uint32_t hash = 2166136261u;
  for (char c : stream + '\0' + state_dir) hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
  return 0x40000000u | (hash & 0x3fffffffu);
}

std::optional<uint32_t> FileNumberOf(std::string_view file) {
  const size_t dot = file.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  uint32_t n = 0;
  auto [end, ec] = std::from_chars(file.data() + dot + 1, file.data() + file.size(), n);
  if (ec != std::errc() || end != file.data() + file.size()) return std::nullopt;
  return n;
}

int64_t PackPosition(uint32_t file_number, uint32_t offset) { return static_cast<int64_t>(file_number) << 32 | offset; }

Status MysqlCdcSource::Open(SourceContext& ctx) {
  ctx_ = &ctx;
  if (settings_.server_id == 0) settings_.server_id = DefaultServerId(ctx.name, ctx.state_dir);
  if (settings_.topic_prefix.empty()) settings_.topic_prefix = ctx.name;
  lane_ = Lanes::Intern("mysql " + std::to_string(settings_.server_id));
  records_ = std::make_unique<ChangeRecords>(settings_.envelope, settings_.topic_prefix, settings_.column_rules);
  if (settings_.transaction_metadata) txn_metadata_.emplace(settings_.topic_prefix);
  if (ctx.metrics)
    lag_seconds_ = ctx.metrics->GetGauge("pipe_cdc_lag_seconds", {{"source", ctx.name}},
                                         "Seconds since the binlog event last read was written; 0 while caught up");
  // initial_only keeps no checkpoint: every run reads the tables anew, as a scheduled export expects.
  if (settings_.snapshot_only) {
    snapshot_pending_ = true;
    return BeginSnapshot();
  }
  if (auto saved = ctx.LoadCheckpoint()) {
    auto parsed = ParseCheckpoint(*saved);
    if (!parsed)
      return ConfigError("checkpoint " + ctx.CheckpointFile() + " holds '" + *saved + "', not file:offset:records");
    auto [file, offset, records] = *parsed;
    PIPE_RETURN_IF_ERROR(SetFile(file));
    next_offset_ = offset;
    skip_major_ = PackPosition(file_number_, offset);
    skip_records_ = records;
    committed_ = progress_ = {lane_, skip_major_, records};
  } else if (settings_.snapshot_initial) {
    snapshot_pending_ = true;
    return BeginSnapshot();
  }
  return Connect();
}

Status MysqlCdcSource::BeginSnapshot() {
  auto captured = [this](const std::string& database, const std::string& table) { return Captured(database, table); };
  auto snapshot = InitialSnapshot::Begin(settings_.dsn, captured, settings_.batch_size);
  if (!snapshot.ok()) return snapshot.error();
  snapshot_ = std::move(snapshot).value();
  LogInfo(
      "mysql_cdc_snapshot_started",
      "reading the captured tables as of " + snapshot_->point().file + ":" + std::to_string(snapshot_->point().offset),
      {{"source", ctx_->name}, {"server", settings_.dsn.label()}});
  return Status::Ok();
}

Result<ReadStatus> MysqlCdcSource::ReadSnapshot(Batch& out) {
  if (!snapshot_) PIPE_RETURN_IF_ERROR(BeginSnapshot());
  std::set<std::string> zero_dates;
  auto done = snapshot_->Read(*records_, lane_, out.records, zero_dates);
  WarnZeroDates(zero_dates);
  if (!done.ok()) {
    snapshot_.reset();  // a new snapshot next time: this one died with its connection
    return done.error();
  }
  if (*done && settings_.snapshot_only) {
    snapshot_.reset();
    snapshot_pending_ = false;
    ended_ = true;
    LogInfo("mysql_cdc_snapshot_read", "the snapshot is read; the source ends (snapshot: initial_only)",
            {{"source", ctx_->name}});
    return out.records.empty() ? ReadStatus::kEnd : ReadStatus::kMore;
  }
  if (*done) {
    const BinlogPoint point = snapshot_->point();
    snapshot_.reset();
    snapshot_pending_ = false;
    PIPE_RETURN_IF_ERROR(SetFile(point.file));
    next_offset_ = point.offset;
    // Acknowledged once every snapshot row is: the first checkpoint.
    progress_ = {lane_, PackPosition(file_number_, next_offset_), 0};
    SetProgress(out, progress_);
    LogInfo("mysql_cdc_snapshot_read",
            "the initial snapshot is read; streaming from " + point.file + ":" + std::to_string(point.offset),
            {{"source", ctx_->name}});
  }
  return out.records.empty() ? ReadStatus::kIdle : ReadStatus::kMore;
}

void MysqlCdcSource::WarnZeroDates(const std::set<std::string>& columns) {
  for (const std::string& name : columns)
    if (zero_date_warned_.insert(name).second)
      LogWarn("mysql_cdc_zero_date", "column " + name + " holds a zero date (0000-00-00): it arrives as null",
              {{"source", ctx_->name}});
}

Status MysqlCdcSource::Connect() {
  auto connection = BinlogConnection::Open(settings_.dsn);
  if (!connection.ok()) return connection.error();
  if (file_.empty()) {
    // No checkpoint: from the server's end of binlog, saved at once so that a restart before anything is
    // acknowledged does not move past changes made meanwhile.
    auto end = (*connection)->EndOfBinlog();
    if (!end.ok()) return end.error();
    PIPE_RETURN_IF_ERROR(SetFile(end->file));
    next_offset_ = end->offset;
    PIPE_RETURN_IF_ERROR(ctx_->SaveCheckpoint(end->file + ":" + std::to_string(end->offset) + ":0"));
    committed_ = progress_ = {lane_, PackPosition(file_number_, next_offset_), 0};
  }
  PIPE_RETURN_IF_ERROR(
      (*connection)->StartDump(settings_.server_id, {file_, next_offset_}, settings_.heartbeat_interval));
  connection_ = std::move(connection).value();
  last_read_ = steady_clock::now();
  LogInfo("mysql_cdc_connected", "reading the binlog from " + file_ + ":" + std::to_string(next_offset_),
          {{"source", ctx_->name},
           {"server", settings_.dsn.label()},
           {"server_version", connection_->server_version()},
           {"server_id", std::to_string(settings_.server_id)}});
  return Status::Ok();
}

void MysqlCdcSource::Disconnected(const std::string& why) {
  connection_.reset();
  if (txn_metadata_) txn_metadata_->Reset();  // the transaction is read again from its start
  if (in_transaction_) {
    skip_major_ = PackPosition(file_number_, transaction_offset_);
    skip_records_ = transaction_index_;
    next_offset_ = transaction_offset_;
    in_transaction_ = false;
  }
  LogWarn("mysql_cdc_disconnected", why + "; reading again from " + file_ + ":" + std::to_string(next_offset_),
          {{"source", ctx_->name}});
}

Result<ReadStatus> MysqlCdcSource::Read(Batch& out, std::stop_token stop) {
  if (ended_) return ReadStatus::kEnd;
  if (snapshot_pending_) return ReadSnapshot(out);
  if (!connection_) PIPE_RETURN_IF_ERROR(Connect());
  last_read_ = steady_clock::now();
  const auto deadline = steady_clock::now() + kReadWait;
  while (!stop.stop_requested() && out.records.size() < settings_.batch_size) {
    const auto now = steady_clock::now();
    if (now >= deadline) break;
    auto next = connection_->Next(std::chrono::ceil<milliseconds>(deadline - now));
    if (!next.ok()) {
      // What this batch holds is handed on; the next Read() reconnects (and fails there if it cannot).
      if (next.error().kind() != ErrorKind::kRetryable) return next.error();
      Disconnected(next.error().message());
      break;
    }
    if (!*next) break;
    auto completed = Apply(**next, out);
    if (!completed.ok()) return completed.error();
    // A whole transaction and nothing more already received: hand it on now rather than at the deadline.
    if (*completed && !out.records.empty() && !connection_->HasBuffered()) break;
  }
  if (const Position resume = Resume(); progress_ < resume) {
    progress_ = resume;
    SetProgress(out, resume);
  }
  return out.records.empty() ? ReadStatus::kIdle : ReadStatus::kMore;
}

Position MysqlCdcSource::Resume() const {
  if (in_transaction_) return {lane_, PackPosition(file_number_, transaction_offset_), transaction_index_};
  return {lane_, PackPosition(file_number_, next_offset_), 0};
}

Result<bool> MysqlCdcSource::Apply(const BinlogEvent& event, Batch& out) {
  switch (event.kind) {
    case EventKind::kRotate:
      PIPE_RETURN_IF_ERROR(SetFile(event.file));
      next_offset_ = static_cast<uint32_t>(event.rotate_offset);
      return false;
    case EventKind::kHeartbeat:
      if (!in_transaction_ && event.end_offset > 0 && event.file == file_) next_offset_ = event.end_offset;
      UpdateLag(0);
      return false;
    case EventKind::kGtid:
      StartTransaction(event);
      standalone_ = event.standalone;
      origin_.gtid = event.gtid;
      return false;
    case EventKind::kQuery:
      if (IEquals(event.statement, "BEGIN")) {
        if (!in_transaction_) StartTransaction(event);
        return false;
      }
      if (!in_transaction_ || standalone_ || IEquals(event.statement, "COMMIT") ||
          IEquals(event.statement, "ROLLBACK")) {
        AddEndMarker(event, out);
        EndTransaction(event);
        return true;
      }
      return false;
    case EventKind::kXid:
      AddEndMarker(event, out);
      EndTransaction(event);
      return true;
    case EventKind::kTableMap:
      PIPE_RETURN_IF_ERROR(AddTableMap(event));
      return false;
    case EventKind::kRows:
      if (!in_transaction_) StartTransaction(event);
      PIPE_RETURN_IF_ERROR(AddRows(event, out));
      return false;
    case EventKind::kCompressed:
      return FatalError("binlog " + file_ + ": a compressed event at " +
                        std::to_string(event.end_offset - event.length) +
                        ", which Connector/C cannot read; set log_bin_compress=OFF (MariaDB) or "
                        "binlog_transaction_compression=OFF (MySQL)");
    case EventKind::kOther:
      if (!in_transaction_ && event.end_offset > 0) next_offset_ = event.end_offset;
      return false;
  }
  return false;
}

void MysqlCdcSource::StartTransaction(const BinlogEvent& event) {
  in_transaction_ = true;
  standalone_ = false;
  transaction_offset_ = event.end_offset - event.length;
  transaction_index_ = 0;
  origin_.file = file_;
  origin_.transaction_offset = transaction_offset_;
  origin_.server_id = event.server_id;
  origin_.gtid.clear();
  origin_.ts_ms = int64_t{event.timestamp} * 1000;
}

void MysqlCdcSource::EndTransaction(const BinlogEvent& event) {
  if (in_transaction_ && PackPosition(file_number_, transaction_offset_) == skip_major_) skip_major_ = -1;
  in_transaction_ = false;
  if (event.end_offset > 0) next_offset_ = event.end_offset;
  UpdateLag(event.timestamp);
}

Status MysqlCdcSource::AddTableMap(const BinlogEvent& event) {
  auto map = ParseTableMap(event.table_map);
  if (!map.ok()) return map.error();
  if (!Captured(map->database, map->table)) {
    tables_[map->table_id] = std::nullopt;
    return Status::Ok();
  }
  if (!map->has_names)
    return ConfigError("the table map of " + map->database + "." + map->table +
                       " has no column names: set binlog_row_metadata=FULL on the server");
  const uint64_t id = map->table_id;
  tables_[id] = records_->Describe(std::move(map).value());
  return Status::Ok();
}

Status MysqlCdcSource::AddRows(const BinlogEvent& event, Batch& out) {
  auto it = tables_.find(event.table_id);
  if (it == tables_.end())
    return FatalError("binlog " + file_ + ": a rows event of table id " + std::to_string(event.table_id) +
                      " without its table map");
  if (!it->second) return Status::Ok();
  const CapturedTable& table = *it->second;
  std::set<size_t> zero_dates;
  auto images = DecodeRowImages(table.map, event.rows, event.rows_kind == RowsKind::kUpdate, zero_dates);
  if (!images.ok()) return Error(images.error().kind(), "binlog " + file_ + ": " + images.error().message());
  std::set<std::string> names;
  for (size_t column : zero_dates)
    names.insert(table.map.database + "." + table.map.table + "." + table.map.columns[column].name);
  WarnZeroDates(names);
  if (event.timestamp) origin_.ts_ms = int64_t{event.timestamp} * 1000;
  std::vector<Record> records;
  records_->Add(table, event.rows_kind, *images, origin_, records);
  if (txn_metadata_ && !records.empty() && !txn_metadata_->open()) {
    std::string id = !origin_.gtid.empty() ? origin_.gtid : origin_.file + ":" + std::to_string(transaction_offset_);
    Place(txn_metadata_->Begin(std::move(id), origin_.ts_ms), out);
  }
  for (Record& record : records) {
    if (txn_metadata_) txn_metadata_->Annotate(record);  // counted also when skipped: the END marker counts all
    std::optional<Record> tombstone = settings_.tombstones_on_delete ? cdc::TombstoneAfter(record) : std::nullopt;
    Place(std::move(record), out);
    if (tombstone) Place(std::move(*tombstone), out);
  }
  return Status::Ok();
}

void MysqlCdcSource::Place(Record record, Batch& out) {
  const int64_t major = PackPosition(file_number_, transaction_offset_);
  const int64_t index = transaction_index_++;
  if (major == skip_major_ && index < skip_records_) return;  // delivered before the restart
  record.position = {lane_, major, index};
  out.records.push_back(std::move(record));
}

void MysqlCdcSource::AddEndMarker(const BinlogEvent& event, Batch& out) {
  if (!txn_metadata_ || !txn_metadata_->open() || !in_transaction_) return;
  Place(txn_metadata_->End(event.timestamp ? int64_t{event.timestamp} * 1000 : origin_.ts_ms), out);
}

bool MysqlCdcSource::Captured(const std::string& database, const std::string& table) const {
  if (settings_.tables.empty()) return database == settings_.dsn.database;
  return cdc::AnyTablePatternMatches(settings_.tables, settings_.dsn.database, {database, table});
}

Status MysqlCdcSource::SetFile(std::string_view file) {
  auto number = FileNumberOf(file);
  if (!number) return FatalError("binlog file name '" + std::string(file) + "' does not end in a number");
  file_ = std::string(file);
  file_number_ = *number;
  return Status::Ok();
}

// The file of a position's number: the current file's base name and width ("binlog.000012").
std::string MysqlCdcSource::FileName(uint32_t number) const {
  const size_t dot = file_.rfind('.');
  std::string digits = std::to_string(number);
  const size_t width = file_.size() - dot - 1;
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return file_.substr(0, dot + 1) + digits;
}

void MysqlCdcSource::UpdateLag(uint32_t event_time) {
  if (!lag_seconds_) return;
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  lag_seconds_->Set(event_time > 0 && now > event_time ? now - event_time : 0);
}

Status MysqlCdcSource::Commit(const LanePositions& acknowledged) {
  if (settings_.snapshot_only) return Status::Ok();  // no checkpoint (see Open)
  auto it = acknowledged.find(lane_);
  if (it == acknowledged.end() || !(committed_ < it->second)) return Status::Ok();
  const Position& p = it->second;
  const auto number = static_cast<uint32_t>(p.major >> 32);
  const auto offset = static_cast<uint32_t>(p.major & 0xffffffff);
  PIPE_RETURN_IF_ERROR(
      ctx_->SaveCheckpoint(FileName(number) + ":" + std::to_string(offset) + ":" + std::to_string(p.minor)));
  committed_ = p;
  return Status::Ok();
}

Status MysqlCdcSource::Service(std::stop_token) {
  if (connection_ && steady_clock::now() - last_read_ > kStalledReaderLimit)
    Disconnected("downstream has been full for " + std::to_string(kStalledReaderLimit.count()) +
                 " s: the binlog connection is closed before the server drops it");
  return Status::Ok();
}

}  // namespace pipeline::mysql_cdc
