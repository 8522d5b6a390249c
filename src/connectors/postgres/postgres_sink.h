// PostgresSink: records into PostgreSQL tables (README.md). Write() holds batches until `batch.max_records` or
// `batch.max_age` (or the runtime's flush); Flush() applies everything held in one transaction and drops the
// batches only after COMMIT, which acknowledges them. Rows the table refuses are rejected alone after COMMIT
// (plugin/record_rejections.h), so a retried flush never reports one twice. Threading: the sink thread.
//
// Failures: SQLSTATE 40001, 40P01, class 08 and a broken connection are Retryable — the transaction is gone, the
// connection is dropped and the runtime's retry policy calls Flush again, which reconnects and writes the whole
// flush again; class 42 is a Config error saying what to change; anything else is Fatal.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/postgres/offset_table.h"
#include "connectors/postgres/pg_session.h"
#include "connectors/sql_sink/row_changes.h"
#include "connectors/postgres/table_catalog.h"
#include "connectors/postgres/table_writer.h"
#include "connectors/sql_sink/held_batches.h"
#include "connectors/sql_sink/table_sink_settings.h"
#include "plugin/sink.h"

namespace pipeline::postgres {

struct PostgresSinkSettings : sql_sink::TableSinkSettings {
  std::string dsn;
};

class PostgresSink : public Sink {
 public:
  explicit PostgresSink(PostgresSinkSettings settings);

  Status Open(SinkContext& ctx) override;
  Status Write(BatchPtr batch) override;
  Status Flush() override;
  void Close() override;

 private:
  Status Connect();
  // BEGIN, every held record, the offsets, COMMIT; the rejections it found go to `rejected`.
  Status WriteHeldInOneTransaction(std::vector<RowRejection>& rejected);
  Status Failed(Error error);

  PostgresSinkSettings settings_;
  std::string name_;
  std::shared_ptr<RecordRejections> rejections_;
  std::unique_ptr<PgSession> session_;
  TableCatalog catalog_;
  std::optional<OffsetTable> offsets_;
  bool offsets_loaded_ = false;
  sql_sink::HeldBatches held_;
};

}  // namespace pipeline::postgres
