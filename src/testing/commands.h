// Entry points of `pipe conformance` and `pipe test`, called by src/main.cpp. Both print to `out` and return the
// process exit code (0 = everything passed).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace pipeline::testing {

struct ConformanceOptions {
  std::string dir;              // folder of *.jsonl vectors; empty = $CONFORMANCE_DIR or ../shared/conformance/ksql-qtt
  std::string known_gaps_file;  // empty = tests/conformance/known_gaps.txt
  std::string family;           // substring filter on the family, case-insensitive
  std::string case_filter;      // substring filter on the case name, case-insensitive
  bool verbose = false;         // per failing case: statements and an expected-vs-actual diff
  bool update_known_gaps = false;
};

int RunConformanceCommand(const ConformanceOptions& options, std::ostream& out);
// junit_file: also write the results there as JUnit XML (empty: don't).
int RunPipeTestCommand(const std::vector<std::string>& files, bool verbose, const std::string& junit_file,
                       std::ostream& out);

}  // namespace pipeline::testing
