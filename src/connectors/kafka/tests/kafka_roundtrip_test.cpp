// Source and sink against librdkafka's mock cluster, in-process (tests may include rdkafka_mock.h; product
// code never does).
#include <doctest/doctest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <thread>

#include "connectors/kafka/changelog_store.h"
#include "connectors/kafka/kafka_sink.h"
#include "connectors/kafka/kafka_source.h"
#include "runtime/position_ledger.h"
#include "connectors/kafka/transactional_sink.h"

using namespace pipeline;
using namespace pipeline::kafka;

namespace {

struct MockCluster {
  KafkaClient host;
  rd_kafka_mock_cluster_t* cluster = nullptr;
  std::string bootstrap;

  explicit MockCluster(std::vector<std::pair<std::string, int>> topics) {
    char errstr[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
    host.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr)));
    cluster = rd_kafka_mock_cluster_new(host.get(), 1);
    for (auto& [name, partitions] : topics) rd_kafka_mock_topic_create(cluster, name.c_str(), partitions, 1);
    bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
  }
  ~MockCluster() { rd_kafka_mock_cluster_destroy(cluster); }
};

void ProduceRaw(const std::string& bootstrap, const std::string& topic, int count) {
  char errstr[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), errstr, sizeof(errstr));
  KafkaClient p(rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr)));
  for (int i = 0; i < count; ++i) {
    std::string key = "k" + std::to_string(i);
    std::string value = "{\"n\":" + std::to_string(i) + "}";
    rd_kafka_producev(p.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
                      RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                      RD_KAFKA_V_HEADER("h", "v", 1), RD_KAFKA_V_TIMESTAMP(1000 + i), RD_KAFKA_V_END);
  }
  REQUIRE(rd_kafka_flush(p.get(), 10000) == RD_KAFKA_RESP_ERR_NO_ERROR);
}

KafkaSourceSettings SourceSettings(const std::string& bootstrap, const std::string& topic) {
  KafkaSourceSettings s;
  s.name = "in";
  s.bootstrap_servers = bootstrap;
  s.topics = {topic};
  s.group_id = "g-" + topic;
  s.stop_at_end = true;
  s.properties = {{"session.timeout.ms", "6000"}};
  return s;
}

// Reads until the source ends; every batch is acknowledged at once.
std::vector<Record> ReadAll(KafkaSource& source, int* batches) {
  std::vector<Record> records;
  std::stop_source stop;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  *batches = 0;
  PositionLedger ledger;  // as the runtime keeps it
  uint64_t issued = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    Batch batch;
    auto status = source.Read(batch, stop.get_token());
    REQUIRE(status.ok());
    if (!batch.empty() || !batch.progress.empty()) {
      ledger.Seal(++issued, std::move(batch.progress));
      ledger.Acknowledge(issued);
      REQUIRE(source.Commit(ledger.acknowledged()).ok());
    }
    if (!batch.empty()) {
      ++*batches;
      for (auto& r : batch.records) records.push_back(std::move(r));
    }
    if (*status == ReadStatus::kEnd) break;
  }
  return records;
}

}  // namespace

TEST_SUITE("connectors.kafka") {
  TEST_CASE("source reads keys, values, headers, timestamps and ends at the end; sink writes them back") {
    MockCluster mock({{"in", 3}, {"out", 3}});
    ProduceRaw(mock.bootstrap, "in", 500);

    KafkaSource source(SourceSettings(mock.bootstrap, "in"));
    SourceContext ctx;
    ctx.name = "in";
    ctx.wait_all_acked = [](std::chrono::milliseconds) { return true; };
    REQUIRE(source.Open(ctx).ok());
    int batches = 0;
    std::vector<Record> records = ReadAll(source, &batches);
    REQUIRE(records.size() == 500);
    std::set<int64_t> seen;
    for (const Record& r : records) {
      seen.insert(r.value.Field("n")->as_int());
      CHECK(r.key.as_string() == "k" + std::to_string(r.value.Field("n")->as_int()));
      CHECK(r.timestamp == 1000 + r.value.Field("n")->as_int());
      REQUIRE(r.headers.size() == 1);
      CHECK(r.headers[0].key == "h");
      CHECK(r.topic == "in");
      CHECK(r.partition >= 0);
      CHECK(r.offset >= 0);
    }
    CHECK(seen.size() == 500);
    source.Close();

    KafkaSinkSettings sink_settings;
    sink_settings.name = "out";
    sink_settings.bootstrap_servers = mock.bootstrap;
    sink_settings.topic = "out";
    KafkaSink sink(sink_settings);
    SinkContext sink_ctx;
    REQUIRE(sink.Open(sink_ctx).ok());
    auto batch = std::make_shared<Batch>();
    batch->records = records;
    std::weak_ptr<Batch> watch = batch;
    REQUIRE(sink.Write(std::move(batch)).ok());
    REQUIRE(sink.Flush().ok());
    CHECK(watch.expired());  // acknowledged after delivery
    sink.Close();

    // A second group reads the output back.
    KafkaSource check(SourceSettings(mock.bootstrap, "out"));
    SourceContext check_ctx;
    REQUIRE(check.Open(check_ctx).ok());
    std::vector<Record> out = ReadAll(check, &batches);
    CHECK(out.size() == 500);
    check.Close();
  }

  TEST_CASE("a restarted group member resumes after the committed offsets") {
    MockCluster mock({{"resume", 2}});
    ProduceRaw(mock.bootstrap, "resume", 100);
    SourceContext ctx;
    ctx.wait_all_acked = [](std::chrono::milliseconds) { return true; };
    {
      KafkaSource source(SourceSettings(mock.bootstrap, "resume"));
      REQUIRE(source.Open(ctx).ok());
      int batches = 0;
      CHECK(ReadAll(source, &batches).size() == 100);
      source.Close();
    }
    ProduceRaw(mock.bootstrap, "resume", 10);
    KafkaSource again(SourceSettings(mock.bootstrap, "resume"));
    REQUIRE(again.Open(ctx).ok());
    int batches = 0;
    CHECK(ReadAll(again, &batches).size() == 10);
    again.Close();
  }

  TEST_CASE("the Admin API path fails clearly within its timeout on a cluster without it") {
    MockCluster mock({});
    KafkaSinkSettings s;
    s.name = "out";
    s.bootstrap_servers = mock.bootstrap;
    s.topic = "created";
    s.create_topic = TopicCreation{.partitions = 2, .replication_factor = 1, .timeout_ms = 1000};
    KafkaSink sink(s);
    SinkContext ctx;
    Status st = sink.Open(ctx);
    REQUIRE_FALSE(st.ok());
    CHECK(st.message().find("create_topic created") != std::string::npos);
    CHECK(st.message().find("create the topic beforehand") != std::string::npos);
  }

  TEST_CASE("exactly_once: records commit in transactions with the source's offsets and are acknowledged after") {
    MockCluster mock({{"txin", 2}, {"txout", 2}});
    ProduceRaw(mock.bootstrap, "txin", 300);
    KafkaSinkSettings s;
    s.name = "out";
    s.bootstrap_servers = mock.bootstrap;
    s.topic = "txout";
    s.exactly_once = true;
    s.transaction_source = "txsource";
    s.transactional_id = "pipe-test-tx";
    TransactionalKafkaSink sink(s);  // built first, as the runtime does: the source must not commit by itself
    KafkaSourceSettings source_settings = SourceSettings(mock.bootstrap, "txin");
    source_settings.name = "txsource";
    KafkaSource source(source_settings);
    SourceContext ctx;
    ctx.name = "txsource";
    ctx.wait_all_acked = [](std::chrono::milliseconds) { return true; };
    REQUIRE(source.Open(ctx).ok());
    SinkContext sink_ctx;
    Status opened = sink.Open(sink_ctx);
    INFO(opened.message());
    REQUIRE(opened.ok());
    int batches = 0;
    std::vector<Record> records = ReadAll(source, &batches);
    REQUIRE(records.size() == 300);
    auto first = std::make_shared<Batch>();
    auto second = std::make_shared<Batch>();
    first->records.assign(records.begin(), records.begin() + 100);
    second->records.assign(records.begin() + 100, records.end());
    std::weak_ptr<Batch> watch_first = first, watch_second = second;
    REQUIRE(sink.Write(std::move(first)).ok());
    REQUIRE(sink.Write(std::move(second)).ok());
    CHECK_FALSE(watch_first.expired());  // held until the transaction commits
    REQUIRE(sink.Flush().ok());
    CHECK(watch_first.expired());
    CHECK(watch_second.expired());
    sink.Close();
    source.Close();

    KafkaSource check(SourceSettings(mock.bootstrap, "txout"));
    SourceContext check_ctx;
    REQUIRE(check.Open(check_ctx).ok());
    CHECK(ReadAll(check, &batches).size() == 300);
    check.Close();
  }

  TEST_CASE("assignment: all reads every partition without joining and resumes from its commits") {
    MockCluster mock({{"all", 4}});
    ProduceRaw(mock.bootstrap, "all", 200);
    SourceContext ctx;
    ctx.wait_all_acked = [](std::chrono::milliseconds) { return true; };
    KafkaSourceSettings settings = SourceSettings(mock.bootstrap, "all");
    settings.group_assignment = false;
    {
      KafkaSource source(settings);
      REQUIRE(source.Open(ctx).ok());
      int batches = 0;
      CHECK(ReadAll(source, &batches).size() == 200);
      source.Close();
    }
    ProduceRaw(mock.bootstrap, "all", 5);
    KafkaSource again(settings);
    REQUIRE(again.Open(ctx).ok());
    int batches = 0;
    CHECK(ReadAll(again, &batches).size() == 5);
    again.Close();
  }

  TEST_CASE("changelog: the newest complete snapshot of a task comes back, chunked or not, among other tasks'") {
    MockCluster mock({{"changelog", 2}});
    auto store = ChangelogStore::Open({"q", mock.bootstrap, "changelog", {}});
    REQUIRE(store.ok());
    TaskId group0{"group", 0}, front0{"front", 0}, group1{"group", 1};
    auto empty = (*store)->Load(group0);
    REQUIRE(empty.ok());
    CHECK_FALSE(empty->has_value());
    std::string big(1300 * 1024, 'x');  // three chunks
    big[0] = 'B';
    REQUIRE((*store)->Write({{group0, "old"}, {group1, "one"}}).ok());
    REQUIRE((*store)->Write({{group0, big}}).ok());
    // Enough writes of the other kind after it that the first window at the partition's end misses it.
    for (int i = 0; i < 100; ++i) REQUIRE((*store)->Write({{front0, "front " + std::to_string(i)}}).ok());
    auto g0 = (*store)->Load(group0);
    REQUIRE(g0.ok());
    REQUIRE(g0->has_value());
    CHECK(**g0 == big);
    auto f0 = (*store)->Load(front0);
    REQUIRE(f0.ok());
    CHECK(f0->value_or("") == "front 99");
    auto g1 = (*store)->Load(group1);
    REQUIRE(g1.ok());
    CHECK(g1->value_or("") == "one");
    auto other_stage = ChangelogStore::Open({"other", mock.bootstrap, "changelog", {}});
    REQUIRE(other_stage.ok());
    auto none = (*other_stage)->Load(group0);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
  }
}
