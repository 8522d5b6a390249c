// FileSink: writes records as lines to files named by a PathTemplate (date-partitioned, per topic, rolled).
//
// Records are encoded into a per-file buffer and written in big chunks. Write() keeps the batch; Flush() writes
// every buffer, fsyncs every file written since the last flush (and the folder of each new file) and only then
// drops the held batches, which acknowledges them upstream. A file rolls to the next part number ({n}) when it
// reaches max_bytes or max_records, or is older than max_age; a rolled file is synced before it is closed.
// Part numbers skip files that exist, so a restart never overwrites earlier output. Threading: the sink thread.
// reject_when (a testing aid) rejects the records matching a condition instead of writing them, as a target
// refusing single records would (plugin/record_rejections.h).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/file/path_template.h"
#include "formats/format.h"
#include "plugin/sink.h"
#include "transforms/predicates/condition.h"

namespace pipeline::file {

struct FileSinkSettings {
  PathTemplate path;
  std::string format = "json";    // encoder name: json | csv | lines
  int64_t max_bytes = 0;          // 0 = no limit
  int64_t max_records = 0;
  int64_t max_age_ms = 0;
  size_t buffer_bytes = 1 << 20;  // write() once a file's buffer holds this much
  int64_t idle_close_ms = 30000;  // close files not written for this long (old date partitions)
  // Flush early once this many records are held: decoded batches cost far more memory than their bytes, and
  // the runtime's bounded queues do not count what a sink holds.
  size_t max_held_records = 65536;
  std::shared_ptr<Condition> reject_when;  // null: write every record
};

class FileSink : public Sink {
 public:
  explicit FileSink(FileSinkSettings settings);
  ~FileSink() override;

  Status Open(SinkContext& ctx) override;
  Status Write(BatchPtr batch) override;
  Status Flush() override;
  void Close() override;
  // jsonl is written from a record's raw JSON when it has it (see RawValue).
  FieldDemand Demand() const override {
    return settings_.format == "json" ? FieldDemand::AllOrRaw("json") : FieldDemand::All();
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct OpenFile {
    std::string partition;
    std::string path;
    int fd = -1;
    std::string buffer;
    int64_t bytes = 0;      // file size including the buffer
    int64_t records = 0;
    bool unsynced = false;  // written since the last fsync
    bool new_entry = false; // created since the last flush: its folder needs an fsync too
    bool needs_header = false;  // empty file: the encoder's header (csv) goes before the first record
    Clock::time_point opened;
    Clock::time_point last_write;
  };

  Result<OpenFile*> FileFor(const Record& record);
  Result<OpenFile*> OpenPartition(const std::string& partition);
  Status WriteBuffer(OpenFile& f);
  Status Sync(OpenFile& f);
  Status CloseFile(const std::string& partition);  // syncs, closes and forgets it
  bool DueToRoll(const OpenFile& f, Clock::time_point now) const;

  FileSinkSettings settings_;
  std::unique_ptr<Encoder> encoder_;
  std::shared_ptr<RecordRejections> rejections_;
  std::map<std::string, std::unique_ptr<OpenFile>> files_;  // by partition
  std::map<std::string, int64_t> next_part_;               // by partition
  // Acknowledgements of records written but not yet synced. Only the tokens are kept: the records themselves
  // are released as soon as they are encoded, so memory does not grow with the sync interval.
  std::vector<AckToken> held_;
  size_t held_records_ = 0;
  // The last record's partition, reused while records stay in the same time bucket and topic.
  int64_t cached_bucket_ = -1;
  std::string cached_topic_;
  std::string cached_partition_;
};

}  // namespace pipeline::file
