#include <doctest/doctest.h>

#include "config/env_substitution.h"
#include "config/suggest.h"

using namespace pipeline::config;

TEST_SUITE("config") {
  TEST_CASE("env substitution with defaults, escapes and located errors") {
    Diagnostics diags;
    auto lookup = [](const std::string& n) -> std::optional<std::string> {
      if (n == "HOST") return std::string("db");
      if (n == "EMPTY") return std::string("");
      return std::nullopt;
    };
    CHECK(SubstituteEnv("a: ${HOST}\nb: ${PORT:-5432}\nc: $${HOST}\nd: ${EMPTY:-x}", "p.yaml", lookup, diags) ==
          "a: db\nb: 5432\nc: ${HOST}\nd: x");
    CHECK(diags.empty());
    SubstituteEnv("x: 1\ny: ${MISSING}", "p.yaml", lookup, diags);
    REQUIRE(diags.errors.size() == 1);
    CHECK(diags.errors[0].rfind("p.yaml:2:4: environment variable MISSING is not set", 0) == 0);
  }
  TEST_CASE("did you mean") {
    CHECK(ClosestMatch("pth", {"path", "mode", "format"}) == "path");
    CHECK(ClosestMatch("zzzzzz", {"path", "mode"}).empty());
    CHECK(DidYouMean("fromat", {"path", "format"}) == " (did you mean 'format'?)");
  }
}
