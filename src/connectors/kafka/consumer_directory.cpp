#include "connectors/kafka/consumer_directory.h"

#include <map>

namespace pipeline::kafka {

void ConsumerLink::Publish(rd_kafka_t* consumer) {
  std::lock_guard lock(mu_);
  consumer_ = consumer;
}

void ConsumerLink::Withdraw() {
  std::lock_guard lock(mu_);
  consumer_ = nullptr;
  assigned_.clear();
  ++changes_;
}

void ConsumerLink::SetAssignment(std::set<TopicPartition> partitions) {
  std::lock_guard lock(mu_);
  std::map<TopicPartition, uint64_t> assigned;
  for (const auto& tp : partitions) {
    auto it = assigned_.find(tp);
    assigned[tp] = it != assigned_.end() ? it->second : ++assignments_;
  }
  assigned_ = std::move(assigned);
  ++changes_;
}

uint64_t ConsumerLink::AssignmentOf(const std::string& topic, int32_t partition) const {
  std::lock_guard lock(mu_);
  auto it = assigned_.find({topic, partition});
  return it == assigned_.end() ? 0 : it->second;
}

bool ConsumerLink::offsets_committed_by_sink() const {
  std::lock_guard lock(mu_);
  return committed_by_sink_;
}

void ConsumerLink::CommitOffsetsWithTransactions() {
  std::lock_guard lock(mu_);
  committed_by_sink_ = true;
}

GroupMetadata ConsumerLink::GroupMetadataNow() const {
  std::lock_guard lock(mu_);
  if (!consumer_) return nullptr;
  return GroupMetadata(rd_kafka_consumer_group_metadata(consumer_));
}

CommitOffsets ConsumerLink::OwnedOnly(const CommitOffsets& offsets) const {
  std::lock_guard lock(mu_);
  CommitOffsets out;
  for (const auto& [tp, offset] : offsets)
    if (assigned_.count(tp)) out.emplace(tp, offset);
  return out;
}

std::shared_ptr<ConsumerLink> FindConsumerLink(const std::string& source_name) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<ConsumerLink>> links;
  std::lock_guard lock(mu);
  auto& link = links[source_name];
  if (!link) link = std::make_shared<ConsumerLink>();
  return link;
}

}  // namespace pipeline::kafka
