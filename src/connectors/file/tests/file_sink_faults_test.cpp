// FileSink under injected faults: a disk that fills up part-way through a write (and is freed later), EIO on
// write, a failing fdatasync. What must hold: no torn or repeated line, nothing acknowledged that is not synced.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "connectors/file/file_sink.h"
#include "connectors/file/tests/test_files.h"

namespace pipeline::file {
namespace {

using testing::ReadText;
using testing::TempDir;

// The injected disk: files may grow to `capacity` bytes (a write past it is cut short, as on a full disk, and
// the next one fails with ENOSPC); `write_errno` / `sync_errno` make every write / fdatasync fail.
struct Disk {
  off_t capacity = 1 << 30;
  int write_errno = 0;
  int sync_errno = 0;
  int truncate_errno = 0;
  int enospc_count = 0;
};
Disk g_disk;

ssize_t FakeWrite(int fd, const void* data, size_t size) {
  if (g_disk.write_errno) return errno = g_disk.write_errno, -1;
  struct stat st{};
  ::fstat(fd, &st);
  off_t room = std::max<off_t>(0, g_disk.capacity - st.st_size);
  if (room == 0) return ++g_disk.enospc_count, errno = ENOSPC, -1;
  return ::write(fd, data, std::min(size, static_cast<size_t>(room)));
}
int FakeFdatasync(int fd) { return g_disk.sync_errno ? (errno = g_disk.sync_errno, -1) : ::fdatasync(fd); }
int FakeFtruncate(int fd, off_t length) {
  return g_disk.truncate_errno ? (errno = g_disk.truncate_errno, -1) : ::ftruncate(fd, length);
}

constexpr FileOps kFaultyOps{FakeWrite, FakeFdatasync, FakeFtruncate};

// Records {"id":N} from `first` to `last`, each line 9-11 bytes; the batch carries an ack token to watch.
BatchPtr Numbers(int first, int last, std::weak_ptr<AckNode>* ack = nullptr) {
  static auto tracker = std::make_shared<AckTracker>();
  auto batch = std::make_shared<Batch>();
  for (int id = first; id <= last; ++id) {
    Record r;
    r.value = MakeStruct({{"id", Value(id)}});
    batch->records.push_back(std::move(r));
  }
  batch->acks.push_back(tracker->Issue());
  if (ack) *ack = batch->acks.back();
  return batch;
}

std::string Expected(int first, int last) {
  std::string out;
  for (int id = first; id <= last; ++id) out += "{\"id\":" + std::to_string(id) + "}\n";
  return out;
}

struct FaultySink {
  explicit FaultySink(const std::string& path, size_t buffer_bytes = 1 << 20) {
    g_disk = Disk{};
    auto t = PathTemplate::Parse(path);
    REQUIRE(t.ok());
    FileSinkSettings settings{std::move(*t)};
    settings.buffer_bytes = buffer_bytes;
    sink = std::make_unique<FileSink>(std::move(settings), kFaultyOps);
    SinkContext ctx;
    REQUIRE(sink->Open(ctx).ok());
  }
  std::unique_ptr<FileSink> sink;
};

TEST_SUITE("connectors.file") {
  TEST_CASE("a disk full during Flush: cut back to the last sync, not acknowledged, written once when freed") {
    TempDir dir;
    FaultySink s(dir / "out.jsonl");
    std::weak_ptr<AckNode> first, second;
    REQUIRE(s.sink->Write(Numbers(1, 3, &first)).ok());
    REQUIRE(s.sink->Flush().ok());
    CHECK(first.expired());
    g_disk.capacity = static_cast<off_t>(Expected(1, 3).size() + 15);  // room for one line and a half
    REQUIRE(s.sink->Write(Numbers(4, 9, &second)).ok());
    for (int attempt = 0; attempt < 3; ++attempt) {  // the runtime retries while the disk stays full
      Status flushed = s.sink->Flush();
      REQUIRE(!flushed.ok());
      CHECK(flushed.error().kind() == ErrorKind::kRetryable);
      CHECK(flushed.message().find("out.jsonl") != std::string::npos);
      CHECK(flushed.message().find("No space left") != std::string::npos);
      CHECK(ReadText(dir / "out.jsonl") == Expected(1, 3));  // no torn line left behind
      CHECK(!second.expired());
    }
    CHECK(g_disk.enospc_count == 3);
    g_disk.capacity = 1 << 30;  // space freed
    REQUIRE(s.sink->Flush().ok());
    CHECK(second.expired());
    CHECK(ReadText(dir / "out.jsonl") == Expected(1, 9));
  }

  TEST_CASE("a disk full in the middle of a Write: its retry with the same batch takes each record once") {
    TempDir dir;
    FaultySink s(dir / "part-{n}.jsonl", /*buffer_bytes=*/16);  // writes every two lines or so
    g_disk.capacity = 40;
    std::weak_ptr<AckNode> ack;
    BatchPtr batch = Numbers(1, 20, &ack);
    Status written = s.sink->Write(batch);
    REQUIRE(!written.ok());
    CHECK(written.error().kind() == ErrorKind::kRetryable);
    CHECK(ReadText(dir / "part-0.jsonl").empty());  // cut back to its last sync: nothing yet
    REQUIRE(!s.sink->Write(batch).ok());            // still full
    g_disk.capacity = 1 << 30;
    REQUIRE(s.sink->Write(batch).ok());
    batch.reset();
    CHECK(!ack.expired());
    REQUIRE(s.sink->Flush().ok());
    CHECK(ack.expired());
    CHECK(ReadText(dir / "part-0.jsonl") == Expected(1, 20));
  }

  TEST_CASE("a disk full when a rolled file is closed: the record is not taken until the roll succeeds") {
    TempDir dir;
    g_disk = Disk{};
    auto t = PathTemplate::Parse(dir / "part-{n}.jsonl");
    REQUIRE(t.ok());
    FileSinkSettings settings{std::move(*t)};
    settings.max_records = 3;
    FileSink sink(std::move(settings), kFaultyOps);
    SinkContext ctx;
    REQUIRE(sink.Open(ctx).ok());
    g_disk.capacity = 20;
    BatchPtr batch = Numbers(1, 7);
    REQUIRE(!sink.Write(batch).ok());
    g_disk.capacity = 1 << 30;
    REQUIRE(sink.Write(batch).ok());
    REQUIRE(sink.Flush().ok());
    CHECK(ReadText(dir / "part-0.jsonl") == Expected(1, 3));
    CHECK(ReadText(dir / "part-1.jsonl") == Expected(4, 6));
    CHECK(ReadText(dir / "part-2.jsonl") == Expected(7, 7));
  }

  TEST_CASE("a run stopped while the disk is full leaves only synced lines for the rerun to append to") {
    TempDir dir;
    {
      FaultySink s(dir / "out.jsonl");
      REQUIRE(s.sink->Write(Numbers(1, 2)).ok());
      REQUIRE(s.sink->Flush().ok());
      g_disk.capacity = static_cast<off_t>(Expected(1, 2).size() + 4);
      REQUIRE(s.sink->Write(Numbers(3, 5)).ok());
      REQUIRE(!s.sink->Flush().ok());
      s.sink->Close();
    }
    CHECK(ReadText(dir / "out.jsonl") == Expected(1, 2));
  }

  TEST_CASE("EIO on write is fatal, names the file and errno, and is never reported as flushed") {
    TempDir dir;
    FaultySink s(dir / "out.jsonl");
    std::weak_ptr<AckNode> ack;
    REQUIRE(s.sink->Write(Numbers(1, 3, &ack)).ok());
    g_disk.write_errno = EIO;
    Status flushed = s.sink->Flush();
    REQUIRE(!flushed.ok());
    CHECK(flushed.error().kind() == ErrorKind::kFatal);
    CHECK(flushed.message().find(dir / "out.jsonl") != std::string::npos);
    CHECK(flushed.message().find("errno 5") != std::string::npos);
    g_disk.write_errno = 0;
    CHECK(s.sink->Flush().error().kind() == ErrorKind::kFatal);  // the sink stays failed
    CHECK(!s.sink->Write(Numbers(4, 4)).ok());
    CHECK(!ack.expired());
  }

  TEST_CASE("a failed fdatasync is fatal, not retried as if the data were safe") {
    TempDir dir;
    FaultySink s(dir / "out.jsonl");
    std::weak_ptr<AckNode> ack;
    REQUIRE(s.sink->Write(Numbers(1, 3, &ack)).ok());
    g_disk.sync_errno = EIO;
    Status flushed = s.sink->Flush();
    REQUIRE(!flushed.ok());
    CHECK(flushed.error().kind() == ErrorKind::kFatal);
    CHECK(flushed.message().find("cannot sync " + (dir / "out.jsonl")) != std::string::npos);
    g_disk.sync_errno = 0;  // a second fdatasync would now "succeed": it must not be trusted
    CHECK(s.sink->Flush().error().kind() == ErrorKind::kFatal);
    CHECK(!ack.expired());
  }

  TEST_CASE("a file that cannot be cut back after ENOSPC is fatal") {
    TempDir dir;
    FaultySink s(dir / "out.jsonl");
    g_disk.capacity = 5;
    g_disk.truncate_errno = EIO;
    REQUIRE(s.sink->Write(Numbers(1, 3)).ok());
    Status flushed = s.sink->Flush();
    REQUIRE(!flushed.ok());
    CHECK(flushed.error().kind() == ErrorKind::kFatal);
    CHECK(flushed.message().find("cannot cut") != std::string::npos);
  }
}

}  // namespace
}  // namespace pipeline::file
