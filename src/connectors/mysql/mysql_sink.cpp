#include "connectors/mysql/mysql_sink.h"

#include <map>

#include "connectors/mysql/table_writer.h"

namespace pipeline::mysql {

MysqlSink::MysqlSink(MysqlSinkSettings settings)
    : settings_(std::move(settings)),
      catalog_(settings_.auto_create, settings_.auto_evolve, settings_.plan.mode == sql_sink::WriteMode::kUpsert) {}

Status MysqlSink::Open(SinkContext& ctx) {
  name_ = ctx.name;
  rejections_ = ctx.rejections;
  session_ = std::make_unique<MysqlSession>(settings_.dsn);
  // Positions mean something only next to the source checkpoints of one state dir: two pipelines with a sink of
  // the same name writing to one database must not skip each other's records.
  if (settings_.exactly_once) offsets_.emplace(name_ + "@" + ctx.state_dir);
  return Connect();
}

Status MysqlSink::Connect() {
  PIPE_RETURN_IF_ERROR(session_->Connect());
  catalog_.Forget();
  if (offsets_) {
    Status loaded = offsets_->Load(*session_);
    if (!loaded.ok()) return Failed(loaded.error());
  }
  return Status::Ok();
}

Status MysqlSink::Write(BatchPtr batch) {
  held_.Add(std::move(batch));
  return held_.Full(settings_.batch) ? Flush() : Status::Ok();
}

Status MysqlSink::Flush() {
  if (held_.empty()) return Status::Ok();
  if (!session_->connected()) PIPE_RETURN_IF_ERROR(Connect());
  std::vector<sql_sink::RowRejection> rejected;
  std::map<std::string, std::vector<RowChange>> by_table;
  Status written = ChangesByTable(by_table, rejected);
  // DDL commits any open transaction in MySQL: the tables are made ready before the flush's transaction starts.
  for (auto it = by_table.begin(); written.ok() && it != by_table.end(); ++it)
    written = catalog_.Prepare(*session_, it->first, it->second).status();
  if (written.ok()) written = WriteInOneTransaction(std::move(by_table), rejected);
  if (offsets_) offsets_->positions().Finish(written.ok());
  if (!written.ok()) return Failed(written.error());
  for (auto& r : rejected) rejections_->Reject(*r.batch, r.index, std::move(r.error));
  held_.Clear();  // committed: acknowledge
  return Status::Ok();
}

Status MysqlSink::ChangesByTable(std::map<std::string, std::vector<RowChange>>& by_table,
                                 std::vector<sql_sink::RowRejection>& rejected) {
  for (const BatchPtr& batch : held_.batches()) {
    for (size_t i = 0; i < batch->records.size(); ++i) {
      const Record& record = batch->records[i];
      if (offsets_) {
        if (offsets_->positions().Committed(record.position)) continue;  // written by a flush before the restart
        offsets_->positions().Note(record.position);
      }
      auto change = sql_sink::MakeRowChange(batch, i, settings_.plan);
      if (!change.ok()) {
        if (change.error().kind() != ErrorKind::kData) return change.error();
        rejected.push_back({batch, i, change.error()});
        continue;
      }
      by_table[settings_.table.Render(record)].push_back(std::move(*change));
    }
  }
  return Status::Ok();
}

Status MysqlSink::WriteInOneTransaction(std::map<std::string, std::vector<RowChange>> by_table,
                                        std::vector<sql_sink::RowRejection>& rejected) {
  const std::string what = "sink " + name_;
  PIPE_RETURN_IF_ERROR(session_->Exec("START TRANSACTION", what).status());
  TableWriter writer(*session_, settings_.plan.mode);
  for (auto& [name, changes] : by_table) {
    auto table = catalog_.Prepare(*session_, name, changes);  // known now: no DDL, no statement
    if (!table.ok()) return table.error();
    PIPE_RETURN_IF_ERROR(writer.Apply(**table, std::move(changes), rejected));
  }
  if (offsets_) PIPE_RETURN_IF_ERROR(offsets_->Store(*session_));
  return session_->Exec("COMMIT", what + ": COMMIT").status();
}

Status MysqlSink::Failed(Error error) {
  // The transaction is gone with the connection; a new connection starts clean and looks at the tables again.
  session_->Disconnect();
  catalog_.Forget();
  return error;
}

void MysqlSink::Close() {
  if (session_) session_->Disconnect();
  held_.Clear();
}

}  // namespace pipeline::mysql
