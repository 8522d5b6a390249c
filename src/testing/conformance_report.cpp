#include "testing/conformance_report.h"

#include <fmt/format.h>

#include <map>

namespace pipeline::testing {
namespace {

struct Tally {
  int data_passed = 0, data_total = 0, error_passed = 0, error_total = 0;
  void Add(const CaseResult& r) {
    (r.expects_error ? error_total : data_total)++;
    if (r.passed) (r.expects_error ? error_passed : data_passed)++;
  }
};

std::string Ratio(int passed, int total) {
  if (total == 0) return "-";
  return fmt::format("{}/{}", passed, total);
}

std::string Percent(int passed, int total) {
  return total == 0 ? "0.0" : fmt::format("{:.1f}", 100.0 * passed / total);
}

}  // namespace

void PrintFamilyTable(const std::vector<CaseResult>& results, std::ostream& out) {
  std::map<std::string, Tally> by_family;
  for (const CaseResult& r : results) by_family[r.id.family].Add(r);
  out << fmt::format("{:<30} {:>12} {:>12}\n", "family", "data", "errors");
  for (const auto& [family, t] : by_family)
    out << fmt::format("{:<30} {:>12} {:>12}\n", family, Ratio(t.data_passed, t.data_total),
                       Ratio(t.error_passed, t.error_total));
}

void PrintTotals(const std::vector<CaseResult>& results, std::ostream& out) {
  Tally all;
  int failed = 0, known = 0;
  for (const CaseResult& r : results) {
    all.Add(r);
    if (!r.passed) (r.known_gap ? known : failed)++;
  }
  int passed = all.data_passed + all.error_passed;
  int total = all.data_total + all.error_total;
  out << fmt::format("conformance: {}/{} passed ({}%)\n", passed, total, Percent(passed, total));
  out << fmt::format("conformance data cases: {}/{} passed ({}%)\n", all.data_passed, all.data_total,
                     Percent(all.data_passed, all.data_total));
  out << fmt::format("conformance error cases: {}/{} passed ({}%)\n", all.error_passed, all.error_total,
                     Percent(all.error_passed, all.error_total));
  out << fmt::format("conformance-summary: passed={} failed={} known_gaps={}\n", passed, failed, known);
}

}  // namespace pipeline::testing
