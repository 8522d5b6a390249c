// PostgresQuerySource: the `postgres` source, rows of a table or query polled as Kafka Connect's JDBC source
// reads them (poll_query.h has the modes). Each poll runs its query in a cursor inside one transaction and hands
// the rows on batch_size at a time; the next poll starts poll_interval after one ends. Every record carries the
// last value seen as its Position, and Commit() saves the acknowledged one as the checkpoint, so a restart
// resumes after the last acknowledged row. It cannot see deletes, nor an update that leaves the incrementing and
// timestamp columns as they were. `mode: bulk` with `once: true` reads the query once and ends (a cron job).
//
// Threading: the source's thread only. Read() returns within ~100 ms while waiting for the next poll.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "connectors/postgres/pg_session.h"
#include "connectors/postgres/poll_query.h"
#include "plugin/source.h"

namespace pipeline::postgres {

struct PostgresQuerySettings {
  std::string dsn;
  PollQuerySettings poll;
  std::string topic;  // records' topic; empty: the table's name, or the stream name for a query
  std::chrono::milliseconds poll_interval{5000};
  size_t batch_size = 1000;
  bool once = false;  // bulk: end after the first poll
};

class PostgresQuerySource : public Source {
 public:
  explicit PostgresQuerySource(PostgresQuerySettings settings) : settings_(std::move(settings)) {}

  Status Open(SourceContext& ctx) override;
  Result<ReadStatus> Read(Batch& out, std::stop_token stop) override;
  Status Commit(const LanePositions& acknowledged) override;
  // A row's position names it again after a restart, except in bulk mode, which reads everything every time.
  bool StablePositions() const override { return settings_.poll.mode != PollMode::kBulk; }
  void Close() override;

 private:
  using Clock = std::chrono::steady_clock;
  Status StartPoll();
  Status EndPoll();
  Status Fetch(Batch& out);
  Status AppendRow(const PGresult* rows, int row, Batch& out);
  Error Disconnected(const Error& error);

  PostgresQuerySettings settings_;
  SourceContext* ctx_ = nullptr;
  std::unique_ptr<PgSession> session_;
  LaneId lane_ = kNoLane;
  Position last_;             // the last row handed on: where the next poll starts
  bool polling_ = false;      // a poll's cursor is open
  int64_t polls_ = 0;         // bulk: the positions' major
  int64_t row_in_poll_ = 0;
  bool ended_ = false;
  Clock::time_point next_poll_{};
  std::shared_ptr<const FieldNames> names_;  // the poll's columns, shared by its records
};

}  // namespace pipeline::postgres
