#include "sql/binder/catalog.h"

#include <algorithm>
#include <cctype>

namespace pipeline::sql {

std::string SourceDef::SchemaString() const {
  std::string s;
  for (const auto& c : columns) {
    if (!s.empty()) s += ", ";
    s += c.name + " " + c.type.ToString();
    if (c.key) s += is_table ? " PRIMARY KEY" : " KEY";
  }
  return s;
}

int EditDistance(const std::string& a, const std::string& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int sub = prev[j - 1] + (std::toupper(static_cast<unsigned char>(a[i - 1])) ==
                                       std::toupper(static_cast<unsigned char>(b[j - 1])) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string Catalog::Closest(const std::string& name) const {
  std::string best;
  int best_d = 3;
  for (const auto& [n, def] : sources_) {
    int d = EditDistance(name, n);
    if (d < best_d) { best_d = d; best = n; }
  }
  return best;
}

}  // namespace pipeline::sql
