#include "connectors/postgres/query_source.h"

#include <charconv>
#include <cstring>

#include "connectors/postgres_client/column_value.h"
#include "plugin/retry.h"

namespace pipeline::postgres {
namespace {

std::optional<int64_t> Int(const char* text) {
  int64_t v = 0;
  const char* end = text + std::strlen(text);
  auto [at, ec] = std::from_chars(text, end, v);
  if (ec != std::errc() || at != end) return std::nullopt;
  return v;
}

}  // namespace

Status PostgresQuerySource::Open(SourceContext& ctx) {
  ctx_ = &ctx;
  lane_ = Lanes::Intern("postgres query " + ctx.name);
  if (settings_.topic.empty()) settings_.topic = settings_.poll.table.empty() ? ctx.name : settings_.poll.table;
  if (settings_.poll.mode != PollMode::kBulk) {
    if (auto saved = ctx.LoadCheckpoint()) {
      auto position = Position::Parse(*saved);
      if (!position)
        return ConfigError("checkpoint " + ctx.CheckpointFile() + " holds '" + *saved + "', not a position");
      last_ = {lane_, position->major, position->minor};
    }
  }
  auto dsn = PostgresDsn::Parse(settings_.dsn);
  if (!dsn.ok()) return dsn.error();
  session_ = std::make_unique<PgSession>(std::move(*dsn));
  return session_->Connect();
}

Result<ReadStatus> PostgresQuerySource::Read(Batch& out, std::stop_token stop) {
  if (ended_) return ReadStatus::kEnd;
  if (!session_->connected()) {
    polling_ = false;
    PIPE_RETURN_IF_ERROR(session_->Connect());
  }
  if (!polling_) {
    const auto now = Clock::now();
    if (now < next_poll_) {
      auto wait = std::min<Clock::duration>(next_poll_ - now, std::chrono::milliseconds(100));
      SleepUnlessStopped(std::chrono::ceil<std::chrono::milliseconds>(wait), stop);
      return ReadStatus::kIdle;
    }
    if (Status s = StartPoll(); !s.ok()) return Disconnected(s.error());
  }
  if (Status s = Fetch(out); !s.ok()) return Disconnected(s.error());
  if (!out.records.empty()) out.progress.push_back(out.records.back().position);
  if (ended_ && out.records.empty()) return ReadStatus::kEnd;
  return out.records.empty() ? ReadStatus::kIdle : ReadStatus::kMore;
}

Status PostgresQuerySource::StartPoll() {
  const std::string what = "source " + ctx_->name;
  PIPE_RETURN_IF_ERROR(session_->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", what));
  PollQuery query = BuildPollQuery(settings_.poll, settings_.poll.mode == PollMode::kBulk ? Position{} : last_);
  auto declared = session_->Run("DECLARE pipe_poll NO SCROLL CURSOR FOR " + query.sql, query.params, what);
  if (!declared.ok()) return declared.error();
  polling_ = true;
  ++polls_;
  row_in_poll_ = 0;
  names_.reset();
  return Status::Ok();
}

Status PostgresQuerySource::EndPoll() {
  polling_ = false;
  next_poll_ = Clock::now() + settings_.poll_interval;
  if (settings_.once && settings_.poll.mode == PollMode::kBulk) ended_ = true;
  return session_->Exec("COMMIT", "source " + ctx_->name);
}

Status PostgresQuerySource::Fetch(Batch& out) {
  auto fetched = session_->Run("FETCH " + std::to_string(settings_.batch_size) + " FROM pipe_poll", {},
                               "source " + ctx_->name);
  if (!fetched.ok()) return fetched.error();
  const PGresult* rows = fetched->get();
  const bool ts_column = UsesTimestamp(settings_.poll.mode);
  if (!names_) {
    auto names = std::make_shared<FieldNames>();
    for (int c = 0; c < PQnfields(rows) - (ts_column ? 1 : 0); ++c) names->names.emplace_back(PQfname(rows, c));
    names_ = std::move(names);
  }
  for (int r = 0; r < PQntuples(rows); ++r) PIPE_RETURN_IF_ERROR(AppendRow(rows, r, out));
  if (static_cast<size_t>(PQntuples(rows)) < settings_.batch_size) return EndPoll();
  return Status::Ok();
}

Status PostgresQuerySource::AppendRow(const PGresult* rows, int row, Batch& out) {
  Struct value;
  value.names = names_;
  for (size_t c = 0; c < names_->names.size(); ++c) {
    const int col = static_cast<int>(c);
    if (PQgetisnull(rows, row, col)) value.values.emplace_back();
    else value.values.push_back(postgres_client::ColumnValue(PQftype(rows, col), PQfmod(rows, col),
                                                             PQgetvalue(rows, row, col)));
  }
  Record record;
  record.topic = settings_.topic;
  record.timestamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  const PollMode mode = settings_.poll.mode;
  Position position{lane_, polls_, row_in_poll_++};
  if (mode != PollMode::kBulk) {
    std::optional<int64_t> inc, ts;
    if (UsesIncrementing(mode)) {
      const int col = names_->IndexOf(settings_.poll.incrementing_column);
      if (col < 0 || PQgetisnull(rows, row, col) || !(inc = Int(PQgetvalue(rows, row, col))))
        return ConfigError("source " + ctx_->name + ": incrementing_column " + settings_.poll.incrementing_column +
                           " must be a column of the query holding a non-null integer");
    }
    if (UsesTimestamp(mode)) {
      ts = Int(PQgetvalue(rows, row, PQnfields(rows) - 1));
      if (!ts) return ConfigError("source " + ctx_->name + ": timestamp_column " + settings_.poll.timestamp_column +
                                  " must be a timestamp or timestamptz column of the query");
      record.timestamp = *ts / 1000;
    }
    position = mode == PollMode::kIncrementing ? Position{lane_, *inc, 0}
               : mode == PollMode::kTimestamp  ? Position{lane_, *ts, 0}
                                               : Position{lane_, *ts, *inc};
    last_ = position;
  }
  record.position = position;
  record.value = Value(std::move(value));
  out.records.push_back(std::move(record));
  return Status::Ok();
}

Error PostgresQuerySource::Disconnected(const Error& error) {
  // The poll's transaction is gone with the failure: the next Read reconnects and polls again after last_.
  session_->Disconnect();
  polling_ = false;
  return error;
}

Status PostgresQuerySource::Commit(const LanePositions& acknowledged) {
  if (settings_.poll.mode == PollMode::kBulk) return Status::Ok();  // bulk reads everything again anyway
  auto it = acknowledged.find(lane_);
  if (it == acknowledged.end()) return Status::Ok();
  return ctx_->SaveCheckpoint(it->second.ToString());
}

void PostgresQuerySource::Close() {
  if (session_) session_->Disconnect();
}

}  // namespace pipeline::postgres
