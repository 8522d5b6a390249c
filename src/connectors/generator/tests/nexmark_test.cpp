#include <doctest/doctest.h>

#include <chrono>

#include "connectors/generator/dataset.h"
#include "connectors/generator/nexmark_model.h"

namespace pipeline::generator {
namespace {

TEST_SUITE("connectors.generator") {
  TEST_CASE("nexmark model: 1:3:46 proportions and ids derived from the event number") {
    using namespace nexmark;
    CHECK(KindOf(0) == EventKind::kPerson);
    CHECK(KindOf(1) == EventKind::kAuction);
    CHECK(KindOf(3) == EventKind::kAuction);
    CHECK(KindOf(4) == EventKind::kBid);
    CHECK(KindOf(49) == EventKind::kBid);
    CHECK(KindOf(50) == EventKind::kPerson);
    CHECK(LastBase0PersonId(0) == 0);
    CHECK(LastBase0PersonId(49) == 0);
    CHECK(LastBase0PersonId(50) == 1);
    CHECK(LastBase0AuctionId(1) == 0);
    CHECK(LastBase0AuctionId(3) == 2);
    CHECK(LastBase0AuctionId(10) == 2);
    CHECK(LastBase0AuctionId(50) == 2);  // a person: the previous epoch's last auction
    CHECK(LastBase0AuctionId(52) == 4);
  }

  TEST_CASE("nexmark events: person/auction ids are consecutive, bids refer to existing ids") {
    auto dataset = MakeNexmarkDataset(5, true, 100);
    Random rng(5);
    int64_t persons = 0, auctions = 0, bids = 0, hot_auction_bids = 0;
    for (uint64_t n = 0; n < 50000; ++n) {
      Record r;
      dataset->Generate(n, 1000 + static_cast<int64_t>(n / 10), rng, r);
      const Value& v = r.value;
      int64_t type = v.Field("event_type")->as_int();
      CHECK(v.Field("dateTime")->as_timestamp().millis == 1000 + static_cast<int64_t>(n / 10));
      if (type == 0) {
        CHECK(v.Field("person")->Field("id")->as_int() == 1000 + persons);
        CHECK(v.Field("bid")->is_null());
        ++persons;
      } else if (type == 1) {
        const Value& a = *v.Field("auction");
        CHECK(a.Field("id")->as_int() == 1000 + auctions);
        CHECK(a.Field("reserve")->as_int() >= a.Field("initialBid")->as_int());
        CHECK(a.Field("expires")->as_timestamp().millis > a.Field("dateTime")->as_timestamp().millis);
        int64_t category = a.Field("category")->as_int();
        CHECK((category >= 10 && category < 15));
        CHECK(a.Field("seller")->as_int() < 1000 + persons + nexmark::kPersonIdLead);
        ++auctions;
      } else {
        REQUIRE(type == 2);
        const Value& b = *v.Field("bid");
        int64_t auction = b.Field("auction")->as_int();
        CHECK(auction < 1000 + auctions + nexmark::kAuctionIdLead);
        CHECK(b.Field("bidder")->as_int() < 1000 + persons + nexmark::kPersonIdLead);
        CHECK(b.Field("price")->as_int() >= 1);
        if ((auction - 1000) % 100 == 0) ++hot_auction_bids;
        ++bids;
      }
    }
    CHECK(persons == 1000);
    CHECK(auctions == 3000);
    CHECK(bids == 46000);
    CHECK(hot_auction_bids > bids * 4 / 10);  // half of the bids go to the hot auction
  }

  TEST_CASE("nexmark split layout names the event kind in the topic") {
    auto dataset = MakeNexmarkDataset(1, false, 100);
    Random rng(1);
    Record person, auction, bid;
    dataset->Generate(0, 0, rng, person);
    dataset->Generate(1, 0, rng, auction);
    dataset->Generate(4, 0, rng, bid);
    CHECK(person.topic == "person");
    CHECK(person.value.Field("emailAddress") != nullptr);
    CHECK(auction.topic == "auction");
    CHECK(auction.value.Field("itemName") != nullptr);
    CHECK(bid.topic == "bid");
    CHECK(bid.value.Field("channel") != nullptr);
  }

  TEST_CASE("nexmark throughput") {
    auto dataset = MakeNexmarkDataset(1, true, 100);
    Random rng(1);
    const uint64_t n = 200000;
    auto start = std::chrono::steady_clock::now();
    std::vector<Record> batch(1024);
    for (uint64_t i = 0; i < n; ++i) dataset->Generate(i, static_cast<int64_t>(i / 10), rng, batch[i % 1024]);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    MESSAGE("nexmark: " << static_cast<int64_t>(n / seconds) << " events/s");
    // Only catches a pathological regression (say quadratic work): debug builds on a loaded machine are slow.
    CHECK(seconds < 60);
    CHECK(batch[(n - 1) % 1024].value.Field("event_type") != nullptr);
  }
}

}  // namespace
}  // namespace pipeline::generator
