// FieldDemand: which top-level fields of record values a consumer reads. The runtime folds the demands of every
// consumer of a stream back to its source, so a JSON source decodes only those fields (projection pushdown, as
// DuckDB's scans do): `Filter status >= 400` then `ReplaceField include [userid, page, status]` makes the
// source build Values for three fields and skip the rest. Consumers that cannot say demand everything.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace pipeline {

class FieldDemand {
 public:
  static FieldDemand All() { return FieldDemand(true); }
  static FieldDemand None() { return FieldDemand(false); }
  static FieldDemand Of(const std::vector<std::string>& names) {
    FieldDemand d(false);
    for (const auto& n : names) d.Add(n);
    return d;
  }
  // Names matched case-insensitively, as ksqlDB matches JSON fields to columns.
  static FieldDemand OfIgnoringCase(const std::vector<std::string>& names) {
    FieldDemand d = Of(names);
    d.ignore_case_ = true;
    return d;
  }

  bool all() const { return all_; }
  // The wanted names, sorted; meaningful only when !all().
  const std::vector<std::string>& names() const { return names_; }
  bool Wants(std::string_view name) const {
    if (all_) return true;
    if (ignore_case_) {
      for (const auto& n : names_)
        if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), SameLetter)) return true;
      return false;
    }
    if (names_.size() > 8) return std::binary_search(names_.begin(), names_.end(), name, std::less<>());
    for (const auto& n : names_)  // few names: a scan comparing lengths first beats the search
      if (n.size() == name.size() && n == name) return true;
    return false;
  }
  void Add(std::string_view name) {
    if (all_) return;
    auto at = std::lower_bound(names_.begin(), names_.end(), name, std::less<>());
    if (at == names_.end() || *at != name) names_.insert(at, std::string(name));
  }
  // The union: whatever either side reads.
  void Merge(const FieldDemand& other) {
    if (all_) return;
    if (other.all_) {
      *this = All();
      return;
    }
    ignore_case_ = ignore_case_ || other.ignore_case_;  // matching more loosely only keeps more
    for (const auto& n : other.names_) Add(n);
  }
  std::string ToString() const {
    if (all_) return "*";
    std::string out;
    for (const auto& n : names_) out += (out.empty() ? "" : ",") + n;
    return "[" + out + "]";
  }
  bool operator==(const FieldDemand& o) const = default;

 private:
  explicit FieldDemand(bool all) : all_(all) {}
  // ASCII folding inline: this runs for every field of every record.
  static char Fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }
  static bool SameLetter(char a, char b) { return a == b || Fold(a) == Fold(b); }
  bool all_;
  bool ignore_case_ = false;
  std::vector<std::string> names_;
};

}  // namespace pipeline
