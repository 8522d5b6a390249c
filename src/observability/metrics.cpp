#include "observability/metrics.h"

#include <sstream>

namespace pipeline {

Counter* MetricsRegistry::Get(const std::string& name, const Labels& labels, const std::string& help, bool gauge) {
  std::lock_guard lock(mu_);
  Family& f = families_[name];
  if (f.help.empty()) f.help = help;
  f.gauge = gauge;
  auto& slot = f.series[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return slot.get();
}

Counter* MetricsRegistry::GetCounter(const std::string& name, const Labels& labels, const std::string& help) {
  return Get(name, labels, help, false);
}

Counter* MetricsRegistry::GetGauge(const std::string& name, const Labels& labels, const std::string& help) {
  return Get(name, labels, help, true);
}

uint64_t MetricsRegistry::AddCollector(std::function<void()> collect) {
  std::lock_guard lock(collectors_mu_);
  collectors_.emplace(++next_collector_, std::move(collect));
  return next_collector_;
}

void MetricsRegistry::RemoveCollector(uint64_t id) {
  std::lock_guard lock(collectors_mu_);
  collectors_.erase(id);
}

std::string MetricsRegistry::RenderPrometheus() const {
  {
    std::lock_guard collecting(collectors_mu_);
    for (const auto& [id, collect] : collectors_) collect();
  }
  std::lock_guard lock(mu_);
  std::ostringstream out;
  for (const auto& [name, f] : families_) {
    if (!f.help.empty()) out << "# HELP " << name << ' ' << f.help << '\n';
    out << "# TYPE " << name << (f.gauge ? " gauge" : " counter") << '\n';
    for (const auto& [labels, counter] : f.series) {
      out << name;
      if (!labels.empty()) {
        out << '{';
        for (size_t i = 0; i < labels.size(); ++i) {
          if (i) out << ',';
          out << labels[i].first << "=\"";
          for (char c : labels[i].second) {
            if (c == '"' || c == '\\') out << '\\';
            out << (c == '\n' ? 'n' : c);
          }
          out << '"';
        }
        out << '}';
      }
      out << ' ' << counter->value() << '\n';
    }
  }
  return out.str();
}

}  // namespace pipeline
