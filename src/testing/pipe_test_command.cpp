// `pipe test FILE|DIR…`: runs each test of each file (a folder: every *.test.yaml under it) against fresh engines (in a child process, so that an engine
// crash fails one test) and prints PASS/FAIL lines, diffs for failures, and `N passed, N failed`.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>

#include "core/files_under.h"
#include "core/suggest.h"
#include "testing/commands.h"
#include "testing/conformance_judge.h"
#include "testing/isolated_call.h"
#include "testing/junit_report.h"
#include "testing/pipe_test_file.h"
#include "testing/pipeline_scenario.h"
#include "testing/record_comparison.h"
#include "testing/sql_scenario.h"

namespace pipeline::testing {
namespace {

constexpr std::chrono::milliseconds kTestTimeLimit{30000};

std::string Lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Output records are named by the statement's topic; a test may name the stream instead (they differ when the
// statement sets KAFKA_TOPIC). Rename to the spelling the test uses.
void NameOutputsAsTheTestDoes(const PipeTestCase& test, ScenarioRun& run) {
  std::set<std::string> named;
  for (const std::string& s : test.checked_streams) named.insert(Lower(s));
  for (sql::Emitted& e : run.emitted) {
    if (named.count(Lower(e.topic))) continue;
    for (const sql::OutputTopic& t : run.output_topics)
      if (Lower(t.topic) == Lower(e.topic) && named.count(Lower(t.source_name))) e.topic = t.source_name;
  }
}

// A stream under `outputs:` that no statement creates (by name or topic) would trivially stay empty: an error.
std::string UnknownOutputStream(const PipeTestCase& test, const ScenarioRun& run) {
  std::vector<std::string> names;
  for (const sql::OutputTopic& t : run.output_topics) {
    names.push_back(Lower(t.source_name));
    names.push_back(Lower(t.topic));
  }
  for (const std::string& stream : test.checked_streams)
    if (std::find(names.begin(), names.end(), Lower(stream)) == names.end())
      return "outputs: no statement creates the stream '" + stream + "'" + DidYouMean(Lower(stream), names);
  return {};
}

// An `error:` test: the setup (or, for a whole pipeline, the run) must fail with a message containing the text.
CaseVerdict JudgeExpectedError(const std::string& expected, const Status& setup, const std::vector<std::string>& errors) {
  CaseVerdict verdict;
  std::string actual = !setup.ok() ? setup.message() : errors.empty() ? std::string() : errors.front();
  if (actual.empty()) {
    verdict.reason = "statements accepted, expected an error containing \"" + expected + "\"";
  } else if (Lower(actual).find(Lower(expected)) == std::string::npos) {
    verdict.reason = "error \"" + actual + "\" does not contain \"" + expected + "\"";
  } else {
    verdict.passed = true;
  }
  return verdict;
}

// A test of a whole pipeline file: sources' transforms, every stage and sinks' transforms (pipeline_scenario.h).
CaseVerdict JudgePipelineTest(const PipeTestFile& file, const PipeTestCase& test) {
  PipelineScenario scenario{file.pipeline.get(), file.properties, test.inputs, test.checked_streams,
                            file.flush_at_end};
  PipelineRun run = RunPipelineScenario(scenario);
  if (test.expected_error) return JudgeExpectedError(*test.expected_error, run.setup, run.errors);
  CaseVerdict verdict;
  if (!run.setup.ok()) {
    verdict.reason = run.setup.message();
    return verdict;
  }
  OutputComparison comparison = CompareOutputs(test.outputs, run.collected, test.checked_streams, file.comparison);
  verdict.passed = comparison.matches && run.errors.empty();
  verdict.detail = comparison.diff;
  if (!verdict.passed) {
    verdict.reason = !run.errors.empty() ? "the pipeline failed: " + run.errors.front() : comparison.first_difference;
    for (const auto& s : run.unchecked) verdict.detail += "(not checked: records on " + s + ")\n";
    return verdict;
  }
  if (std::string difference = VariantDifference(scenario, run); !difference.empty()) {
    verdict.passed = false;
    verdict.reason = difference;
  }
  return verdict;
}

CaseVerdict JudgeTest(const PipeTestFile& file, const PipeTestCase& test) {
  if (file.pipeline) return JudgePipelineTest(file, test);
  Scenario scenario{file.properties, file.stages, test.expected_error ? std::vector<InputRecord>{} : test.inputs,
                    file.flush_at_end};
  ScenarioRun run = RunScenario(scenario);
  CaseVerdict verdict;
  if (test.expected_error) {
    if (run.setup.ok()) {
      verdict.reason = "statements accepted, expected an error containing \"" + *test.expected_error + "\"";
    } else if (Lower(run.setup.message()).find(Lower(*test.expected_error)) == std::string::npos) {
      verdict.reason = "error \"" + run.setup.message() + "\" does not contain \"" + *test.expected_error + "\"";
    } else {
      verdict.passed = true;
    }
    return verdict;
  }
  if (!run.setup.ok()) {
    verdict.reason = "statements rejected: " + run.setup.message();
    return verdict;
  }
  if (std::string unknown = UnknownOutputStream(test, run); !unknown.empty()) {
    verdict.reason = unknown;
    return verdict;
  }
  std::string variant_difference = VariantDifference(scenario, run);
  NameOutputsAsTheTestDoes(test, run);
  OutputComparison comparison = CompareOutputs(test.outputs, run.emitted, test.checked_streams, file.comparison);
  verdict.passed = comparison.matches && variant_difference.empty();
  verdict.detail = comparison.diff;  // shown for passing tests too under --verbose
  if (comparison.matches && !variant_difference.empty()) {
    verdict.reason = variant_difference;
    return verdict;
  }
  if (!verdict.passed) {
    verdict.reason = comparison.first_difference;
    // Streams the test does not check, so that a misnamed stream is easy to spot.
    std::set<std::string> checked;
    for (const auto& s : test.checked_streams) checked.insert(Lower(s));
    std::set<std::string> unchecked;
    for (const auto& e : run.emitted)
      if (!checked.count(Lower(e.topic))) unchecked.insert(e.topic);
    for (const auto& s : unchecked) verdict.detail += "(not checked: records on stream " + s + ")\n";
    for (const auto& e : run.errors) verdict.detail += "engine error: " + e + "\n";
  }
  return verdict;
}

void PrintIndented(const std::string& text, std::ostream& out) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out << "    " << text.substr(start, end - start) << "\n";
    start = end + 1;
  }
}

}  // namespace

int RunPipeTestCommand(const std::vector<std::string>& paths, bool verbose, const std::string& junit_file,
                       std::ostream& out) {
  int passed = 0, failed = 0;
  std::vector<JunitSuite> suites;
  for (const std::string& path : FilesUnder(paths, IsPipeTestFileName)) {
    JunitSuite& suite = suites.emplace_back(JunitSuite{path, {}});
    auto file = LoadPipeTestFile(path);
    if (!file.ok()) {
      out << "FAIL " << path << "\n    " << file.error().message() << "\n";
      suite.cases.push_back({"loading " + path, false, file.error().message(), {}, 0});
      ++failed;
      continue;
    }
    for (const PipeTestCase& test : file->tests) {
      auto started = std::chrono::steady_clock::now();
      auto outcome = RunIsolated([&] { return EncodeVerdict(JudgeTest(*file, test)); }, kTestTimeLimit);
      CaseVerdict verdict =
          outcome.completed ? DecodeVerdict(outcome.payload) : CaseVerdict{false, outcome.failure, {}};
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      suite.cases.push_back({test.name, verdict.passed, verdict.reason, verdict.detail, seconds});
      if (verdict.passed) {
        ++passed;
        out << "PASS " << path << ": " << test.name << "\n";
        if (verbose) PrintIndented(verdict.detail, out);
        continue;
      }
      ++failed;
      out << "FAIL " << path << ": " << test.name << "\n    " << verdict.reason << "\n";
      PrintIndented(verdict.detail, out);
    }
  }
  out << passed << " passed, " << failed << " failed\n";
  if (!junit_file.empty()) {
    if (Status written = WriteJunitXml(junit_file, suites); !written.ok()) {
      out << "pipe: " << written.message() << "\n";
      return 1;
    }
  }
  return failed > 0 ? 1 : 0;
}

}  // namespace pipeline::testing
