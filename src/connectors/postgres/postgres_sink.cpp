#include "connectors/postgres/postgres_sink.h"

#include <map>

namespace pipeline::postgres {


PostgresSink::PostgresSink(PostgresSinkSettings settings)
    : settings_(std::move(settings)), catalog_(settings_.auto_create, settings_.auto_evolve) {}

Status PostgresSink::Open(SinkContext& ctx) {
  name_ = ctx.name;
  rejections_ = ctx.rejections;
  auto dsn = PostgresDsn::Parse(settings_.dsn);
  if (!dsn.ok()) return dsn.error();
  session_ = std::make_unique<PgSession>(std::move(*dsn));
  // Positions mean something only next to the source checkpoints of one state dir: two pipelines with a sink of
  // the same name writing to one database must not skip each other's records.
  if (settings_.exactly_once) offsets_.emplace(name_ + "@" + ctx.state_dir);
  return Connect();
}

Status PostgresSink::Connect() {
  PIPE_RETURN_IF_ERROR(session_->Connect());
  catalog_.Forget();
  if (offsets_) {
    Status loaded = offsets_->Load(*session_);
    if (!loaded.ok()) return Failed(loaded.error());
    offsets_loaded_ = true;
  }
  return Status::Ok();
}

Status PostgresSink::Write(BatchPtr batch) {
  held_.Add(std::move(batch));
  return held_.Full(settings_.batch) ? Flush() : Status::Ok();
}

Status PostgresSink::Flush() {
  if (held_.empty()) return Status::Ok();
  if (!session_->connected()) PIPE_RETURN_IF_ERROR(Connect());
  std::vector<RowRejection> rejected;
  Status written = WriteHeldInOneTransaction(rejected);
  if (offsets_) offsets_->Finish(written.ok());
  if (!written.ok()) return Failed(written.error());
  for (auto& r : rejected) rejections_->Reject(*r.batch, r.index, std::move(r.error));
  held_.Clear();  // committed: acknowledge
  return Status::Ok();
}

Status PostgresSink::WriteHeldInOneTransaction(std::vector<RowRejection>& rejected) {
  PIPE_RETURN_IF_ERROR(session_->Exec("BEGIN", "sink " + name_));
  // Per table, its changes in record order; a table template may send records to many tables.
  std::map<std::string, std::vector<RowChange>> by_table;
  for (const BatchPtr& batch : held_.batches()) {
    for (size_t i = 0; i < batch->records.size(); ++i) {
      const Record& record = batch->records[i];
      if (offsets_) {
        if (offsets_->Committed(record.position)) continue;  // written by a flush before the restart
        offsets_->Note(record.position);
      }
      auto change = MakeRowChange(batch, i, settings_.plan);
      if (!change.ok()) {
        if (change.error().kind() != ErrorKind::kData) return change.error();
        rejected.push_back({batch, i, change.error()});
        continue;
      }
      by_table[settings_.table.Render(record)].push_back(std::move(*change));
    }
  }
  TableWriter writer(*session_, settings_.plan.mode);
  for (auto& [name, changes] : by_table) {
    auto table = catalog_.Prepare(*session_, name, changes);
    if (!table.ok()) return table.error();
    PIPE_RETURN_IF_ERROR(writer.Apply(**table, std::move(changes), rejected));
  }
  if (offsets_) PIPE_RETURN_IF_ERROR(offsets_->Store(*session_));
  return session_->Exec("COMMIT", "sink " + name_ + ": COMMIT");
}

Status PostgresSink::Failed(Error error) {
  // The transaction is gone with the failure; a new connection starts clean and looks at the tables again.
  session_->Disconnect();
  catalog_.Forget();
  return error;
}

void PostgresSink::Close() {
  if (session_) session_->Disconnect();
  held_.Clear();
}

}  // namespace pipeline::postgres
