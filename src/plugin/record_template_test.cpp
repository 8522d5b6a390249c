#include "plugin/record_template.h"

#include <doctest/doctest.h>

#include "formats/json.h"

using namespace pipeline;

namespace {

Record Sample() {
  Record r;
  r.topic = "shop.public.customers";
  r.partition = 2;
  r.timestamp = 1709647620000;  // 2024-03-05 14:07:00 UTC
  r.key = Value(std::string("c-17"));
  r.value = *ParseJson(R"({"full_name": "Ann Lee", "address": {"city": "Oslo"}, "topic": "own", "n": 7})");
  r.position = {Lanes::Intern("shop/2"), 41, 0};
  return r;
}

}  // namespace

TEST_SUITE("plugin.record_template") {
  TEST_CASE("record attributes, event time, value fields and literal braces") {
    auto t = RecordTemplate::Parse(
        "{table}-{date}/{hour}:{minute} {key} p{partition} {position} {full_name} {address.city} {value.topic} "
        "{n} {{x}} {missing}",
        /*allow_part_number=*/true);
    REQUIRE(t.ok());
    CHECK(t->Render(Sample()) ==
          "customers-2024-03-05/14:07 c-17 p2 shop/2@41 Ann Lee Oslo own {n} {x} null");
    CHECK(t->has_part_number());
    CHECK(t->uses_record_contents());
    CHECK(t->time_bucket_ms() == 60000);
    auto index = RecordTemplate::Parse("{topic}-{year}.{month}");
    REQUIRE(index.ok());
    CHECK(index->Render(Sample()) == "shop.public.customers-2024.03");
    CHECK_FALSE(index->uses_record_contents());
  }

  TEST_CASE("placeholders that are neither attributes nor fields are errors that say what was meant") {
    auto typo = RecordTemplate::Parse("logs-{dat}");
    REQUIRE(!typo.ok());
    CHECK(typo.error().message().find("did you mean {date}?") != std::string::npos);
    CHECK(typo.error().message().find("{value.dat}") != std::string::npos);
    CHECK(RecordTemplate::Parse("logs-{value.dat}").ok());  // the field, said explicitly
    CHECK(!RecordTemplate::Parse("a {} b").ok());
    CHECK(!RecordTemplate::Parse("a {b c} d").ok());
    CHECK(!RecordTemplate::Parse("a {b").ok());
    CHECK(!RecordTemplate::Parse("a } b").ok());
    auto part = RecordTemplate::Parse("x-{n}");  // only where the sink rolls parts
    REQUIRE(!part.ok());
    CHECK(part.error().message().find("part number") != std::string::npos);
  }

  TEST_CASE("an inserter rewrites what placeholders put in, not the literal text") {
    auto t = RecordTemplate::Parse("[{full_name}|{address.city}|{{}}|{date}]");
    REQUIRE(t.ok());
    std::string out;
    t->RenderInserting(Sample(), out,
                       [](std::string_view inserted, std::string& o) { o += "<" + std::string(inserted) + ">"; });
    CHECK(out == "[<Ann Lee>|<Oslo>|{}|<2024-03-05>]");
  }
}
