#include "connectors/file/file_source.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "observability/log.h"
#include "observability/metrics.h"

namespace pipeline::file {

namespace {

using Clock = std::chrono::steady_clock;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> Glob(const std::string& pattern) {
  std::vector<std::string> paths;
  glob_t g{};
  if (::glob(pattern.c_str(), GLOB_MARK, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) {
      std::string p = g.gl_pathv[i];
      if (!p.empty() && p.back() != '/') paths.push_back(std::move(p));  // GLOB_MARK: skip directories
    }
  }
  ::globfree(&g);
  return paths;
}

std::string Where(const std::string& path, int64_t offset) { return path + ", byte offset " + std::to_string(offset); }

}  // namespace

FileSource::FileSource(FileSourceSettings settings) : settings_(std::move(settings)) {}

FileSource::~FileSource() { Close(); }

Status FileSource::Open(SourceContext& ctx) {
  ctx_ = &ctx;
  topic_ = ctx.name;
  keep_raw_values_ = settings_.format == "json" && ctx.value_demand.AcceptsRaw("json");
  if (auto saved = ctx.LoadCheckpoint()) {
    auto positions = DecodePositions(*saved);
    if (!positions) {
      return FatalError("the checkpoint " + ctx.CheckpointFile() +
                        " is not a file position (written by another source type?); move it away to start over");
    }
    committed_ = std::move(*positions);
  }
  if (settings_.on_error == ErrorPolicy::kDeadLetter) {
    if (settings_.dead_letter_path.empty())
      settings_.dead_letter_path = (ctx.state_dir.empty() ? "." : ctx.state_dir) + "/dead_letter/" + ctx.name + ".jsonl";
    PIPE_RETURN_IF_ERROR(dead_letter_.Open(settings_.dead_letter_path, ctx.name));
  }
  if (ctx.metrics)
    bad_records_ = ctx.metrics->GetCounter("pipe_source_bad_records_total", {{"source", ctx.name}},
                                           "Input lines a source could not decode (skipped or dead-lettered)");
  PIPE_RETURN_IF_ERROR(Scan(/*initial=*/true));
  if (settings_.mode == ReadMode::kRead && files_.empty())
    return FatalError("no file matches " + settings_.path);
  last_rotation_check_ = Clock::now();
  return {};
}

Status FileSource::Scan(bool initial) {
  for (const auto& path : Glob(settings_.path)) {
    bool known = std::any_of(files_.begin(), files_.end(),
                             [&](const auto& f) { return !f->rotated && f->path == path; });
    if (!known) PIPE_RETURN_IF_ERROR(Track(path, initial));
  }
  return {};
}

Status FileSource::Track(const std::string& path, bool initial) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (settings_.mode == ReadMode::kFollow) return {};  // vanished between glob and open: next scan
    return FatalError("cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat st{};
  ::fstat(fd, &st);
  FileId id{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
  // Already tracked under another name (a rotated file that still matches the glob): keep the one reader.
  for (const auto& f : files_) {
    if (f->id == id) {
      ::close(fd);
      return {};
    }
  }
  int64_t offset = 0;
  auto saved = committed_.find(id);
  if (saved != committed_.end()) {
    offset = saved->second.offset <= st.st_size ? saved->second.offset : 0;  // shorter now: a reused inode
  } else if (initial && settings_.start_at_end) {
    offset = st.st_size;
  }
  auto f = std::make_unique<TrackedFile>();
  f->path = path;
  f->id = id;
  f->fd = fd;
  f->reader = LineReader(settings_.chunk_bytes, settings_.max_line_bytes);
  f->quiet_since = Clock::now();
  f->lane = Lanes::Intern("file " + std::to_string(id.dev) + ":" + std::to_string(id.ino));
  f->progress_noted = offset;
  lane_files_[f->lane] = {id, path};
  PIPE_RETURN_IF_ERROR(StartDecoder(*f, offset));
  if (!initial) LogInfo("file_opened", "reading new file " + path, {{"source", topic_}});
  files_.push_back(std::move(f));
  return {};
}

Status FileSource::StartDecoder(TrackedFile& f, int64_t offset) {
  auto decoder = MakeDecoder(settings_.format, settings_.csv);
  if (!decoder.ok()) return decoder.error();
  f.decoder = std::move(*decoder);
  if (ctx_) f.decoder->Project(ctx_->value_demand.ForSource(settings_.format));
  f.reader.Reset(offset);
  if (offset == 0 || !f.decoder->ExpectsHeader()) return {};
  // Resuming in the middle of a csv file: the decoder still needs the header line.
  LineReader header(64 << 10, settings_.max_line_bytes);
  std::string_view line;
  int64_t at = 0;
  while (header.NextLine(line, at) == LineReader::Next::kNeedMore)
    if (header.Fill(f.fd, true) <= 0) return FatalError("cannot read the csv header of " + f.path);
  Record scratch;
  return f.decoder->Decode(line, scratch);
}

Result<bool> FileSource::DecodeLine(TrackedFile& f, std::string_view line, int64_t offset, bool too_long,
                                    Batch& out, int64_t now_ms) {
  if (line.empty() && !too_long) return false;
  Status status;
  if (too_long) {
    status = DataError("line longer than max_line_bytes (" + std::to_string(settings_.max_line_bytes) + ")");
  } else if (f.decoder->ExpectsHeader()) {
    Record scratch;
    status = f.decoder->Decode(line, scratch);
    if (status.ok()) return false;
  } else {
    Record& r = out.records.emplace_back();
    status = f.decoder->DecodeInBuffer(line, f.reader.ReadableAfter(line), r);
    if (status.ok()) {
      if (keep_raw_values_ && r.value.is_struct())
        r.raw = MakeRawValue("json", line, r.value);
      r.offset = offset;
      r.position = {f.lane, offset, 0};
      if (!f.decoder->CarriesRecordMetadata()) {  // a replayed dead letter keeps its original topic and time
        r.topic = topic_;
        r.timestamp = now_ms;
      }
      settings_.key_fields.Apply(r);
      return true;
    }
    out.records.pop_back();
  }
  switch (settings_.on_error) {
    case ErrorPolicy::kFail:
      return DataError(Where(f.path, offset) + ": " + status.message() +
                       " (set on_error: skip or dead_letter to keep going)");
    case ErrorPolicy::kSkip:
      break;
    case ErrorPolicy::kDeadLetter:
      PIPE_RETURN_IF_ERROR(dead_letter_.Append({f.lane, offset, 0}, Where(f.path, offset) + ": " + status.message(), line));
      break;
  }
  if (bad_records_) bad_records_->Add();
  return false;
}

Result<size_t> FileSource::ReadRecords(TrackedFile& f, Batch& out, int64_t now_ms) {
  size_t produced = 0;
  out.records.reserve(out.records.size() + settings_.batch_size);
  std::string_view line;
  int64_t offset = 0;
  while (produced < settings_.batch_size && !f.finished) {
    auto next = f.reader.NextLine(line, offset);
    if (next == LineReader::Next::kNeedMore) {
      f.decoder->ParseAhead({}, 0);  // Fill may move the buffer
      long n = f.reader.Fill(f.fd, /*positional=*/true);
      if (n < 0) return FatalError("cannot read " + f.path + ": " + std::strerror(errno));
      if (n > 0) {
        f.quiet_since = Clock::now();
        std::string_view lines = f.reader.BufferedLines();
        if (!lines.empty()) f.decoder->ParseAhead(lines, f.reader.ReadableAfter(lines));
        continue;
      }
      // End of what is there now. The last line may lack its newline: hand it out only when no more can come.
      bool done = settings_.mode == ReadMode::kRead ||
                  (f.rotated && Clock::now() - f.quiet_since >= std::chrono::milliseconds(settings_.rotate_wait_ms));
      if (!done) break;
      if (f.reader.TakeRest(line, offset)) {
        auto added = DecodeLine(f, line, offset, false, out, now_ms);
        if (!added.ok()) return added.error();
        produced += *added;
      }
      f.finished = true;
      break;
    }
    auto added = DecodeLine(f, line, offset, next == LineReader::Next::kTooLong, out, now_ms);
    if (!added.ok()) return added.error();
    produced += *added;
  }
  return produced;
}

Result<ReadStatus> FileSource::Read(Batch& out, std::stop_token stop) {
  const int64_t now_ms = NowMs();
  if (settings_.mode == ReadMode::kFollow &&
      Clock::now() - last_rotation_check_ >= std::chrono::milliseconds(4 * settings_.poll_ms)) {
    CheckRotation();
  }
  for (size_t k = 0; k < files_.size(); ++k) {
    size_t index = (cursor_ + k) % files_.size();
    TrackedFile& f = *files_[index];
    auto produced = ReadRecords(f, out, now_ms);
    if (!produced.ok()) return produced.error();
    NoteProgress(f, out);
    if (*produced == 0) continue;
    cursor_ = index;  // stay on this file while it has data: whole chunks, sequential reads
    return ReadStatus::kMore;
  }
  DropFinished();
  if (settings_.mode == ReadMode::kRead) {
    if (files_.empty()) return ReadStatus::kEnd;
    return ReadStatus::kMore;  // files left that have nothing to decode yet (only headers, blank lines)
  }
  CheckRotation();
  PIPE_RETURN_IF_ERROR(Scan(/*initial=*/false));
  if (!stop.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(settings_.poll_ms));
  return ReadStatus::kIdle;
}

void FileSource::CheckRotation() {
  last_rotation_check_ = Clock::now();
  for (auto& f : files_) {
    if (f->rotated) continue;
    struct stat st{};
    bool same = ::stat(f->path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_dev) == f->id.dev &&
                static_cast<uint64_t>(st.st_ino) == f->id.ino;
    if (!same) {
      f->rotated = true;  // drain what is left, then drop it; Scan opens whatever the path names now
      f->quiet_since = Clock::now();
      LogInfo("file_rotated", f->path + " was rotated; reading the rest of the old file",
              {{"source", topic_}, {"path", f->path}});
      continue;
    }
    if (st.st_size < f->reader.read_offset()) {
      LogInfo("file_truncated", f->path + " shrank; reading it again from the start",
              {{"source", topic_}, {"path", f->path}});
      if (!StartDecoder(*f, 0).ok()) f->reader.Reset(0);
    }
  }
}

void FileSource::DropFinished() {
  for (size_t i = 0; i < files_.size();) {
    if (files_[i]->finished) {
      ::close(files_[i]->fd);
      files_.erase(files_.begin() + static_cast<std::ptrdiff_t>(i));
      cursor_ = 0;
    } else {
      ++i;
    }
  }
}

void FileSource::NoteProgress(TrackedFile& f, Batch& out) {
  const int64_t consumed = f.reader.consumed_offset();
  if (consumed == f.progress_noted) return;
  f.progress_noted = consumed;
  out.progress.push_back({f.lane, consumed, 0});
}

Status FileSource::Commit(const LanePositions& acknowledged) {
  bool changed = false;
  for (const auto& [lane, position] : acknowledged) {
    auto file = lane_files_.find(lane);
    if (file == lane_files_.end()) continue;
    FilePosition& at = committed_[file->second.id];
    if (at.offset == position.major && at.path == file->second.path) continue;
    at = FilePosition{file->second.path, position.major};
    changed = true;
  }
  if (!changed || !ctx_) return {};
  PrunePositions();
  // Dead letters first: once the position moves past a bad line, the dead letter file is its only copy.
  PIPE_RETURN_IF_ERROR(dead_letter_.Sync());
  return ctx_->SaveCheckpoint(EncodePositions(committed_));
}

void FileSource::PrunePositions() {
  // Positions of files that are gone (rotated away and deleted) would pile up over months of rotation. Keep
  // those of tracked files and of files still found at their last path.
  if (committed_.size() <= files_.size() + 16) return;
  std::vector<LaneId> gone;
  for (auto it = committed_.begin(); it != committed_.end();) {
    bool tracked = std::any_of(files_.begin(), files_.end(), [&](const auto& f) { return f->id == it->first; });
    struct stat st{};
    bool present = ::stat(it->second.path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_ino) == it->first.ino &&
                   static_cast<uint64_t>(st.st_dev) == it->first.dev;
    if (tracked || present) {
      ++it;
      continue;
    }
    for (auto lane = lane_files_.begin(); lane != lane_files_.end();) {
      if (lane->second.id != it->first) {
        ++lane;
        continue;
      }
      gone.push_back(lane->first);
      lane = lane_files_.erase(lane);
    }
    it = committed_.erase(it);
  }
  if (!gone.empty() && ctx_->forget_lanes) ctx_->forget_lanes(gone);  // the ledger would hand them back
}

void FileSource::Close() {
  for (auto& f : files_)
    if (f->fd >= 0) ::close(f->fd);
  files_.clear();
  dead_letter_.Close();
}

}  // namespace pipeline::file
