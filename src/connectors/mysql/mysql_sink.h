// MysqlSink: records into MariaDB/MySQL tables (README.md). Write() holds batches until the `batch` limits (or the
// runtime's flush); Flush() prepares the target tables (auto_create/auto_evolve DDL, which MySQL cannot run inside a
// transaction), then applies everything held in one InnoDB transaction and drops the batches only after COMMIT,
// which acknowledges them. Rows the table refuses are rejected alone after COMMIT (plugin/record_rejections.h), so a
// retried flush never reports one twice. Threading: the sink thread.
//
// Failures: deadlock (1213), lock wait timeout (1205) and a lost connection (2006, 2013, ...) are Retryable — the
// connection is dropped and the runtime's retry policy calls Flush again, which reconnects and writes the whole
// flush again; an unknown table or column is a Config error saying what to change; anything else is Fatal.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/mysql/mysql_session.h"
#include "connectors/mysql/offset_table.h"
#include "connectors/mysql/table_catalog.h"
#include "connectors/sql_sink/held_batches.h"
#include "connectors/sql_sink/row_changes.h"
#include "connectors/sql_sink/table_sink_settings.h"
#include "plugin/sink.h"

namespace pipeline::mysql {

struct MysqlSinkSettings : sql_sink::TableSinkSettings {
  MysqlDsn dsn;
};

class MysqlSink : public Sink {
 public:
  explicit MysqlSink(MysqlSinkSettings settings);

  Status Open(SinkContext& ctx) override;
  Status Write(BatchPtr batch) override;
  Status Flush() override;
  void Close() override;

 private:
  Status Connect();
  // The held records as row changes per rendered table, in record order; records that are no row go to `rejected`.
  Status ChangesByTable(std::map<std::string, std::vector<RowChange>>& by_table,
                        std::vector<sql_sink::RowRejection>& rejected);
  // START TRANSACTION, every change, the offsets, COMMIT.
  Status WriteInOneTransaction(std::map<std::string, std::vector<RowChange>> by_table,
                               std::vector<sql_sink::RowRejection>& rejected);
  Status Failed(Error error);

  MysqlSinkSettings settings_;
  std::string name_;
  std::shared_ptr<RecordRejections> rejections_;
  std::unique_ptr<MysqlSession> session_;
  TableCatalog catalog_;
  std::optional<OffsetTable> offsets_;
  sql_sink::HeldBatches held_;
};

}  // namespace pipeline::mysql
