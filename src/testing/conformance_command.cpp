// `pipe conformance`: every ksqlDB query-validation case in the vectors folder, each against a fresh engine in a
// child process, judged against the known-gaps file.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "testing/commands.h"
#include "testing/conformance_case.h"
#include "testing/conformance_judge.h"
#include "testing/conformance_report.h"
#include "testing/isolated_call.h"
#include "testing/known_gaps.h"

namespace pipeline::testing {
namespace {

namespace fs = std::filesystem;

// A crash costs one case; a hang costs this much.
constexpr std::chrono::milliseconds kCaseTimeLimit{10000};

struct LoadedCase {
  CaseId id;
  std::optional<ConformanceCase> parsed;
  std::string parse_error;
  bool expects_error = false;
};

std::string Lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return needle.empty() || Lower(haystack).find(Lower(needle)) != std::string::npos;
}

std::string VectorsDir(const ConformanceOptions& options) {
  if (!options.dir.empty()) return options.dir;
  if (const char* env = std::getenv("CONFORMANCE_DIR"); env && *env) return env;
  return "../shared/conformance/ksql-qtt";
}

std::vector<LoadedCase> LoadCases(const std::string& dir, const ConformanceOptions& options) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".jsonl") files.push_back(entry.path());
  std::sort(files.begin(), files.end());

  std::vector<LoadedCase> cases;
  for (const fs::path& path : files) {
    std::ifstream in(path);
    std::string line;
    int line_number = 0;
    while (std::getline(in, line)) {
      ++line_number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      LoadedCase loaded;
      auto parsed = ParseConformanceCase(line);
      if (parsed.ok()) {
        loaded.id = MakeCaseId(parsed->family, parsed->file, parsed->name);
        loaded.expects_error = parsed->expects_error;
        loaded.parsed = std::move(*parsed);
      } else {
        loaded.id = {path.stem().string(), path.filename().string(), "line " + std::to_string(line_number)};
        loaded.parse_error = "cannot read the case: " + parsed.error().message();
      }
      // The family filter also matches the vectors' file name (`like-regex` for family `LIKE/regex`).
      bool family_matches =
          Contains(loaded.id.family, options.family) || Contains(path.stem().string(), options.family);
      if (!family_matches || !Contains(loaded.id.name, options.case_filter)) continue;
      cases.push_back(std::move(loaded));
    }
  }
  return cases;
}

CaseResult RunCase(const LoadedCase& loaded) {
  CaseResult result{loaded.id, loaded.expects_error, false, false, loaded.parse_error, {}};
  if (!loaded.parsed) return result;
  const ConformanceCase& c = *loaded.parsed;
  auto outcome = RunIsolated([&c] { return EncodeVerdict(JudgeConformanceCase(c)); }, kCaseTimeLimit);
  if (!outcome.completed) {
    result.reason = outcome.failure;
    return result;
  }
  CaseVerdict verdict = DecodeVerdict(outcome.payload);
  result.passed = verdict.passed;
  result.reason = std::move(verdict.reason);
  result.detail = std::move(verdict.detail);
  return result;
}

std::string Describe(const CaseId& id) { return id.family + " | " + id.file + " | " + id.name; }

}  // namespace

int RunConformanceCommand(const ConformanceOptions& options, std::ostream& out) {
  const std::string dir = VectorsDir(options);
  if (!fs::is_directory(dir)) {
    out << "conformance: skipped (no vectors at " << dir << ")\n";
    return 0;
  }
  const std::string gaps_file =
      options.known_gaps_file.empty() ? "tests/conformance/known_gaps.txt" : options.known_gaps_file;
  auto known = ReadKnownGaps(gaps_file);
  if (!known.ok()) {
    out << "conformance: " << known.error().message() << "\n";
    return 2;
  }

  auto started = std::chrono::steady_clock::now();
  std::vector<LoadedCase> cases = LoadCases(dir, options);
  std::vector<CaseResult> results;
  results.reserve(cases.size());
  std::vector<CaseId> now_passing;
  for (const LoadedCase& loaded : cases) {
    CaseResult result = RunCase(loaded);
    bool listed = known->count(result.id) > 0;
    if (result.passed && listed) now_passing.push_back(result.id);
    result.known_gap = !result.passed && listed;
    results.push_back(std::move(result));
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  for (const CaseResult& r : results) {
    if (r.passed || (r.known_gap && !options.verbose)) continue;
    out << (r.known_gap ? "KNOWN GAP " : "FAIL ") << Describe(r.id) << "\n    " << r.reason << "\n";
    if (options.verbose && !r.detail.empty()) {
      std::string indented = "    ";
      for (char ch : r.detail) indented += ch == '\n' ? std::string("\n    ") : std::string(1, ch);
      out << indented.substr(0, indented.size() - 4) << "\n";
    }
  }
  for (const CaseId& id : now_passing) out << "now passing, remove from known gaps: " << Describe(id) << "\n";

  if (options.update_known_gaps) {
    // Keep the lines of cases this run did not look at (filtered out), replace the rest.
    std::set<CaseId> ran;
    for (const CaseResult& r : results) ran.insert(r.id);
    std::vector<KnownGap> gaps;
    for (const auto& [id, reason] : *known)
      if (!ran.count(id)) gaps.push_back({id, reason});
    for (CaseResult& r : results) {
      if (r.passed) continue;
      gaps.push_back({r.id, r.reason});
      r.known_gap = true;
    }
    Status written = WriteKnownGaps(gaps_file, gaps);
    if (!written.ok()) {
      out << "conformance: " << written.message() << "\n";
      return 2;
    }
    out << "known gaps: wrote " << gaps.size() << " cases to " << gaps_file << "\n";
  }

  PrintFamilyTable(results, out);
  out << "ran " << results.size() << " cases from " << dir << " in " << std::to_string(seconds).substr(0, 5) << " s\n";
  PrintTotals(results, out);
  bool any_new_failure =
      std::any_of(results.begin(), results.end(), [](const CaseResult& r) { return !r.passed && !r.known_gap; });
  return any_new_failure ? 1 : 0;
}

}  // namespace pipeline::testing
