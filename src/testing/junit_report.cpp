#include "testing/junit_report.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

namespace pipeline::testing {
namespace {

// XML 1.0 allows neither raw markup characters in text nor most control characters at all: a record with a NUL
// or an ESC in a diff must still give a file the CI system can parse.
std::string EscapeXml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

void RenderCase(const std::string& classname, const JunitCase& c, std::string& out) {
  out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\"", EscapeXml(classname),
                     EscapeXml(c.name), c.seconds);
  if (c.passed) {
    out += "/>\n";
    return;
  }
  out += fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n", EscapeXml(c.failure),
                     EscapeXml(c.detail));
}

}  // namespace

std::string RenderJunitXml(const std::vector<JunitSuite>& suites) {
  size_t tests = 0, failures = 0;
  double seconds = 0;
  for (const JunitSuite& suite : suites) {
    for (const JunitCase& c : suite.cases) {
      ++tests;
      failures += c.passed ? 0 : 1;
      seconds += c.seconds;
    }
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"pipe test\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3f}\">\n",
                     tests, failures, seconds);
  for (const JunitSuite& suite : suites) {
    size_t suite_failures = 0;
    double suite_seconds = 0;
    for (const JunitCase& c : suite.cases) {
      suite_failures += c.passed ? 0 : 1;
      suite_seconds += c.seconds;
    }
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3f}\">\n",
                       EscapeXml(suite.file), suite.cases.size(), suite_failures, suite_seconds);
    for (const JunitCase& c : suite.cases) RenderCase(suite.file, c, out);
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

Status WriteJunitXml(const std::string& path, const std::vector<JunitSuite>& suites) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return FatalError("cannot write the JUnit report " + path + ": " + std::strerror(errno));
  file << RenderJunitXml(suites);
  file.flush();
  if (!file) return FatalError("cannot write the JUnit report " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace pipeline::testing
