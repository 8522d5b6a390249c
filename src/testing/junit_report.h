// `pipe test --junit FILE`: the results as JUnit XML, the format CI systems (GitLab, Jenkins, GitHub actions that
// publish test reports) read to show each pipeline test on its own. One <testsuite> per test file.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace pipeline::testing {

struct JunitCase {
  std::string name;
  bool passed = false;
  std::string failure;  // the one-line reason; empty when passed
  std::string detail;   // the diff, shown by CI under the failure
  double seconds = 0;
};

struct JunitSuite {
  std::string file;  // the test file, also the cases' classname
  std::vector<JunitCase> cases;  // a file that cannot be read is one failing case named after the loading
};

std::string RenderJunitXml(const std::vector<JunitSuite>& suites);
Status WriteJunitXml(const std::string& path, const std::vector<JunitSuite>& suites);

}  // namespace pipeline::testing
