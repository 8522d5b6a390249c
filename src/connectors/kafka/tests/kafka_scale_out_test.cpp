// What a scaled-out `sql` stage gets from Kafka through plugin/scale_out.h, without a broker.
#include <doctest/doctest.h>

#include "connectors/kafka/consumer_directory.h"
#include "connectors/kafka/kafka_scale_out.h"

using namespace pipeline;

TEST_SUITE("kafka.scale_out") {
  TEST_CASE("scale_out: names the internal topics; no option, no scale-out; a typo is named") {
    auto none = kafka::MakeKafkaScaleOut(YAML::Node(), "counts");
    REQUIRE(none.ok());
    CHECK(*none == nullptr);
    auto made = kafka::MakeKafkaScaleOut(YAML::Load("{bootstrap_servers: 'h:9092'}"), "counts");
    REQUIRE(made.ok());
    REQUIRE(*made != nullptr);
    CHECK((*made)->repartition_topic() == "pipe-counts-repartition");
    CHECK((*made)->changelog_name() == "pipe-counts-changelog");
    auto typo = kafka::MakeKafkaScaleOut(YAML::Load("{bootstrap_servers: h, topic_prefx: p}"), "counts");
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.error().message().find("did you mean 'topic_prefix'") != std::string::npos);
  }

  TEST_CASE("a stream's partition ownership is what its kafka source was assigned") {
    auto scale_out = kafka::MakeKafkaScaleOut(YAML::Load("{bootstrap_servers: h}"), "owned");
    REQUIRE(scale_out.ok());
    std::shared_ptr<PartitionOwnership> owner = (*scale_out)->OwnershipOf("owned.repartitioned");
    CHECK(owner->AssignmentOf("t", 0) == 0);
    const uint64_t changes = owner->assignment_changes();
    kafka::FindConsumerLink("owned.repartitioned")->SetAssignment({{"t", 0}});  // as the source's rebalance does
    CHECK(owner->assignment_changes() != changes);
    const uint64_t first = owner->AssignmentOf("t", 0);
    CHECK(first != 0);
    CHECK(owner->AssignmentOf("t", 1) == 0);
    kafka::FindConsumerLink("owned.repartitioned")->SetAssignment({});
    kafka::FindConsumerLink("owned.repartitioned")->SetAssignment({{"t", 0}});
    CHECK(owner->AssignmentOf("t", 0) != first);  // given up and got back: state kept meanwhile is stale
  }
}
