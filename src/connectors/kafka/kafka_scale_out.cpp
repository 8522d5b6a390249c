#include "connectors/kafka/kafka_scale_out.h"

#include "connectors/kafka/changelog_store.h"
#include "connectors/kafka/consumer_directory.h"

namespace pipeline::kafka {

std::shared_ptr<PartitionOwnership> KafkaScaleOut::OwnershipOf(const std::string& stream) {
  return FindConsumerLink(stream);  // the link the kafka source named `stream` keeps its assignment in
}

Result<std::unique_ptr<SnapshotStore>> KafkaScaleOut::OpenChangelog() {
  auto store = ChangelogStore::Open({stage_, config_.bootstrap_servers, config_.changelog_topic(), config_.properties});
  if (!store.ok()) return store.error();
  return std::unique_ptr<SnapshotStore>(std::move(*store));
}

Result<std::unique_ptr<ScaleOut>> MakeKafkaScaleOut(const YAML::Node& scale_out, const std::string& stage) {
  auto parsed = ParseScaleOut(scale_out, stage);
  if (!parsed.ok()) return parsed.error();
  if (!*parsed) return std::unique_ptr<ScaleOut>();
  return std::unique_ptr<ScaleOut>(std::make_unique<KafkaScaleOut>(stage, std::move(**parsed)));
}

}  // namespace pipeline::kafka
