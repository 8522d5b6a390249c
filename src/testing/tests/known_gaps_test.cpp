#include "testing/known_gaps.h"

#include <doctest/doctest.h>

namespace pipeline::testing {

TEST_SUITE("testing") {
  TEST_CASE("known gaps: comments skipped, reason may contain the separator") {
    auto gaps =
        ParseKnownGaps("# header\n\njoins | a.json | case one | output differs: X | Y\nwindows | w.json | two | \n");
    REQUIRE(gaps.size() == 2);
    CHECK(gaps.at(CaseId{"joins", "a.json", "case one"}) == "output differs: X | Y");
    CHECK(gaps.at(CaseId{"windows", "w.json", "two"}).empty());
  }
  TEST_CASE("known gaps: written sorted, one line each, and read back") {
    std::string text = FormatKnownGaps({{{"b", "f.json", "n2"}, "multi\nline"}, {{"a", "f.json", "n1"}, "r"}});
    CHECK(text.find("a | f.json | n1 | r\nb | f.json | n2 | multi line\n") != std::string::npos);
    CHECK(text.rfind("#", 0) == 0);
    auto back = ParseKnownGaps(text);
    CHECK(back.size() == 2);
    CHECK(back.at(CaseId{"b", "f.json", "n2"}) == "multi line");
  }
}

}  // namespace pipeline::testing
