#include <doctest/doctest.h>

#include <filesystem>

#include "connectors/file/file_sink.h"
#include "connectors/file/path_template.h"
#include "connectors/file/tests/test_files.h"
#include "plugin/registry.h"

namespace pipeline::file {
namespace {

using testing::ReadText;
using testing::TempDir;

constexpr int64_t k20240305_1407 = 1709647620000;  // 2024-03-05 14:07:00 UTC

BatchPtr MakeBatch(const std::vector<std::pair<int64_t, int>>& time_and_id, const std::string& topic = "t") {
  auto batch = std::make_shared<Batch>();
  for (auto [ts, id] : time_and_id) {
    Record r;
    r.timestamp = ts;
    r.topic = topic;
    r.value = MakeStruct({{"id", Value(id)}, {"name", Value("n" + std::to_string(id))}});
    batch->records.push_back(std::move(r));
  }
  return batch;
}

// Gives the batch an acknowledgement token and returns a watch on it: it expires once the sink releases it.
std::weak_ptr<AckNode> WatchAck(Batch& batch) {
  static auto tracker = std::make_shared<AckTracker>();
  batch.acks.push_back(tracker->Issue());
  return batch.acks.back();
}

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> out;
  std::string text = ReadText(path), line;
  for (char c : text) {
    if (c == '\n') out.push_back(std::move(line)), line.clear();
    else line.push_back(c);
  }
  return out;
}

FileSinkSettings SinkSettings(const std::string& path) {
  auto t = PathTemplate::Parse(path);
  REQUIRE(t.ok());
  return FileSinkSettings{std::move(*t)};
}

TEST_SUITE("connectors.file") {
  TEST_CASE("path templates fill event-time fields, topic and part number") {
    auto t = PathTemplate::Parse("out/{topic}/dt={date}/{year}/{month}/{day}/h={hour}/m={minute}/part-{n}.jsonl");
    REQUIRE(t.ok());
    CHECK(t->has_part_number());
    CHECK(t->time_bucket_ms() == 60000);
    Record r;
    r.timestamp = k20240305_1407;
    r.topic = "a/b";
    std::string partition = t->Partition(r);
    CHECK(partition == "out/a_b/dt=2024-03-05/2024/03/05/h=14/m=07/part-{n}.jsonl");
    CHECK(PathTemplate::WithPart(partition, 12) == "out/a_b/dt=2024-03-05/2024/03/05/h=14/m=07/part-12.jsonl");
    auto bad = PathTemplate::Parse("out/{dat}.jsonl");
    REQUIRE(!bad.ok());
    CHECK(bad.error().message().find("{dat}") != std::string::npos);
  }

  TEST_CASE("partitions by event time; acknowledgements are held until Flush made them durable") {
    TempDir dir;
    FileSink sink(SinkSettings(dir / "dt={date}/hour={hour}/part-{n}.jsonl"));
    SinkContext ctx;
    REQUIRE(sink.Open(ctx).ok());
    auto batch = MakeBatch({{k20240305_1407, 1}, {k20240305_1407 + 3600000, 2}, {k20240305_1407 + 60000, 3}});
    std::weak_ptr<AckNode> watch = WatchAck(*batch);
    REQUIRE(sink.Write(std::move(batch)).ok());
    CHECK(!watch.expired());  // not acknowledged before it is durable
    REQUIRE(sink.Flush().ok());
    CHECK(watch.expired());
    auto h14 = Lines(dir / "dt=2024-03-05/hour=14/part-0.jsonl");
    auto h15 = Lines(dir / "dt=2024-03-05/hour=15/part-0.jsonl");
    CHECK(h14 == std::vector<std::string>{R"({"id":1,"name":"n1"})", R"({"id":3,"name":"n3"})"});
    CHECK(h15 == std::vector<std::string>{R"({"id":2,"name":"n2"})"});
  }

  TEST_CASE("holding many records flushes early, bounding memory") {
    TempDir dir;
    auto settings = SinkSettings(dir / "out.jsonl");
    settings.max_held_records = 4;
    FileSink sink(settings);
    SinkContext ctx;
    REQUIRE(sink.Open(ctx).ok());
    auto small = MakeBatch({{0, 1}, {0, 2}});
    std::weak_ptr<AckNode> first = WatchAck(*small);
    REQUIRE(sink.Write(std::move(small)).ok());
    CHECK(!first.expired());
    REQUIRE(sink.Write(MakeBatch({{0, 3}, {0, 4}})).ok());  // 4 held: flushed and released
    CHECK(first.expired());
    CHECK(Lines(dir / "out.jsonl").size() == 4);
  }

  TEST_CASE("rolls by max_records and max_bytes; a restart continues with new part numbers") {
    TempDir dir;
    auto settings = SinkSettings(dir / "{topic}-{n}.csv");
    settings.format = "csv";
    settings.max_records = 2;
    {
      FileSink sink(settings);
      SinkContext ctx;
      REQUIRE(sink.Open(ctx).ok());
      REQUIRE(sink.Write(MakeBatch({{0, 1}, {0, 2}, {0, 3}})).ok());
      REQUIRE(sink.Flush().ok());
      sink.Close();
    }
    CHECK(Lines(dir / "t-0.csv") == std::vector<std::string>{"id,name", "1,n1", "2,n2"});
    CHECK(Lines(dir / "t-1.csv") == std::vector<std::string>{"id,name", "3,n3"});
    {
      FileSink sink(settings);
      SinkContext ctx;
      REQUIRE(sink.Open(ctx).ok());
      REQUIRE(sink.Write(MakeBatch({{0, 4}})).ok());
      REQUIRE(sink.Flush().ok());
    }
    CHECK(Lines(dir / "t-1.csv").size() == 2);  // not overwritten
    CHECK(Lines(dir / "t-2.csv") == std::vector<std::string>{"id,name", "4,n4"});

    auto by_size = SinkSettings(dir / "s-{n}.jsonl");
    by_size.max_bytes = 40;  // two 20-byte lines per file
    FileSink sink(by_size);
    SinkContext ctx;
    REQUIRE(sink.Open(ctx).ok());
    REQUIRE(sink.Write(MakeBatch({{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}})).ok());
    REQUIRE(sink.Flush().ok());
    CHECK(Lines(dir / "s-0.jsonl").size() == 2);
    CHECK(Lines(dir / "s-1.jsonl").size() == 2);
    CHECK(Lines(dir / "s-2.jsonl").size() == 1);
  }

  TEST_CASE("without {n} the file is appended to; roll options then are a config error") {
    TempDir dir;
    {
      FileSink sink(SinkSettings(dir / "all.jsonl"));
      SinkContext ctx;
      REQUIRE(sink.Open(ctx).ok());
      REQUIRE(sink.Write(MakeBatch({{0, 1}})).ok());
      REQUIRE(sink.Flush().ok());
    }
    {
      FileSink sink(SinkSettings(dir / "all.jsonl"));
      SinkContext ctx;
      REQUIRE(sink.Open(ctx).ok());
      REQUIRE(sink.Write(MakeBatch({{0, 2}})).ok());
      REQUIRE(sink.Flush().ok());
    }
    CHECK(Lines(dir / "all.jsonl").size() == 2);

    const Registry& registry = BuiltinRegistry();
    Options options(registry.FindSpec(ComponentKind::kSink, "file"),
                    YAML::Load("{path: " + (dir / "x.jsonl") + ", max_records: 5}"), "p.yaml");
    auto built = (*registry.FindSink("file"))(options, BuildContext{"s", dir.path(), {}});
    REQUIRE(!built.ok());
    CHECK(built.error().message().find("{n}") != std::string::npos);
  }
}

}  // namespace
}  // namespace pipeline::file
