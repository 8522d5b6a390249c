// The known-gaps file: conformance cases that fail today for known reasons, one per line as
// `family | file | name | reason`. A listed case that fails does not fail the run; a listed case that passes
// is reported so that the line can go.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "core/result.h"

namespace pipeline::testing {

struct CaseId {
  std::string family, file, name;
  bool operator<(const CaseId& o) const { return std::tie(family, file, name) < std::tie(o.family, o.file, o.name); }
  bool operator==(const CaseId& o) const = default;
};

// Trims the parts: the file format cannot keep leading or trailing blanks (one vector's name ends in a space).
CaseId MakeCaseId(const std::string& family, const std::string& file, const std::string& name);

struct KnownGap {
  CaseId id;
  std::string reason;
};

// Reads the file; a missing file is an empty list. Blank lines and lines starting with '#' are skipped.
Result<std::map<CaseId, std::string>> ReadKnownGaps(const std::string& path);
std::map<CaseId, std::string> ParseKnownGaps(const std::string& text);
// Writes the header comment and one line per gap, sorted by family, file and name.
Status WriteKnownGaps(const std::string& path, std::vector<KnownGap> gaps);
std::string FormatKnownGaps(std::vector<KnownGap> gaps);

}  // namespace pipeline::testing
