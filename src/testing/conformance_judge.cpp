#include "testing/conformance_judge.h"

#include "testing/record_comparison.h"
#include "testing/sql_scenario.h"

namespace pipeline::testing {
namespace {

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string DescribeStatements(const ConformanceCase& c) {
  std::string out = "statements:\n";
  for (const std::string& s : c.statements) out += "  " + s + "\n";
  if (!c.properties.empty()) {
    out += "properties:\n";
    for (const auto& [k, v] : c.properties) out += "  " + k + "=" + v + "\n";
  }
  return out;
}

std::string DescribeInputs(const ConformanceCase& c) {
  std::string out = "inputs:\n";
  for (const InputRecord& in : c.inputs) out += "  " + in.topic + " " + DescribeActual(in.record) + "\n";
  return out;
}

std::string DescribeErrors(const ScenarioRun& run) {
  if (run.errors.empty()) return {};
  std::string out = "engine errors:\n";
  size_t shown = 0;
  for (const std::string& e : run.errors) {
    if (++shown > 10) {
      out += "  … " + std::to_string(run.errors.size() - 10) + " more\n";
      break;
    }
    out += "  " + FirstLine(e) + "\n";
  }
  return out;
}

}  // namespace

CaseVerdict JudgeConformanceCase(const ConformanceCase& c) {
  Scenario scenario;
  scenario.properties = c.properties;
  scenario.stages.push_back({"ksql", c.statements});
  CaseVerdict verdict;
  if (c.expects_error) {
    scenario.inputs.clear();  // rejection must happen before any record runs
    ScenarioRun run = RunScenario(scenario);
    verdict.passed = !run.setup.ok();
    if (!verdict.passed) {
      verdict.reason =
          "statements accepted, expected " + c.expected_error_type + ": " + FirstLine(c.expected_error_message);
      verdict.detail = DescribeStatements(c);
    }
    return verdict;
  }

  scenario.inputs = c.inputs;
  ScenarioRun run = RunScenario(scenario);
  if (!run.setup.ok()) {
    verdict.reason = "rejected: " + FirstLine(run.setup.message());
    verdict.detail = DescribeStatements(c) + "error: " + run.setup.message() + "\n";
    return verdict;
  }
  // With nothing expected, every output stream must stay empty (else an idle engine would pass).
  std::vector<std::string> checked;
  if (c.outputs.empty())
    for (const sql::OutputTopic& t : run.output_topics) checked.push_back(t.topic);
  OutputComparison comparison = CompareOutputs(c.outputs, run.emitted, checked, c.comparison);
  verdict.passed = comparison.matches;
  if (!verdict.passed) {
    verdict.reason = comparison.first_difference;
    verdict.detail = DescribeStatements(c) + DescribeInputs(c) + comparison.diff + DescribeErrors(run);
    return verdict;
  }
  if (std::string difference = VariantDifference(scenario, run); !difference.empty()) {
    verdict.passed = false;
    verdict.reason = difference;
    verdict.detail = DescribeStatements(c) + DescribeInputs(c);
  }
  return verdict;
}

std::string EncodeVerdict(const CaseVerdict& v) {
  return (v.passed ? "P" : "F") + FirstLine(v.reason) + "\n" + v.detail;
}

CaseVerdict DecodeVerdict(const std::string& text) {
  CaseVerdict v;
  if (text.empty()) {
    v.reason = "no verdict";
    return v;
  }
  v.passed = text[0] == 'P';
  size_t newline = text.find('\n');
  v.reason = text.substr(1, newline == std::string::npos ? std::string::npos : newline - 1);
  if (newline != std::string::npos) v.detail = text.substr(newline + 1);
  return v;
}

}  // namespace pipeline::testing
