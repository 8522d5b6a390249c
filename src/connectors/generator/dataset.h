// Dataset: what one generated record looks like. The generator source owns the clock, the rate and the
// batching; a dataset only fills records. Each dataset builds its FieldNames once and shares them between all
// its records (see core/value.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <yaml-cpp/yaml.h>

#include "connectors/generator/random.h"
#include "core/record.h"
#include "core/result.h"

namespace pipeline::generator {

class Dataset {
 public:
  virtual ~Dataset() = default;
  // Fills out.value (and out.topic when the dataset names its event kinds) for record number `n` (0-based),
  // whose event time is `event_ms`.
  virtual void Generate(uint64_t n, int64_t event_ms, Random& rng, Record& out) = 0;
  // Simulated time between two records when no rate is set (rate 0 = as fast as possible).
  virtual int64_t DefaultStepMicros() const { return 1000; }
  // The field copied into Record::key unless the `key` option names another one ("" = no key).
  virtual std::string DefaultKeyField() const { return ""; }
};

// ksql-datagen's quickstart datasets: clickstream, users, pageviews, ratings, orders.
std::unique_ptr<Dataset> MakeKsqlDataset(const std::string& name);
bool IsKsqlDataset(const std::string& name);

// Nexmark (Person/Auction/Bid). combined = Flink's one-table layout; otherwise one flat struct per event with
// Record::topic = person | auction | bid.
// `step_micros` is the simulated time between events (auction lengths depend on it).
std::unique_ptr<Dataset> MakeNexmarkDataset(uint64_t seed, bool combined, int64_t step_micros);

// Fields declared in YAML (`fields:` option). Errors are ConfigErrors without a location prefix.
Result<std::unique_ptr<Dataset>> MakeDeclaredDataset(const YAML::Node& fields);

}  // namespace pipeline::generator
