#include <doctest/doctest.h>

#include "observability/tap.h"

using namespace pipeline;

TEST_SUITE("observability.tap") {
  TEST_CASE("a point is active only while a tap watches its stream") {
    TapRegistry registry;
    TapPoint* clicks = registry.Point("clicks");
    registry.SetStreams({"clicks", "errors"});
    CHECK(!clicks->active());
    auto tap = registry.Attach({"clicks", "clicks"}, 1);
    REQUIRE(tap.ok());
    CHECK(clicks->active());
    CHECK(clicks->taps().size() == 1);  // named twice, tapped once
    CHECK(!registry.Point("errors")->active());
    registry.Detach(*tap);
    CHECK(!clicks->active());
  }

  TEST_CASE("an unknown stream is refused with the streams that exist") {
    TapRegistry registry;
    registry.SetStreams({"clicks", "errors_by_page"});
    auto tap = registry.Attach({"click"}, 1);
    REQUIRE(!tap.ok());
    CHECK(tap.error().kind() == ErrorKind::kConfig);
    CHECK(tap.error().message().find("did you mean 'clicks'") != std::string::npos);
    CHECK(tap.error().message().find("clicks, errors_by_page") != std::string::npos);
  }

  TEST_CASE("taps are bounded") {
    TapRegistry registry;
    registry.SetStreams({"s"});
    std::vector<std::shared_ptr<Tap>> taps;
    for (size_t i = 0; i < TapRegistry::kMaxTaps; ++i) taps.push_back(*registry.Attach({"s"}, 1));
    auto one_more = registry.Attach({"s"}, 1);
    REQUIRE(!one_more.ok());
    CHECK(one_more.error().kind() == ErrorKind::kRetryable);
    registry.Detach(taps.back());
    CHECK(registry.Attach({"s"}, 1).ok());
  }

  TEST_CASE("a full tap drops and counts instead of waiting; sampling keeps one in N") {
    Tap tap({"s"}, 3, 10);
    CHECK(tap.Sampled());
    CHECK(!tap.Sampled());
    CHECK(!tap.Sampled());
    CHECK(tap.Sampled());
    tap.Push("abcd");  // 5 bytes with its newline
    tap.Push("efgh");
    tap.Push("ijkl");  // no room
    std::string out;
    CHECK(tap.Take(out) == 1);
    CHECK(out == "abcd\nefgh\n");
    out.clear();
    CHECK(tap.Take(out) == 0);
    CHECK(out.empty());
  }
}
