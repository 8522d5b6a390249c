#include "testing/known_gaps.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace pipeline::testing {
namespace {

constexpr std::string_view kSeparator = " | ";

constexpr std::string_view kHeader =
    "# Known gaps of pipe's SQL engine against the ksqlDB query-validation vectors (`pipe conformance`).\n"
    "#\n"
    "# One failing case per line: family | file | name | reason. A case listed here does not fail the run\n"
    "# (it counts under known_gaps); a listed case that passes is reported as \"now passing, remove from known\n"
    "# gaps\". Regenerate with `pipe conformance --update-known-gaps` after fixing the engine, and review the\n"
    "# diff: every line that goes away is progress, every line that appears is a regression or a new vector.\n"
    "# The reason is the first line of the failure: the engine's error, or the first output difference.\n";

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// Reasons come from engine messages and data: keep each gap on one line.
std::string OneLine(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (s.size() > 300) s = s.substr(0, 300) + "…";
  return s;
}

}  // namespace

CaseId MakeCaseId(const std::string& family, const std::string& file, const std::string& name) {
  return {Trim(family), Trim(file), Trim(name)};
}

std::map<CaseId, std::string> ParseKnownGaps(const std::string& text) {
  std::map<CaseId, std::string> gaps;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::string trimmed = Trim(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    std::vector<std::string> parts;
    size_t from = 0;
    // The first three '|' split family, file and name (none of which contains one); the reason may contain
    // anything.
    for (int i = 0; i < 3; ++i) {
      size_t at = trimmed.find('|', from);
      if (at == std::string::npos) break;
      parts.push_back(trimmed.substr(from, at - from));
      from = at + 1;
    }
    parts.push_back(trimmed.substr(from));
    if (parts.size() < 3) continue;
    CaseId id{Trim(parts[0]), Trim(parts[1]), Trim(parts[2])};
    gaps[id] = parts.size() > 3 ? Trim(parts[3]) : "";
  }
  return gaps;
}

Result<std::map<CaseId, std::string>> ReadKnownGaps(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::map<CaseId, std::string>{};
  std::stringstream text;
  text << in.rdbuf();
  return ParseKnownGaps(text.str());
}

std::string FormatKnownGaps(std::vector<KnownGap> gaps) {
  std::sort(gaps.begin(), gaps.end(), [](const KnownGap& a, const KnownGap& b) { return a.id < b.id; });
  std::string out(kHeader);
  for (const KnownGap& g : gaps) {
    out += g.id.family;
    out += kSeparator;
    out += g.id.file;
    out += kSeparator;
    out += g.id.name;
    out += kSeparator;
    out += OneLine(g.reason);
    out += '\n';
  }
  return out;
}

Status WriteKnownGaps(const std::string& path, std::vector<KnownGap> gaps) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) return ConfigError("cannot write the known-gaps file " + path);
  out << FormatKnownGaps(std::move(gaps));
  out.close();
  if (!out) return ConfigError("cannot write the known-gaps file " + path);
  return Status::Ok();
}

}  // namespace pipeline::testing
