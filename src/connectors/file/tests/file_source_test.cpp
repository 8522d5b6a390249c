#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "connectors/file/file_source.h"
#include "connectors/file/tests/test_files.h"
#include "formats/json.h"
#include "runtime/checkpoint_store.h"
#include "runtime/position_ledger.h"

namespace pipeline::file {
namespace {

using testing::ReadText;
using testing::TempDir;
using testing::WriteText;

// A file source with a real checkpoint store in `state`.
struct Harness {
  explicit Harness(FileSourceSettings settings, const std::string& state)
      : store(state), source(std::move(settings)) {
    ctx.name = "logs";
    ctx.state_dir = state;
    ctx.checkpoints = &store;
  }
  Status Open() { return source.Open(ctx); }
  // One Read; its records are appended to `records`.
  Result<ReadStatus> ReadOnce() {
    Batch batch;
    auto status = source.Read(batch, stop.get_token());
    if (status.ok() && (!batch.empty() || !batch.progress.empty())) ledger.Seal(++batches, std::move(batch.progress));
    for (auto& r : batch.records) records.push_back(std::move(r));
    return status;
  }
  // Batches 1..n (records or progress alone, numbered as the runtime issues them) were delivered.
  Status CommitThrough(uint64_t n) {
    ledger.Acknowledge(n);
    return source.Commit(ledger.acknowledged());
  }
  // Reads until the source ends, or (follow mode) until `want` records arrived or 5 s passed.
  void ReadUntil(size_t want) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (records.size() < want && std::chrono::steady_clock::now() < deadline) {
      auto status = ReadOnce();
      REQUIRE(status.ok());
      if (*status == ReadStatus::kEnd) break;
    }
  }
  std::vector<std::string> Texts() const {
    std::vector<std::string> out;
    for (const auto& r : records) {
      const Value* m = r.value.Field("message");
      out.push_back(m ? m->as_string() : ToJson(r.value));
    }
    return out;
  }

  CheckpointStore store;
  SourceContext ctx;
  FileSource source;
  std::stop_source stop;
  std::vector<Record> records;
  PositionLedger ledger;
  uint64_t batches = 0;
};

FileSourceSettings Settings(const std::string& path, const std::string& format = "lines") {
  FileSourceSettings s;
  s.path = path;
  s.format = format;
  s.rotate_wait_ms = 100;
  s.poll_ms = 10;
  return s;
}

TEST_SUITE("connectors.file") {
  TEST_CASE("read mode: json lines with offsets and topic, then the end") {
    TempDir dir;
    WriteText(dir / "in.jsonl", "{\"a\":1}\n\n{\"a\":2}\r\n{\"a\":3}");
    Harness h(Settings(dir / "in.jsonl", "json"), dir / "state");
    REQUIRE(h.Open().ok());
    h.ReadUntil(100);
    REQUIRE(h.records.size() == 3);
    CHECK(h.records[0].value.Field("a")->as_int() == 1);
    CHECK(h.records[2].value.Field("a")->as_int() == 3);
    CHECK(h.records[0].offset == 0);
    CHECK(h.records[1].offset == 9);
    CHECK(h.records[2].offset == 18);
    CHECK(h.records[0].topic == "logs");
    CHECK(*h.ReadOnce() == ReadStatus::kEnd);
  }

  TEST_CASE("read mode: a glob reads every file in name order; no match is an error") {
    TempDir dir;
    WriteText(dir / "b.log", "b1\nb2\n");
    WriteText(dir / "a.log", "a1\n");
    WriteText(dir / "c.txt", "not me\n");
    Harness h(Settings(dir / "*.log"), dir / "state");
    REQUIRE(h.Open().ok());
    h.ReadUntil(100);
    CHECK(h.Texts() == std::vector<std::string>{"a1", "b1", "b2"});

    Harness none(Settings(dir / "*.nothing"), dir / "state2");
    Status status = none.Open();
    REQUIRE(!status.ok());
    CHECK(status.message().find("no file matches") != std::string::npos);
  }

  TEST_CASE("commit saves positions; a new source resumes after the last committed batch") {
    TempDir dir;
    WriteText(dir / "in.log", "1\n2\n3\n4\n5\n");
    auto settings = Settings(dir / "in.log");
    settings.batch_size = 2;
    {
      Harness h(settings, dir / "state");
      REQUIRE(h.Open().ok());
      REQUIRE(h.ReadOnce().ok());  // batch 1: 1,2
      REQUIRE(h.ReadOnce().ok());  // batch 2: 3,4
      CHECK(h.Texts() == std::vector<std::string>{"1", "2", "3", "4"});
      REQUIRE(h.CommitThrough(1).ok());  // only the first batch was delivered
      h.source.Close();
    }
    Harness again(settings, dir / "state");
    REQUIRE(again.Open().ok());
    again.ReadUntil(100);
    CHECK(again.Texts() == std::vector<std::string>{"3", "4", "5"});
    REQUIRE(again.CommitThrough(again.batches).ok());

    Harness done(settings, dir / "state");  // everything committed: nothing again
    REQUIRE(done.Open().ok());
    done.ReadUntil(100);
    CHECK(done.records.empty());
  }

  TEST_CASE("on_error fail names the file and the byte offset") {
    TempDir dir;
    WriteText(dir / "in.jsonl", "{\"a\":1}\n{oops\n");
    Harness h(Settings(dir / "in.jsonl", "json"), dir / "state");
    REQUIRE(h.Open().ok());
    Batch batch;
    auto status = h.source.Read(batch, h.stop.get_token());
    REQUIRE(!status.ok());
    CHECK(status.error().message().find(dir / "in.jsonl") != std::string::npos);
    CHECK(status.error().message().find("byte offset 8") != std::string::npos);
  }

  TEST_CASE("on_error skip and dead_letter keep going; dead letters keep the raw line") {
    TempDir dir;
    WriteText(dir / "in.jsonl", "{\"a\":1}\n{oops\n{\"a\":2}\nbad\xff\n");
    auto skip = Settings(dir / "in.jsonl", "json");
    skip.on_error = ErrorPolicy::kSkip;
    Harness h(skip, dir / "state1");
    REQUIRE(h.Open().ok());
    h.ReadUntil(100);
    CHECK(h.records.size() == 2);

    auto dead = Settings(dir / "in.jsonl", "json");
    dead.on_error = ErrorPolicy::kDeadLetter;
    dead.dead_letter_path = dir / "dlq/bad.jsonl";
    Harness d(dead, dir / "state2");
    REQUIRE(d.Open().ok());
    d.ReadUntil(100);
    CHECK(d.records.size() == 2);
    REQUIRE(d.CommitThrough(d.batches).ok());
    std::string text = ReadText(dir / "dlq/bad.jsonl");
    auto first = ParseJson(text.substr(0, text.find('\n')));
    REQUIRE(first.ok());
    CHECK(first->Field("stage")->as_string() == "decode");
    // The file's lane (device and inode, which follow it through a rename) at the line's byte offset; the
    // message names the path.
    const std::string position = first->Field("record")->Field("position")->as_string();
    CHECK(position.rfind("file ", 0) == 0);
    CHECK(position.substr(position.size() - 2) == "@8");
    CHECK(first->Field("error")->Field("message")->as_string().find(dir / "in.jsonl") != std::string::npos);
    CHECK(first->Field("record")->Field("raw_base64")->as_string() == "e29vcHM=");  // "{oops": never decoded
    CHECK(!first->Field("error")->Field("message")->as_string().empty());
    auto second = ParseJson(text.substr(text.find('\n') + 1));
    REQUIRE(second.ok());
    CHECK(second->Field("record")->Field("raw_base64")->as_string() == "YmFk/w==");  // "bad\xff"
  }

  TEST_CASE("csv: each file's header names the fields, also when resuming mid-file") {
    TempDir dir;
    WriteText(dir / "in.csv", "id,name\n1,ann\n2,bob\n3,cy\n");
    auto settings = Settings(dir / "in.csv", "csv");
    settings.batch_size = 1;
    {
      Harness h(settings, dir / "state");
      REQUIRE(h.Open().ok());
      REQUIRE(h.ReadOnce().ok());
      REQUIRE(h.records.size() == 1);
      CHECK(h.records[0].value.Field("name")->as_string() == "ann");
      REQUIRE(h.CommitThrough(1).ok());
    }
    Harness again(settings, dir / "state");
    REQUIRE(again.Open().ok());
    again.ReadUntil(100);
    REQUIRE(again.records.size() == 2);
    CHECK(again.records[0].value.Field("name")->as_string() == "bob");
    CHECK(again.records[1].value.Field("id")->ToString() == "3");
  }

  TEST_CASE("follow: new lines, rotation by rename, truncation") {
    TempDir dir;
    const std::string log = dir / "app.log";
    WriteText(log, "one\ntwo\n");
    auto settings = Settings(log);
    settings.mode = ReadMode::kFollow;
    Harness h(settings, dir / "state");
    REQUIRE(h.Open().ok());
    h.ReadUntil(2);
    CHECK(h.Texts() == std::vector<std::string>{"one", "two"});

    WriteText(log, "three\npart", true);  // an unterminated line waits for its newline
    h.ReadUntil(3);
    WriteText(log, "ial\n", true);
    h.ReadUntil(4);
    CHECK(h.Texts() == std::vector<std::string>{"one", "two", "three", "partial"});

    // logrotate: rename, keep writing to the old file briefly, then a new file at the path.
    std::filesystem::rename(log, dir / "app.log.1");
    WriteText(dir / "app.log.1", "late\n", true);
    WriteText(log, "fresh\n");
    h.ReadUntil(6);
    auto texts = h.Texts();
    REQUIRE(texts.size() == 6);
    CHECK(std::find(texts.begin(), texts.end(), "late") != texts.end());
    CHECK(std::find(texts.begin(), texts.end(), "fresh") != texts.end());

    // copytruncate: the file shrinks, so it is read again from the start.
    WriteText(log, "ag\n");  // shorter than what was read: same-size rewrites cannot be told apart
    h.ReadUntil(7);
    CHECK(h.Texts().back() == "ag");
    CHECK(h.records.back().offset == 0);
  }

  TEST_CASE("follow with start_at end skips what is there at startup") {
    TempDir dir;
    WriteText(dir / "app.log", "old\n");
    auto settings = Settings(dir / "app.log");
    settings.mode = ReadMode::kFollow;
    settings.start_at_end = true;
    Harness h(settings, dir / "state");
    REQUIRE(h.Open().ok());
    REQUIRE(h.ReadOnce().ok());
    CHECK(h.records.empty());
    WriteText(dir / "app.log", "new\n", true);
    h.ReadUntil(1);
    CHECK(h.Texts() == std::vector<std::string>{"new"});
    CHECK(h.records[0].offset == 4);
  }

  TEST_CASE("follow: Read returns within the idle bound") {
    TempDir dir;
    WriteText(dir / "app.log", "");
    auto settings = Settings(dir / "app.log");
    settings.mode = ReadMode::kFollow;
    settings.poll_ms = 50;
    Harness h(settings, dir / "state");
    REQUIRE(h.Open().ok());
    auto t0 = std::chrono::steady_clock::now();
    auto status = h.ReadOnce();
    REQUIRE(status.ok());
    CHECK(*status == ReadStatus::kIdle);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(100));
  }

  TEST_CASE("throughput of json lines") {
    TempDir dir;
    std::string chunk;
    for (int i = 0; i < 10000; ++i)
      chunk += "{\"id\":" + std::to_string(i) + ",\"user\":\"user_" + std::to_string(i % 97) +
               "\",\"status\":200,\"path\":\"/index.html\",\"bytes\":1234,\"ok\":true}\n";
    {
      std::ofstream out(dir / "big.jsonl", std::ios::binary);
      for (int i = 0; i < 40; ++i) out << chunk;
    }
    const double mb = static_cast<double>(std::filesystem::file_size(dir / "big.jsonl")) / 1e6;
    Harness h(Settings(dir / "big.jsonl", "json"), dir / "state");
    REQUIRE(h.Open().ok());
    size_t count = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (;;) {
      Batch batch;
      auto status = h.source.Read(batch, h.stop.get_token());
      REQUIRE(status.ok());
      count += batch.size();
      if (*status == ReadStatus::kEnd) break;
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(count == 400000);
    MESSAGE("file source json: " << mb / s << " MB/s, " << count / s << " records/s");
  }
}

}  // namespace
}  // namespace pipeline::file
