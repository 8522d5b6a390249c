// predicate / negate on any transform, and Filter.
#include <doctest/doctest.h>

#include "transforms/tests/transform_test_support.h"

namespace pipeline {
using namespace pipeline::testing;

TEST_SUITE("transforms.predicates") {
  TEST_CASE("Filter with condition keeps records where it holds") {
    auto t = BuildTransform("type: Filter\ncondition: \"status >= 400\"\n");
    bool kept = false;
    Applied(*t, RecordOf(MakeStruct({{"status", 404}})), &kept);
    CHECK(kept);
    Applied(*t, RecordOf(MakeStruct({{"status", 200}})), &kept);
    CHECK_FALSE(kept);
  }

  TEST_CASE("Filter with a predicate drops matching records (Kafka Connect)") {
    auto t = BuildTransform("type: Filter\npredicate: {type: TopicNameMatches, pattern: \"debug-.*\"}\n");
    bool kept = true;
    Applied(*t, RecordOf(MakeStruct({{"x", 1}}), "debug-web"), &kept);
    CHECK_FALSE(kept);
    Applied(*t, RecordOf(MakeStruct({{"x", 1}}), "web"), &kept);
    CHECK(kept);
    Applied(*t, RecordOf(MakeStruct({{"x", 1}}), "web-debug-x"), &kept);  // the whole name must match
    CHECK(kept);

    auto negated =
        BuildTransform("type: Filter\npredicate: {type: TopicNameMatches, pattern: \"debug-.*\"}\nnegate: true\n");
    Applied(*negated, RecordOf(MakeStruct({{"x", 1}}), "debug-web"), &kept);
    CHECK(kept);
    Applied(*negated, RecordOf(MakeStruct({{"x", 1}}), "web"), &kept);
    CHECK_FALSE(kept);

    auto all = BuildTransform("type: Filter\n");
    Applied(*all, RecordOf(Value(1)), &kept);
    CHECK_FALSE(kept);
  }

  TEST_CASE("HasHeaderKey and RecordIsTombstone") {
    auto t = BuildTransform("type: Filter\npredicate:\n  type: HasHeaderKey\n  name: skip\n");
    Record r = RecordOf(Value(1));
    bool kept = false;
    Applied(*t, r, &kept);
    CHECK(kept);
    r.headers.push_back({"skip", std::nullopt});
    Applied(*t, r, &kept);
    CHECK_FALSE(kept);

    auto tomb = BuildTransform("type: Filter\npredicate: {type: RecordIsTombstone}\n");
    Applied(*tomb, RecordOf(Value()), &kept);
    CHECK_FALSE(kept);
    Applied(*tomb, RecordOf(Value(1)), &kept);
    CHECK(kept);
  }

  TEST_CASE("a condition string as predicate gates any transform") {
    auto t =
        BuildTransform("type: InsertField\nstatic.field: alert\nstatic.value: yes\npredicate: \"status >= 500\"\n");
    Record hit = Applied(*t, RecordOf(MakeStruct({{"status", 503}})));
    Record miss = Applied(*t, RecordOf(MakeStruct({{"status", 200}})));
    CHECK(hit.value.Field("alert") != nullptr);
    CHECK(miss.value.Field("alert") == nullptr);

    auto neg = BuildTransform(
        "type: InsertField\nstatic.field: alert\nstatic.value: yes\n"
        "predicate: {type: Condition, condition: \"status >= 500\"}\nnegate: true\n");
    CHECK(Applied(*neg, RecordOf(MakeStruct({{"status", 503}}))).value.Field("alert") == nullptr);
    CHECK(Applied(*neg, RecordOf(MakeStruct({{"status", 200}}))).value.Field("alert") != nullptr);
  }

  TEST_CASE("configuration errors") {
    CHECK_FALSE(TryBuildTransform("type: Filter\ncondition: \"status >=\"\n").ok());
    CHECK_FALSE(TryBuildTransform("type: Filter\npredicate: {type: Nope}\n").ok());
    CHECK_FALSE(TryBuildTransform("type: Filter\npredicate: {type: TopicNameMatches}\n").ok());
    CHECK_FALSE(TryBuildTransform("type: Filter\npredicate: {type: TopicNameMatches, pattern: \"(\"}\n").ok());
    CHECK_FALSE(TryBuildTransform("type: Filter\npredicate: {type: HasHeaderKey, name: a, extra: 1}\n").ok());
    auto negate_alone = TryBuildTransform("type: Filter\ncondition: \"a == 1\"\nnegate: true\n");
    REQUIRE_FALSE(negate_alone.ok());
    CHECK(negate_alone.error().message().find("test.yaml:") != std::string::npos);
  }

  TEST_CASE("every transform has a $Key and $Value variant where Kafka Connect has one, and predicate options") {
    for (const char* base : {"InsertField", "ReplaceField", "MaskField", "Cast", "ExtractField", "HoistField",
                             "Flatten", "TimestampConverter", "HeaderFrom"}) {
      for (std::string suffix : {"", "$Key", "$Value"}) {
        const ComponentSpec* spec = TransformRegistry().FindSpec(ComponentKind::kTransform, base + suffix);
        REQUIRE_MESSAGE(spec, (std::string(base) + suffix));
        CHECK(spec->type == base + suffix);
      }
    }
    for (const ComponentSpec* spec : TransformRegistry().Specs(ComponentKind::kTransform)) {
      bool has_predicate = false, has_negate = false;
      for (const auto& o : spec->options) {
        has_predicate |= o.name == "predicate";
        has_negate |= o.name == "negate";
        CHECK_MESSAGE(!o.description.empty(), std::string(spec->type + "." + o.name));
      }
      CHECK_MESSAGE(has_predicate, spec->type);
      CHECK_MESSAGE(has_negate, spec->type);
      CHECK_MESSAGE(!spec->summary.empty(), spec->type);
    }
  }
}

}  // namespace pipeline
