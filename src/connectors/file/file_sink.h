// FileSink: writes records as lines to files named by a PathTemplate (date-partitioned, per topic, rolled).
//
// Records are encoded into a per-file buffer and written in big chunks. Write() keeps the batch; Flush() writes
// every buffer, fsyncs every file written since the last flush (and the folder of each new file) and only then
// drops the held batches, which acknowledges them upstream. A file rolls to the next part number ({n}) when it
// reaches max_bytes or max_records, or is older than max_age; a rolled file is synced before it is closed.
// Part numbers skip files that exist, so a restart never overwrites earlier output. Threading: the sink thread.
//
// Faults: the bytes after a file's last fdatasync stay in memory until the next one succeeds. On a full disk
// (ENOSPC, EDQUOT) the file is cut back to its last synced size and the error is Retryable: the next Write or
// Flush writes those bytes again from there, so a retry neither tears nor doubles a line. A Write that fails
// part-way keeps the batch and, called again with it, goes on where it stopped. EIO or a failed fdatasync is
// Fatal: after a failed fdatasync Linux may drop the unwritten pages and report the next one as a success, so
// nothing written since the last good sync can be trusted (PostgreSQL's "fsyncgate").
//
// reject_when (a testing aid) rejects the records matching a condition instead of writing them, as a target
// refusing single records would (plugin/record_rejections.h).
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
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
  bool metadata = false;          // whole records (formats/format.h, MakeWholeRecordEncoder); json only
  CsvOptions csv;                 // format: csv
  int64_t max_bytes = 0;          // 0 = no limit
  int64_t max_records = 0;
  int64_t max_age_ms = 0;
  size_t buffer_bytes = 1 << 20;  // write() once a file's buffer holds this much
  int64_t idle_close_ms = 30000;  // close files not written for this long (old date partitions)
  // Flush early once this many records are held: decoded batches cost far more memory than their bytes, and
  // the runtime's bounded queues do not count what a sink holds.
  size_t max_held_records = 65536;
  std::shared_ptr<Condition> reject_when;  // null: write every record
  // Flush early once this many bytes wait for an fdatasync (they are kept to be rewritten after an ENOSPC).
  size_t max_held_bytes = 16 << 20;
};

// The system calls the sink's durability rests on; tests replace them to inject ENOSPC and EIO.
struct FileOps {
  ssize_t (*write)(int fd, const void* data, size_t size) = ::write;
  int (*fdatasync)(int fd) = ::fdatasync;
  int (*ftruncate)(int fd, off_t length) = ::ftruncate;
};

class FileSink : public Sink {
 public:
  explicit FileSink(FileSinkSettings settings, FileOps ops = {});
  ~FileSink() override;

  Status Open(SinkContext& ctx) override;
  Status Write(BatchPtr batch) override;
  Status Flush() override;
  void Close() override;
  // jsonl is written from a record's raw JSON when it has it (see RawValue).
  FieldDemand Demand() const override {
    return settings_.format == "json" && !settings_.metadata ? FieldDemand::AllOrRaw("json") : FieldDemand::All();
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct OpenFile {
    std::string partition;
    std::string path;
    int fd = -1;
    int64_t synced = 0;     // the file's size after its last successful fdatasync (or when it was opened)
    std::string unsynced;   // every byte after `synced`: kept until synced, rewritten after an ENOSPC
    size_t written = 0;     // how much of `unsynced` is in the file
    int64_t records = 0;
    bool new_entry = false; // created since the last flush: its folder needs an fsync too
    bool needs_header = false;  // empty file: the encoder's header (csv) goes before the first record
    Clock::time_point opened;
    Clock::time_point last_write;
    int64_t bytes() const { return synced + static_cast<int64_t>(unsynced.size()); }
  };

  Status TakeRestOfBatch();
  Result<OpenFile*> FileFor(const Record& record, Clock::time_point now);
  Result<OpenFile*> OpenPartition(const std::string& partition);
  void Encode(const Record& record, OpenFile& f, Clock::time_point now);
  Status WriteOut(OpenFile& f);
  Status CutBackToSynced(OpenFile& f, int write_errno);
  Status Sync(OpenFile& f);
  Status CloseFile(const std::string& partition);  // syncs, closes and forgets it
  bool DueToRoll(const OpenFile& f, Clock::time_point now) const;
  Status Broken(std::string message);

  FileSinkSettings settings_;
  FileOps ops_;
  std::unique_ptr<Encoder> encoder_;
  std::shared_ptr<RecordRejections> rejections_;
  std::map<std::string, std::unique_ptr<OpenFile>> files_;  // by partition
  std::map<std::string, int64_t> next_part_;               // by partition
  // Acknowledgements of records written but not yet synced. Only the tokens are kept: the records themselves
  // are released as soon as they are encoded (their bytes wait in OpenFile::unsynced).
  std::vector<AckToken> held_;
  size_t held_records_ = 0;
  size_t unsynced_bytes_ = 0;  // over all files
  // The batch a Write is taking: a Write that failed part-way keeps it, and its retry goes on after the
  // records already encoded instead of encoding them twice.
  BatchPtr taking_;
  size_t taking_next_ = 0;
  std::optional<std::string> broken_;  // set by a fatal I/O error: the sink must not report success again
  // The last record's partition, reused while records stay in the same time bucket and topic.
  int64_t cached_bucket_ = -1;
  std::string cached_topic_;
  std::string cached_partition_;
};

}  // namespace pipeline::file
