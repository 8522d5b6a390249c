// A `sql` stage's scale-out through Kafka (plugin/scale_out.h): partitions are owned through the consumer groups
// of the kafka sources reading the repartition topic and the stage's inputs (consumer_directory.h), and each
// partition's state goes to the same partition of the changelog topic (changelog_store.h), as in Kafka Streams.
#pragma once

#include <memory>
#include <string>

#include "connectors/kafka/scale_out_config.h"
#include "plugin/scale_out.h"

namespace pipeline::kafka {

class KafkaScaleOut final : public ScaleOut {
 public:
  KafkaScaleOut(std::string stage, ScaleOutConfig config) : stage_(std::move(stage)), config_(std::move(config)) {}

  std::string repartition_topic() const override { return config_.repartition_topic(); }
  std::string changelog_name() const override { return config_.changelog_topic(); }
  std::shared_ptr<PartitionOwnership> OwnershipOf(const std::string& stream) override;
  Result<std::unique_ptr<SnapshotStore>> OpenChangelog() override;

 private:
  std::string stage_;
  ScaleOutConfig config_;
};

// The ScaleOutFactory the `sql` stage is registered with (src/builtin.cpp).
Result<std::unique_ptr<ScaleOut>> MakeKafkaScaleOut(const YAML::Node& scale_out, const std::string& stage);

}  // namespace pipeline::kafka
