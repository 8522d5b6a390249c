// ChangeRecords: turns decoded row images into records, in the envelope the pipeline asked for (row or debezium,
// connectors/cdc_event), `source` as Debezium's MySQL connector fills it (file, pos, row, gtid, server_id, db,
// table, ts_ms).
// Topic `<topic_prefix>.<database>.<table>`, key the primary-key columns (null for a table without one), event
// time the binlog event's timestamp. An update that changes the key becomes a delete of the old key and a create
// of the new one, as Debezium does, so a keyed consumer never keeps the old row.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "connectors/cdc_event/change_event.h"
#include "connectors/cdc_event/column_rules.h"
#include "connectors/mysql_cdc/binlog_connection.h"
#include "connectors/mysql_cdc/row_decoder.h"
#include "connectors/mysql_cdc/table_map.h"
#include "core/record.h"

namespace pipeline::mysql_cdc {

using cdc::Envelope;

// A captured table's current shape, rebuilt from each table map that differs from the one before.
struct CapturedTable {
  TableMap map;
  std::string topic;
  FieldNamesPtr columns;
  FieldNamesPtr key_names;
};

// Where the change sits, for `source` and the event time.
struct ChangeOrigin {
  std::string file;
  uint32_t transaction_offset = 0;  // where the transaction starts in `file`
  uint32_t server_id = 0;           // the server that wrote the event
  std::string gtid;
  int64_t ts_ms = 0;
  bool snapshot = false;
};

class ChangeRecords {
 public:
  ChangeRecords(Envelope envelope, std::string topic_prefix, cdc::ColumnRules column_rules = {})
      : envelope_(envelope), topic_prefix_(std::move(topic_prefix)), column_rules_(std::move(column_rules)) {}

  CapturedTable Describe(TableMap map) const;
  // Appends the records of one rows event's images (updates: before/after pairs).
  void Add(const CapturedTable& table, RowsKind kind, std::vector<RowImage>& images, const ChangeOrigin& origin,
           std::vector<Record>& out) const;

 private:
  Value Row(const CapturedTable& table, RowImage& image) const;
  Value Key(const CapturedTable& table, const RowImage& image) const;
  Value Source(const CapturedTable& table, const ChangeOrigin& origin, size_t row) const;
  Record Make(const CapturedTable& table, const ChangeOrigin& origin, size_t row, Value key, char op, Value before,
              Value after) const;

  Envelope envelope_;
  std::string topic_prefix_;
  cdc::ColumnRules column_rules_;
};

}  // namespace pipeline::mysql_cdc
