#include <doctest/doctest.h>

#include <chrono>
#include <set>

#include "connectors/generator/start_time.h"
#include "formats/json.h"
#include "plugin/registry.h"

namespace pipeline {
namespace {

Result<std::unique_ptr<Source>> BuildGenerator(const std::string& yaml) {
  const Registry& registry = BuiltinRegistry();
  Options options(registry.FindSpec(ComponentKind::kSource, "generator"), YAML::Load(yaml), "test.yaml");
  return (*registry.FindSource("generator"))(options, BuildContext{"gen", ".", {}});
}

// Reads until the source ends (or `limit` records).
std::vector<Record> Drain(Source& source, size_t limit = 1000000) {
  SourceContext ctx;
  ctx.name = "gen";
  REQUIRE(source.Open(ctx).ok());
  std::vector<Record> out;
  std::stop_source stop;
  while (out.size() < limit) {
    Batch batch;
    auto status = source.Read(batch, stop.get_token());
    REQUIRE(status.ok());
    for (auto& r : batch.records) out.push_back(std::move(r));
    if (*status == ReadStatus::kEnd) break;
  }
  return out;
}

std::vector<std::string> AsJson(const std::vector<Record>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(ToJson(r.value) + "@" + std::to_string(r.timestamp));
  return out;
}

TEST_SUITE("connectors.generator") {
  TEST_CASE("clickstream has ksql-datagen's fields and ends after count") {
    auto source = BuildGenerator("{dataset: clickstream, count: 500, seed: 7}");
    REQUIRE(source.ok());
    auto records = Drain(**source);
    REQUIRE(records.size() == 500);
    std::set<int64_t> statuses;
    for (const auto& r : records) {
      const Value& v = r.value;
      for (const char* f : {"_time", "time", "ip", "request", "status", "userid", "bytes", "agent", "page"})
        CHECK_MESSAGE(v.Field(f) != nullptr, f);
      int64_t user = v.Field("userid")->as_int();
      CHECK(user >= 1);
      CHECK(user <= 40);
      CHECK(v.Field("_time")->as_int() == r.timestamp);
      CHECK(r.topic == "gen");
      statuses.insert(v.Field("status")->as_int());
    }
    CHECK(statuses == std::set<int64_t>{200, 302, 404, 405, 406, 407});
  }

  TEST_CASE("same seed and start_time give the same records, another seed others") {
    const std::string base = "{dataset: orders, count: 200, start_time: '2024-01-01T00:00:00Z', seed: ";
    auto a = BuildGenerator(base + "42}");
    auto b = BuildGenerator(base + "42}");
    auto c = BuildGenerator(base + "43}");
    REQUIRE((a.ok() && b.ok() && c.ok()));
    auto ja = AsJson(Drain(**a)), jb = AsJson(Drain(**b)), jc = AsJson(Drain(**c));
    CHECK(ja == jb);
    CHECK(ja != jc);
    CHECK(ja.size() == 200);
  }

  TEST_CASE("simulated clock advances 1/rate per record from start_time") {
    auto source = BuildGenerator("{dataset: pageviews, count: 3, rate: 1000, start_time: '2024-01-01T00:00:00.250Z'}");
    REQUIRE(source.ok());
    auto records = Drain(**source);
    REQUIRE(records.size() == 3);
    CHECK(records[0].timestamp == 1704067200250);
    CHECK(records[1].timestamp == 1704067200251);
    CHECK(records[2].timestamp == 1704067200252);
    CHECK(records[2].value.Field("viewtime")->as_int() == 1704067200252);
    CHECK(records[0].key == records[0].value.Field("viewtime")->as_int());
  }

  TEST_CASE("users cycle through every clickstream user id, keyed by user_id") {
    auto source = BuildGenerator("{dataset: users, count: 80, seed: 1}");
    REQUIRE(source.ok());
    auto records = Drain(**source);
    REQUIRE(records.size() == 80);
    std::set<int64_t> ids;
    for (const auto& r : records) {
      ids.insert(r.value.Field("user_id")->as_int());
      CHECK(r.key == *r.value.Field("user_id"));
      std::string level = r.value.Field("level")->as_string();
      CHECK((level == "Platinum" || level == "Gold" || level == "Silver"));
      CHECK(r.value.Field("userid")->as_string() == "User_" + std::to_string(r.key.as_int()));
    }
    CHECK(ids.size() == 40);
    CHECK(*ids.begin() == 1);
    CHECK(*ids.rbegin() == 40);
  }

  TEST_CASE("declared fields: sequence, format, choices, null_rate, timestamp") {
    auto source = BuildGenerator(R"({count: 1000, seed: 3, key: id, start_time: 1000, fields: {
        id: {type: int, sequence: true, start: 10, step: 5},
        user: {type: string, format: "user_{n}", min: 1, max: 3},
        status: {type: string, choices: [new, paid]},
        amount: {type: double, min: 1, max: 2, null_rate: 0.5},
        flag: bool,
        at: timestamp}})");
    REQUIRE(source.ok());
    auto records = Drain(**source);
    REQUIRE(records.size() == 1000);
    int nulls = 0;
    for (size_t i = 0; i < records.size(); ++i) {
      const Value& v = records[i].value;
      REQUIRE(v.as_struct().size() == 6);
      CHECK(v.as_struct().name(0) == "id");
      CHECK(v.Field("id")->as_int() == 10 + 5 * static_cast<int64_t>(i));
      CHECK(records[i].key.as_int() == v.Field("id")->as_int());
      std::string user = v.Field("user")->as_string();
      CHECK((user == "user_1" || user == "user_2" || user == "user_3"));
      std::string status = v.Field("status")->as_string();
      CHECK((status == "new" || status == "paid"));
      if (v.Field("amount")->is_null()) ++nulls;
      else CHECK((v.Field("amount")->as_double() >= 1 && v.Field("amount")->as_double() < 2));
      CHECK(v.Field("flag")->is_bool());
      CHECK(v.Field("at")->as_timestamp().millis == records[i].timestamp);
    }
    CHECK(nulls > 400);
    CHECK(nulls < 600);
  }

  TEST_CASE("start_time and rate out of range are errors at the option") {
    auto start = BuildGenerator("{dataset: users, start_time: '99999999999999999999'}");
    REQUIRE_FALSE(start.ok());
    CHECK(start.error().message().find("start_time: expected `now`") != std::string::npos);
    CHECK(generator::ParseStartTime("9223372036854775807") == INT64_MAX);
    CHECK_FALSE(generator::ParseStartTime("9223372036854775808"));
    for (const char* rate : {"1e-300", "1e10"}) {
      auto r = BuildGenerator(std::string("{dataset: users, count: 3, rate: ") + rate + "}");
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().message().find("rate: must be 0 (unthrottled) or a number of records per second") !=
            std::string::npos);
    }
    auto length = BuildGenerator("{fields: {s: {type: string, length: 1e18}}}");
    REQUIRE_FALSE(length.ok());
    CHECK(length.error().message().find("length must be between 0 and") != std::string::npos);
  }
  TEST_CASE("configuration errors say what to change") {
    auto bad_type = BuildGenerator("{fields: {x: {type: float}}}");
    REQUIRE(!bad_type.ok());
    CHECK(bad_type.error().message().find("unknown type 'float'") != std::string::npos);
    auto both = BuildGenerator("{dataset: users, fields: {x: int}}");
    CHECK(!both.ok());
    auto neither = BuildGenerator("{rate: 5}");
    CHECK(!neither.ok());
    auto bad_key = BuildGenerator("{fields: {x: {type: int, mn: 3}}}");
    REQUIRE(!bad_key.ok());
    CHECK(bad_key.error().message().find("unknown setting 'mn'") != std::string::npos);
    auto bad_record_key = BuildGenerator("{dataset: users, key: userId}");
    REQUIRE(!bad_record_key.ok());
    CHECK(bad_record_key.error().message().find("no top-level field 'userId' (fields: user_id, userid") !=
          std::string::npos);
  }

  TEST_CASE("rate limits records and Read stays responsive when idle") {
    auto source = BuildGenerator("{dataset: clickstream, rate: 20}");
    REQUIRE(source.ok());
    SourceContext ctx;
    ctx.name = "gen";
    REQUIRE((*source)->Open(ctx).ok());
    std::stop_source stop;
    size_t total = 0;
    auto start = std::chrono::steady_clock::now();
    auto longest = std::chrono::steady_clock::duration::zero();
    while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(300)) {
      Batch batch;
      auto t0 = std::chrono::steady_clock::now();
      auto status = (*source)->Read(batch, stop.get_token());
      longest = std::max(longest, std::chrono::steady_clock::now() - t0);
      REQUIRE(status.ok());
      CHECK(*status != ReadStatus::kEnd);
      total += batch.size();
    }
    CHECK(total >= 5);  // 1 at once + 20/s for 0.3 s
    CHECK(total <= 8);
    CHECK(longest < std::chrono::milliseconds(250));  // 100 ms idle bound + scheduling slack
  }

  TEST_CASE("start_time accepts now, epoch ms and ISO dates") {
    using generator::ParseStartTime;
    CHECK(ParseStartTime("1700000000000") == 1700000000000);
    CHECK(ParseStartTime("2024-01-01") == 1704067200000);
    CHECK(ParseStartTime("2024-01-01T01:02:03Z") == 1704070923000);
    CHECK(ParseStartTime("2024-01-01 01:02:03.5") == 1704070923500);
    CHECK(!ParseStartTime("yesterday"));
    CHECK(!ParseStartTime("2024-13-01"));
    CHECK(ParseStartTime("now").value() > 1700000000000);
  }
}

}  // namespace
}  // namespace pipeline
