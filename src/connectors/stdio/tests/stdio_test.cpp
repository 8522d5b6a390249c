#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "connectors/stdio/blackhole_sink.h"
#include "connectors/stdio/stdin_source.h"
#include "connectors/stdio/stdout_sink.h"

namespace pipeline::stdio {
namespace {

struct Pipe {
  Pipe() { REQUIRE(::pipe(fds) == 0); }
  ~Pipe() {
    CloseRead();
    CloseWrite();
  }
  void Write(const std::string& s) { REQUIRE(::write(fds[1], s.data(), s.size()) == static_cast<ssize_t>(s.size())); }
  std::string ReadSome() {
    char buf[4096];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }
  void CloseRead() {
    if (fds[0] >= 0) ::close(fds[0]), fds[0] = -1;
  }
  void CloseWrite() {
    if (fds[1] >= 0) ::close(fds[1]), fds[1] = -1;
  }
  int fds[2] = {-1, -1};
};

TEST_SUITE("connectors.stdio") {
  TEST_CASE("stdin: lines become records, idle while the writer pauses, end at EOF") {
    Pipe p;
    StdinSettings settings;
    settings.format = "json";
    settings.fd = p.fds[0];
    StdinSource source(settings);
    SourceContext ctx;
    ctx.name = "in";
    REQUIRE(source.Open(ctx).ok());
    std::stop_source stop;
    p.Write("{\"a\":1}\n{\"a\":2}\n{\"a\":");
    Batch batch;
    auto status = source.Read(batch, stop.get_token());
    REQUIRE(status.ok());
    CHECK(*status == ReadStatus::kMore);
    REQUIRE(batch.size() == 2);
    CHECK(batch.records[1].value.Field("a")->as_int() == 2);
    CHECK(batch.records[1].offset == 8);
    CHECK(batch.records[0].topic == "in");
    Batch empty;
    CHECK(*source.Read(empty, stop.get_token()) == ReadStatus::kIdle);
    p.Write("3}");
    p.CloseWrite();
    Batch last;
    REQUIRE(source.Read(last, stop.get_token()).ok());
    REQUIRE(last.size() == 1);
    CHECK(last.records[0].value.Field("a")->as_int() == 3);
    Batch after;
    CHECK(*source.Read(after, stop.get_token()) == ReadStatus::kEnd);
  }

  TEST_CASE("stdin: a bad line fails with its offset unless on_error is skip") {
    Pipe p;
    StdinSettings settings;
    settings.fd = p.fds[0];
    StdinSource source(settings);
    SourceContext ctx;
    REQUIRE(source.Open(ctx).ok());
    p.Write("{\"a\":1}\nnope\n");
    p.CloseWrite();
    Batch batch;
    std::stop_source stop;
    auto status = source.Read(batch, stop.get_token());
    REQUIRE(!status.ok());
    CHECK(status.error().message().find("byte offset 8") != std::string::npos);
  }

  TEST_CASE("stdin: on_error dead_letter keeps the bad line and goes on") {
    Pipe p;
    char tmpl[] = "/tmp/pipe-stdin-test-XXXXXX";
    std::string dir = ::mkdtemp(tmpl);
    StdinSettings settings;
    settings.fd = p.fds[0];
    settings.skip_errors = true;
    settings.dead_letter_path = dir + "/dlq.jsonl";
    StdinSource source(settings);
    SourceContext ctx;
    REQUIRE(source.Open(ctx).ok());
    p.Write("{\"a\":1}\nnope\n{\"a\":2}\n");
    p.CloseWrite();
    std::vector<Record> records;
    std::stop_source stop;
    for (int i = 0; i < 10; ++i) {
      Batch batch;
      auto status = source.Read(batch, stop.get_token());
      REQUIRE(status.ok());
      for (auto& r : batch.records) records.push_back(std::move(r));
      if (*status == ReadStatus::kEnd) break;
    }
    CHECK(records.size() == 2);
    REQUIRE(source.Commit(LanePositions{}).ok());
    source.Close();
    std::FILE* f = std::fopen((dir + "/dlq.jsonl").c_str(), "r");
    REQUIRE(f != nullptr);
    char line[512] = {};
    REQUIRE(std::fgets(line, sizeof line, f) != nullptr);
    std::fclose(f);
    std::string text = line;
    CHECK(text.find("\"stage\":\"decode\"") != std::string::npos);
    CHECK(text.find("\"position\":\"stdin@8\"") != std::string::npos);
    CHECK(text.find("\"raw_base64\":\"bm9wZQ==\"") != std::string::npos);  // "nope"
    std::remove((dir + "/dlq.jsonl").c_str());
    ::rmdir(dir.c_str());
  }

  TEST_CASE("stdout: csv header once, one line per record, batch released") {
    Pipe p;
    StdoutSink sink({"csv", p.fds[1]});
    SinkContext ctx;
    REQUIRE(sink.Open(ctx).ok());
    auto batch = std::make_shared<Batch>();
    for (int i = 1; i <= 2; ++i) {
      Record r;
      r.value = MakeStruct({{"id", Value(i)}, {"s", Value("x")}});
      batch->records.push_back(std::move(r));
    }
    std::weak_ptr<Batch> watch = batch;
    REQUIRE(sink.Write(batch).ok());
    batch.reset();
    CHECK(watch.expired());
    auto second = std::make_shared<Batch>();
    Record r;
    r.value = MakeStruct({{"id", Value(3)}, {"s", Value("y")}});
    second->records.push_back(std::move(r));
    REQUIRE(sink.Write(second).ok());
    CHECK(p.ReadSome() == "id,s\n1,x\n2,x\n3,y\n");
  }

  TEST_CASE("blackhole counts and releases at once") {
    BlackholeSink sink(0);
    SinkContext ctx;
    REQUIRE(sink.Open(ctx).ok());
    auto batch = std::make_shared<Batch>();
    batch->records.resize(5);
    std::weak_ptr<Batch> watch = batch;
    REQUIRE(sink.Write(std::move(batch)).ok());
    CHECK(watch.expired());
    CHECK(sink.records() == 5);
  }
}

}  // namespace
}  // namespace pipeline::stdio
