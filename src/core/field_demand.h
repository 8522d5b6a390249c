// FieldDemand: which top-level fields of record values a consumer reads. The runtime folds the demands of every
// consumer of a stream back to its source, so a JSON source decodes only those fields (projection pushdown, as
// DuckDB's scans do): `Filter status >= 400` then `ReplaceField include [userid, page, status]` makes the
// source build Values for three fields and skip the rest. Consumers that cannot say demand everything.
//
// A sink that writes the value in the format it arrived in needs no field at all when the record still carries
// its raw bytes (see RawValue in core/record.h): it demands AllOrRaw(format). A source reading that format then
// keeps the bytes and decodes only the named fields; any other source decodes everything.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace pipeline {

// Equality of field names with a byte loop: they are a few bytes long and compared for every field of every
// record, where a call to memcmp costs more than the comparison.
inline bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

class FieldDemand {
 public:
  static FieldDemand All() { return FieldDemand(true); }
  static FieldDemand None() { return FieldDemand(false); }
  static FieldDemand Of(const std::vector<std::string>& names) {
    FieldDemand d(false);
    for (const auto& n : names) d.Add(n);
    return d;
  }
  // Every field, unless the record carries the bytes it was decoded from in `format` (and is unchanged).
  static FieldDemand AllOrRaw(std::string format) {
    FieldDemand d(false);
    d.raw_format_ = std::move(format);
    return d;
  }
  // Names matched case-insensitively, as ksqlDB matches JSON fields to columns.
  static FieldDemand OfIgnoringCase(const std::vector<std::string>& names) {
    FieldDemand d = Of(names);
    d.ignore_case_ = true;
    return d;
  }

  bool all() const { return all_; }
  bool ignores_case() const { return ignore_case_; }
  const std::string& raw_format() const { return raw_format_; }
  // True when raw bytes in `format` stand in for the fields not named (a source of that format keeps them).
  bool AcceptsRaw(std::string_view format) const { return !all_ && !raw_format_.empty() && raw_format_ == format; }
  // What a source decoding `format` must decode: the named fields if it keeps raw bytes, else everything.
  FieldDemand ForSource(std::string_view format) const {
    if (all_ || raw_format_.empty()) return *this;
    if (raw_format_ != format) return All();
    FieldDemand d = *this;
    d.raw_format_.clear();
    return d;
  }
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
      if (SameName(n, name)) return true;
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
    if (!other.raw_format_.empty()) {
      if (!raw_format_.empty() && raw_format_ != other.raw_format_) {
        *this = All();  // raw bytes can be in one format only
        return;
      }
      raw_format_ = other.raw_format_;
    }
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
  std::string raw_format_;  // AllOrRaw: the format whose raw bytes stand in for unnamed fields
  std::vector<std::string> names_;
};

}  // namespace pipeline
