// What `pipe top` shows: one row per component of a running pipeline, from two readings of its /metrics page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "observability/metrics.h"

namespace pipeline::cli {

// One series of a Prometheus text page: `name{label="value",…} 42`.
struct MetricSample {
  std::string name;
  Labels labels;
  double value = 0;
  const std::string* Label(std::string_view key) const;
};

// The samples of a Prometheus text page (comments and lines it cannot read are skipped).
std::vector<MetricSample> ParsePrometheusText(std::string_view text);

struct ComponentRow {
  std::string kind;  // source | transform | sink
  std::string name;
  double in = 0, out = 0, errors = 0;
  std::optional<double> in_rate, out_rate;  // per second; unknown until a second reading
  std::optional<double> queue_depth;        // batches waiting in its input queue (transforms and sinks)
  std::optional<double> checkpoint_age;     // seconds (sources)
  std::optional<double> kafka_lag;          // messages, over all partitions (kafka sources)
  std::optional<double> cdc_lag;            // seconds (CDC sources)
};

// Rows in pipeline order (sources, transforms, sinks; by name within each). `before`, read `seconds` earlier,
// gives the rates; empty gives none.
std::vector<ComponentRow> ComponentRows(const std::vector<MetricSample>& now, const std::vector<MetricSample>& before,
                                        double seconds);

// The table, one string per line, each at most `width` columns (0 = no limit).
std::vector<std::string> RenderTopTable(const std::vector<ComponentRow>& rows, size_t width);

}  // namespace pipeline::cli
