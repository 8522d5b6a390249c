// The printed result of a conformance run: a table per family, totals, and the machine-readable summary line
// `conformance-summary: passed=N failed=F known_gaps=K`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "testing/known_gaps.h"

namespace pipeline::testing {

struct CaseResult {
  CaseId id;
  bool expects_error = false;
  bool passed = false;
  bool known_gap = false;  // failed, and listed in the known-gaps file
  std::string reason;      // first line of the failure
  std::string detail;      // statements and diff, for --verbose
};

void PrintFamilyTable(const std::vector<CaseResult>& results, std::ostream& out);
void PrintTotals(const std::vector<CaseResult>& results, std::ostream& out);

}  // namespace pipeline::testing
