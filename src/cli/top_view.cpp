#include "cli/top_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace pipeline::cli {

namespace {

// `key="value"` pairs, with Prometheus' escapes (\\, \", \n) undone; false when malformed.
bool ParseLabels(std::string_view text, Labels& labels) {
  size_t i = 0;
  while (i < text.size()) {
    size_t eq = text.find('=', i);
    if (eq == std::string_view::npos || eq + 1 >= text.size() || text[eq + 1] != '"') return false;
    std::string key(text.substr(i, eq - i)), value;
    size_t j = eq + 2;
    for (; j < text.size() && text[j] != '"'; ++j) {
      if (text[j] == '\\' && j + 1 < text.size()) {
        ++j;
        value += text[j] == 'n' ? '\n' : text[j];
      } else {
        value += text[j];
      }
    }
    if (j >= text.size()) return false;
    labels.emplace_back(std::move(key), std::move(value));
    i = j + 1;
    if (i < text.size() && text[i] == ',') ++i;
  }
  return true;
}

int KindOrder(const std::string& kind) { return kind == "source" ? 0 : kind == "transform" ? 1 : 2; }

std::string Count(double v) {
  char text[32];
  if (v >= 1e9) std::snprintf(text, sizeof text, "%.1fG", v / 1e9);
  else if (v >= 1e6) std::snprintf(text, sizeof text, "%.1fM", v / 1e6);
  else if (v >= 1e4) std::snprintf(text, sizeof text, "%.1fk", v / 1e3);
  else std::snprintf(text, sizeof text, "%.0f", v);
  return text;
}

std::string Maybe(const std::optional<double>& v, const char* unit = "") {
  return v ? Count(*v) + unit : "-";
}

std::string Rate(const std::optional<double>& v) {
  if (!v || *v >= 100) return Maybe(v);
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", *v);
  return text;
}

std::string Lag(const ComponentRow& row) {
  std::string out;
  if (row.kafka_lag) out = Count(*row.kafka_lag) + " msgs";
  if (row.cdc_lag) out += (out.empty() ? "" : ", ") + Count(*row.cdc_lag) + " s";
  return out.empty() ? "-" : out;
}

std::string Padded(const std::string& text, size_t width, bool right) {
  if (text.size() >= width) return text;
  std::string pad(width - text.size(), ' ');
  return right ? pad + text : text + pad;
}

}  // namespace

const std::string* MetricSample::Label(std::string_view key) const {
  for (const auto& [k, v] : labels)
    if (k == key) return &v;
  return nullptr;
}

std::vector<MetricSample> ParsePrometheusText(std::string_view text) {
  std::vector<MetricSample> samples;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.rfind(' ');
    if (space == std::string_view::npos) continue;
    MetricSample sample;
    std::string_view series = line.substr(0, space);
    size_t brace = series.find('{');
    sample.name = std::string(series.substr(0, brace));
    if (brace != std::string_view::npos &&
        (series.back() != '}' || !ParseLabels(series.substr(brace + 1, series.size() - brace - 2), sample.labels)))
      continue;
    sample.value = std::strtod(std::string(line.substr(space + 1)).c_str(), nullptr);
    samples.push_back(std::move(sample));
  }
  return samples;
}

std::vector<ComponentRow> ComponentRows(const std::vector<MetricSample>& now, const std::vector<MetricSample>& before,
                                        double seconds) {
  std::map<std::pair<int, std::string>, ComponentRow> rows;
  std::map<std::string, std::pair<int, std::string>> by_name;  // component → its row (sources for lag gauges)
  for (const MetricSample& s : now) {
    const std::string *kind = s.Label("component_kind"), *name = s.Label("component");
    if (!kind || !name) continue;
    auto key = std::make_pair(KindOrder(*kind), *name);
    ComponentRow& row = rows[key];
    row.kind = *kind, row.name = *name;
    if (*kind == "source") by_name[*name] = key;
    if (s.name == "pipe_records_in_total") row.in = s.value;
    else if (s.name == "pipe_records_out_total") row.out = s.value;
    else if (s.name == "pipe_records_failed_total") row.errors = s.value;
    else if (s.name == "pipe_queue_depth_batches" && *kind != "source") row.queue_depth = s.value;
  }
  for (const MetricSample& s : now) {
    const std::string* name = s.Label(s.name == "pipe_checkpoint_age_seconds" ? "component" : "source");
    auto it = name ? by_name.find(*name) : by_name.end();
    if (it == by_name.end()) continue;
    ComponentRow& row = rows[it->second];
    if (s.name == "pipe_checkpoint_age_seconds") row.checkpoint_age = s.value;
    else if (s.name == "pipe_kafka_consumer_lag") row.kafka_lag = row.kafka_lag.value_or(0) + s.value;
    else if (s.name == "pipe_cdc_lag_seconds") row.cdc_lag = std::max(row.cdc_lag.value_or(0), s.value);
  }
  if (seconds > 0 && !before.empty()) {
    for (auto& [key, row] : rows) {
      row.in_rate = row.out_rate = 0.0;
    }
    for (const MetricSample& s : before) {
      const std::string *kind = s.Label("component_kind"), *name = s.Label("component");
      if (!kind || !name) continue;
      auto it = rows.find({KindOrder(*kind), *name});
      if (it == rows.end()) continue;
      ComponentRow& row = it->second;
      // A counter that went down was reset (a reload rebuilt the component): its rate is unknown for now.
      if (s.name == "pipe_records_in_total") row.in_rate = std::max(0.0, (row.in - s.value) / seconds);
      else if (s.name == "pipe_records_out_total") row.out_rate = std::max(0.0, (row.out - s.value) / seconds);
    }
  }
  std::vector<ComponentRow> out;
  for (auto& [key, row] : rows) out.push_back(std::move(row));
  return out;
}

std::vector<std::string> RenderTopTable(const std::vector<ComponentRow>& rows, size_t width) {
  const std::vector<std::string> heads = {"KIND", "COMPONENT", "IN/S", "OUT/S", "IN", "OUT", "ERRORS", "QUEUE",
                                          "CHECKPOINT AGE", "LAG"};
  std::vector<std::vector<std::string>> cells = {heads};
  for (const ComponentRow& r : rows)
    cells.push_back({r.kind, r.name, Rate(r.in_rate), Rate(r.out_rate), Count(r.in), Count(r.out), Count(r.errors),
                     Maybe(r.queue_depth), Maybe(r.checkpoint_age, " s"), Lag(r)});
  std::vector<size_t> widths(heads.size(), 0);
  for (const auto& line : cells)
    for (size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  std::vector<std::string> lines;
  for (const auto& line : cells) {
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) text += (i ? "  " : "") + Padded(line[i], widths[i], i >= 2);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (width > 0 && text.size() > width) text.resize(width);
    lines.push_back(std::move(text));
  }
  return lines;
}

}  // namespace pipeline::cli
