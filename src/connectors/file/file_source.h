// FileSource: reads newline-delimited records from a file or a glob of files.
//
//   mode: read    read every matching file once, then end (a finite pipeline exits).
//   mode: follow  like `tail -F`: keep reading as files grow; a rename/delete of the path (rotation) drains the
//                 old file (by inode) and opens the new one from its start; a file that shrinks (truncation,
//                 copytruncate rotation) is read again from its start; new files matching the glob are picked up.
//
// Delivery is at-least-once. Each file is a lane ("file <dev>:<inode>"); a record's position is the byte offset of
// its line, a batch's progress the offset after what it consumed. Commit() saves the acknowledged offsets through
// SourceContext::SaveCheckpoint, and Open() resumes from them (matched by device+inode, so a position follows its
// file through a rename). Threading: one source thread (see Source).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/common/dead_letter_file.h"
#include "connectors/common/line_reader.h"
#include "connectors/file/file_position.h"
#include "formats/format.h"
#include "formats/key_fields.h"
#include "plugin/dead_letter.h"
#include "plugin/source.h"

namespace pipeline {
class Counter;
}

namespace pipeline::file {

enum class ReadMode { kRead, kFollow };
using ErrorPolicy = OnError;  // plugin/dead_letter.h

struct FileSourceSettings {
  std::string path;            // a file or a glob pattern
  ReadMode mode = ReadMode::kRead;
  bool start_at_end = false;   // files found at startup without a checkpoint start at their end
  std::string format = "lines";
  KeyFields key_fields;        // key_fields: the record key from value fields
  CsvOptions csv;              // format: csv
  ErrorPolicy on_error = ErrorPolicy::kFail;
  std::string dead_letter_path;
  size_t batch_size = 1024;
  size_t chunk_bytes = 1 << 20;
  size_t max_line_bytes = 16 << 20;
  int64_t rotate_wait_ms = 1000;  // a rotated file is read until it has been quiet this long
  int64_t poll_ms = 50;           // follow mode: pause when there is nothing to read
};

class FileSource : public Source {
 public:
  explicit FileSource(FileSourceSettings settings);
  ~FileSource() override;

  Status Open(SourceContext& ctx) override;
  Result<ReadStatus> Read(Batch& out, std::stop_token stop) override;
  Status Commit(const LanePositions& acknowledged) override;
  // A byte offset names a record only while one file is read: a glob's files share offsets.
  bool StablePositions() const override { return settings_.path.find_first_of("*?[") == std::string::npos; }
  bool ReplaysFromStart() const override { return StablePositions(); }
  void Close() override;

 private:
  struct TrackedFile {
    std::string path;
    FileId id;
    int fd = -1;
    LineReader reader;
    std::unique_ptr<Decoder> decoder;
    bool rotated = false;   // the path names another file now (or none): drain, then drop
    std::chrono::steady_clock::time_point quiet_since;  // last time it grew, for rotate_wait
    bool finished = false;  // fully read and its last line handed out
    LaneId lane = kNoLane;
    int64_t progress_noted = -1;  // the consumed offset last put in a batch's progress
  };
  struct LaneFile {
    FileId id;
    std::string path;
  };

  Status Scan(bool initial);
  Status Track(const std::string& path, bool initial);
  Status StartDecoder(TrackedFile& f, int64_t offset);
  void CheckRotation();
  void DropFinished();
  void PrunePositions();
  // Adds `f`'s consumed offset to the batch's progress when it moved (also past lines that made no record).
  void NoteProgress(TrackedFile& f, Batch& out);
  // Appends up to batch_size records from `f`; returns how many.
  Result<size_t> ReadRecords(TrackedFile& f, Batch& out, int64_t now_ms);
  // Decodes one line into out (or applies on_error); returns whether a record was added.
  Result<bool> DecodeLine(TrackedFile& f, std::string_view line, int64_t offset, bool too_long, Batch& out,
                          int64_t now_ms);

  FileSourceSettings settings_;
  SourceContext* ctx_ = nullptr;
  std::string topic_;
  bool keep_raw_values_ = false;  // a sink writes unchanged JSON values as they came (see RawValue)
  std::vector<std::unique_ptr<TrackedFile>> files_;
  size_t cursor_ = 0;
  FilePositions committed_;
  std::map<LaneId, LaneFile> lane_files_;  // every file this source handed out positions of
  DeadLetterFile dead_letter_;
  Counter* bad_records_ = nullptr;
  std::chrono::steady_clock::time_point last_rotation_check_;
};

}  // namespace pipeline::file
