#include "testing/junit_report.h"

#include <doctest/doctest.h>

namespace pipeline::testing {

TEST_SUITE("testing") {
  TEST_CASE("junit report: one testsuite per file, counts, and a failure with its reason and diff") {
    std::vector<JunitSuite> suites{
        {"a.test.yaml", {{"passes", true, "", "", 0.25}, {"fails", false, "expected 2 records", "- x\n+ y", 0.5}}},
        {"b.test.yaml", {{"loading b.test.yaml", false, "b.test.yaml:1:1: not a map", "", 0}}}};
    std::string xml = RenderJunitXml(suites);
    CHECK(xml.find("<testsuites name=\"pipe test\" tests=\"3\" failures=\"2\" errors=\"0\" time=\"0.750\">") !=
          std::string::npos);
    CHECK(xml.find("<testsuite name=\"a.test.yaml\" tests=\"2\" failures=\"1\"") != std::string::npos);
    CHECK(xml.find("<testcase classname=\"a.test.yaml\" name=\"passes\" time=\"0.250\"/>") != std::string::npos);
    CHECK(xml.find("<failure message=\"expected 2 records\">- x\n+ y</failure>") != std::string::npos);
  }
  TEST_CASE("junit report: markup and control characters in names and diffs stay well-formed") {
    std::vector<JunitSuite> suites{{"<f>.yaml", {{"a & \"b\"", false, "got '<'", std::string("nul\0here", 8), 0}}}};
    std::string xml = RenderJunitXml(suites);
    CHECK(xml.find("name=\"&lt;f&gt;.yaml\"") != std::string::npos);
    CHECK(xml.find("name=\"a &amp; &quot;b&quot;\"") != std::string::npos);
    CHECK(xml.find("message=\"got &apos;&lt;&apos;\"") != std::string::npos);
    CHECK(xml.find("nul\\x00here") != std::string::npos);
  }
}

}  // namespace pipeline::testing
