// The change event the CDC sources (postgres_cdc, mysql_cdc) emit, built in one place so that both envelopes
// have one shape whatever the database:
//   row       the row's columns as the value; a delete is a tombstone (null value) with the key, so the stream
//             works directly as a ksqlDB table.
//   debezium  Debezium's change-event value {before, after, source, op, ts_ms, transaction}; `source` is the
//             database-specific part each source builds.
#pragma once

#include <optional>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "plugin/options.h"
#include "plugin/spec.h"

namespace pipeline::cdc {

enum class Envelope { kRow, kDebezium };

// The `envelope` option, spelled and documented once for every CDC source, and its value.
OptionSpec EnvelopeOption();
Envelope EnvelopeOf(const Options& options);

// What every CDC source reads from the same options: one spelling, one check. A source's settings derive from it.
struct CommonSettings {
  Envelope envelope = Envelope::kDebezium;
  std::string topic_prefix;  // empty: the stream name
  std::chrono::milliseconds heartbeat_interval{10'000};
  size_t batch_size = 1024;
  bool snapshot_initial = false;  // snapshot: initial or when_needed (each source's initial_snapshot.h)
  bool snapshot_when_needed = false;  // also when the saved position can no longer be read from
  bool snapshot_only = false;  // snapshot: initial_only: the snapshot alone, then the source ends (no checkpoint)
  bool transaction_metadata = false;  // BEGIN/END markers and each change's `transaction` block (transaction_metadata.h)
  bool tombstones_on_delete = false;  // a debezium delete event is followed by a tombstone (TombstoneAfter)
};

// What the options behind CommonSettings mean for one database: the parts of the topic after the prefix
// ("<schema>.<table>"), and the descriptions of `snapshot` and `heartbeat_interval`.
struct CommonOptionTexts {
  std::string topic_parts;
  std::string snapshot;
  std::string heartbeat_interval;
  std::string transaction_id;  // what a transaction's id is made of, e.g. "txId:LSN"
};
// The `snapshot` modes beyond never and initial that a source implements.
struct SnapshotModes {
  bool when_needed = false;
  bool initial_only = false;
};
// Appends envelope, topic_prefix, snapshot (never, initial, and the `modes` the source has), heartbeat_interval,
// batch_size, transaction_metadata, tombstones_on_delete, columns and key_columns (column_rules.h) to a source's
// options.
void AddCommonOptions(std::vector<OptionSpec>& options, const CommonOptionTexts& texts, SnapshotModes modes = {});
Result<CommonSettings> CommonSettingsOf(const Options& options);

// Field names shared by every record of one shape.
FieldNamesPtr MakeFieldNames(std::vector<std::string> names);

struct Change {
  std::string topic;
  int64_t timestamp = 0;  // the commit or event time, epoch milliseconds
  Value key;
  char op = 'c';  // c, u, d, r (snapshot), t (truncate)
  Value before;
  Value after;
};

// tombstones_on_delete, as Debezium's tombstones.on.delete: the record that follows a debezium delete event, with
// its topic, time and key and a null value, so that a compacted Kafka topic forgets the key; nullopt for any other
// record (the row envelope's delete is a tombstone already).
std::optional<Record> TombstoneAfter(const Record& change_event);

// The debezium value around a built `source`.
Value DebeziumValue(Change& change, Value source);

// `source` is called only for the debezium envelope, so that the row envelope does not build it.
template <class SourceFn>
Record ChangeEvent(Envelope envelope, Change change, SourceFn&& source) {
  Record r;
  r.topic = std::move(change.topic);
  r.timestamp = change.timestamp;
  r.key = std::move(change.key);
  if (envelope == Envelope::kRow) {
    r.value = change.op == 'd' ? Value() : std::move(change.after);
    return r;
  }
  r.value = DebeziumValue(change, source());
  return r;
}

}  // namespace pipeline::cdc
