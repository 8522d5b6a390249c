// GeneratorSource: emits a Dataset's records at a given rate (or as fast as possible), with event times from a
// simulated clock: record n has timestamp start_time + n * step, step = 1/rate (or the dataset's default when
// rate is 0). Records depend only on (seed, start_time, n), so the same settings give the same records.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "connectors/generator/dataset.h"
#include "connectors/generator/random.h"
#include "plugin/source.h"

namespace pipeline::generator {

struct GeneratorSettings {
  double rate = 0;          // records per second; 0 = unthrottled
  int64_t count = 0;        // 0 = unbounded
  uint64_t seed = 1;
  int64_t start_time_ms = 0;
  int64_t step_micros = 0;  // simulated time between records; 0 = derived from rate / dataset
  std::string key_field;    // copied into Record::key; empty = none
  // Small enough that what is in flight between stages sharing a core stays in cache (see generator_spec.cpp).
  size_t batch_size = 256;
};

class GeneratorSource : public Source {
 public:
  GeneratorSource(GeneratorSettings settings, std::unique_ptr<Dataset> dataset);

  Status Open(SourceContext& ctx) override;
  Result<ReadStatus> Read(Batch& out, std::stop_token stop) override;
  Status Commit(const LanePositions&) override { return {}; }  // nothing to resume: a generator starts over
  void Close() override {}

  uint64_t generated() const { return generated_; }

 private:
  // How many records are due now under the rate limit (capped by batch size and count).
  size_t DueNow() const;
  void SetKey(Record& record);

  GeneratorSettings settings_;
  std::unique_ptr<Dataset> dataset_;
  Random rng_;
  std::string topic_;
  LaneId lane_ = kNoLane;  // "generator <stream>": a record's position is its sequence number
  uint64_t generated_ = 0;
  std::chrono::steady_clock::time_point started_;
  // Key field slot, resolved once per shape.
  const FieldNames* key_shape_ = nullptr;
  int key_index_ = -1;
};

}  // namespace pipeline::generator
