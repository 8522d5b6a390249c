#include "transforms/predicates/condition.h"

#include <doctest/doctest.h>

namespace pipeline {
namespace {

Record Access(int64_t status, std::string level, std::string message) {
  Record r;
  r.value = MakeStruct({{"status", status},
                        {"level", std::move(level)},
                        {"message", std::move(message)},
                        {"http", MakeStruct({{"method", "GET"}, {"bytes", 512.5}})},
                        {"tags", Array{Value("a"), Value("b")}},
                        {"code", "404"},
                        {"ok", false},
                        {"gone", nullptr}});
  r.topic = "access-log";
  r.timestamp = 1000;
  r.headers.push_back({"x-env", "prod"});
  return r;
}

bool Eval(const std::string& text, const Record& r) {
  auto c = Condition::Parse(text);
  REQUIRE_MESSAGE(c.ok(), c.error().message());
  return c->Matches(r);
}

}  // namespace

TEST_SUITE("transforms.condition") {
  TEST_CASE("comparisons on numbers, strings and nested fields") {
    Record r = Access(404, "error", "Invalid token");
    CHECK(Eval("status >= 400", r));
    CHECK_FALSE(Eval("status < 400", r));
    CHECK(Eval("status == 404", r));
    CHECK(Eval("status != 200", r));
    CHECK(Eval("status > 403.5", r));
    CHECK(Eval("level == \"error\"", r));
    CHECK(Eval("level == 'error'", r));
    CHECK_FALSE(Eval("level == \"Error\"", r));
    CHECK(Eval("level < \"warn\"", r));
    CHECK(Eval("http.method == \"GET\"", r));
    CHECK(Eval("http.bytes >= 512", r));
    CHECK(Eval("ok == false", r));
    CHECK(Eval("not ok", r));
  }

  TEST_CASE("contains, matches and boolean connectives") {
    Record r = Access(500, "error", "Invalid token for user");
    CHECK(Eval("message contains \"Invalid\"", r));
    CHECK_FALSE(Eval("message contains \"invalid\"", r));
    CHECK(Eval("tags contains \"b\"", r));
    CHECK_FALSE(Eval("tags contains \"c\"", r));
    CHECK(Eval("message matches \"^Inv.*user$\"", r));
    CHECK(Eval("message MATCHES \"token\"", r));
    CHECK(Eval("status >= 500 and level == \"error\"", r));
    CHECK(Eval("status < 500 or level == \"error\"", r));
    CHECK_FALSE(Eval("not (status >= 500)", r));
    CHECK(Eval("(status < 400 || status >= 500) && !(level == \"info\")", r));
    CHECK(Eval("status >= 400 and status < 600 and not message contains \"xyz\"", r));
  }

  TEST_CASE("and binds tighter than or") {
    Record r = Access(200, "info", "");
    CHECK(Eval("status == 200 or status == 1 and level == \"x\"", r));
    CHECK_FALSE(Eval("(status == 200 or status == 1) and level == \"x\"", r));
  }

  TEST_CASE("missing fields and nulls") {
    Record r = Access(200, "info", "");
    CHECK(Eval("missing == null", r));
    CHECK(Eval("gone == null", r));
    CHECK_FALSE(Eval("missing > 1", r));
    CHECK_FALSE(Eval("missing < 1", r));
    CHECK(Eval("missing != 1", r));
    CHECK_FALSE(Eval("status == null", r));
    CHECK_FALSE(Eval("http.nothing.deeper == 1", r));
    CHECK_FALSE(Eval("level > 3", r));  // a non-numeric string does not order against a number
  }

  TEST_CASE("numeric strings compare as numbers") {
    Record r = Access(200, "info", "");
    CHECK(Eval("code == 404", r));
    CHECK(Eval("code >= 400", r));
    CHECK(Eval("code == \"404\"", r));
  }

  TEST_CASE("record attributes") {
    Record r = Access(200, "info", "");
    CHECK(Eval("$topic == \"access-log\"", r));
    CHECK(Eval("$timestamp >= 1000", r));
    CHECK(Eval("$headers.x-env == \"prod\"", r));
    CHECK(Eval("$headers.missing == null", r));
    CHECK(Eval("$key == null", r));
    CHECK(Eval("$partition == null", r));
    CHECK(Eval("$value.status == 200", r));
  }

  TEST_CASE("quoted field names") {
    Record r;
    r.value = MakeStruct({{"and", 1}, {"user name", "x"}});
    CHECK(Eval("`and` == 1", r));
    CHECK(Eval("`user name` == \"x\"", r));
  }

  TEST_CASE("maps are walked like structs") {
    Record r;
    r.value = Value(Map{{Value("status"), Value(503)}, {Value("req"), Value(Map{{Value("path"), Value("/api")}})}});
    CHECK(Eval("status >= 500 and req.path matches \"^/api\"", r));
  }

  TEST_CASE("field indexes follow the record's shape") {
    auto c = Condition::Parse("status >= 400");
    REQUIRE(c.ok());
    Record a;
    a.value = MakeStruct({{"status", 500}, {"x", 1}});
    Record b;
    b.value = MakeStruct({{"x", 1}, {"status", 200}});
    CHECK(c->Matches(a));
    CHECK_FALSE(c->Matches(b));
    CHECK(c->Matches(a));
  }

  TEST_CASE("syntax errors name the column") {
    for (const char* bad : {"status >=", "status >= 400 and", "(status == 1", "status == \"x", "status ~ 1",
                            "message matches \"(\"", "", "status == 1 2", "$nope == 1", "and == 1"}) {
      auto c = Condition::Parse(bad);
      CHECK_MESSAGE(!c.ok(), bad);
      if (!c.ok()) CHECK(c.error().kind() == ErrorKind::kConfig);
    }
    auto c = Condition::Parse("status >= 400 oops");
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message().find("column 15") != std::string::npos);
  }
}

}  // namespace pipeline
