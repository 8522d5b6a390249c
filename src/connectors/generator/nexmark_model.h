// The Nexmark generator's rules (Beam's / nexmark-flink's GeneratorConfig, PersonGenerator, AuctionGenerator,
// BidGenerator) with their default configuration: events are numbered 0, 1, 2, ...; in every group of 50
// events the first is a Person, the next 3 are Auctions and the other 46 Bids. Ids are derived from the event
// number so that bids refer to auctions and people that exist (or are about to: the id "lead"), and a hot
// auction / hot bidder / hot seller is picked by the ratios below. Pure functions, so they can be tested.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "connectors/generator/random.h"

namespace pipeline::generator::nexmark {

constexpr int64_t kFirstPersonId = 1000;
constexpr int64_t kFirstAuctionId = 1000;
constexpr int64_t kFirstCategoryId = 10;
constexpr int64_t kNumCategories = 5;
constexpr int64_t kPersonIdLead = 10;   // bids/auctions may name people up to 10 ids ahead
constexpr int64_t kAuctionIdLead = 10;
constexpr int64_t kHotAuctionGroup = 100;  // "hot" ids are the multiples of 100 just below the newest id
constexpr int64_t kHotBidderGroup = 100;
constexpr int64_t kHotSellerGroup = 100;

constexpr int64_t kPersonProportion = 1;
constexpr int64_t kAuctionProportion = 3;
constexpr int64_t kBidProportion = 46;
constexpr int64_t kTotalProportion = kPersonProportion + kAuctionProportion + kBidProportion;

constexpr int64_t kHotAuctionRatio = 2;  // 1 - 1/2 of bids go to a hot auction
constexpr int64_t kHotSellersRatio = 4;  // 1 - 1/4 of auctions have a hot seller
constexpr int64_t kHotBiddersRatio = 4;  // 1 - 1/4 of bids come from a hot bidder
constexpr int64_t kNumActivePeople = 1000;
constexpr int64_t kNumInFlightAuctions = 100;
constexpr int64_t kAvgPersonBytes = 200;
constexpr int64_t kAvgAuctionBytes = 500;
constexpr int64_t kAvgBidBytes = 100;
constexpr int64_t kDefaultInterEventMicros = 100;  // nexmark's default first event rate: 10,000 events/s

enum class EventKind { kPerson, kAuction, kBid };

inline EventKind KindOf(int64_t event_id) {
  int64_t rem = event_id % kTotalProportion;
  if (rem < kPersonProportion) return EventKind::kPerson;
  if (rem < kPersonProportion + kAuctionProportion) return EventKind::kAuction;
  return EventKind::kBid;
}

// The newest person id (0-based) generated at or before this event.
inline int64_t LastBase0PersonId(int64_t event_id) {
  int64_t epoch = event_id / kTotalProportion;
  int64_t offset = std::min(event_id % kTotalProportion, kPersonProportion - 1);
  return epoch * kPersonProportion + offset;
}

// The newest auction id (0-based) generated at or before this event.
inline int64_t LastBase0AuctionId(int64_t event_id) {
  int64_t epoch = event_id / kTotalProportion;
  int64_t offset = event_id % kTotalProportion;
  if (offset < kPersonProportion) {  // a person: the last auction of the previous epoch
    --epoch;
    offset = kAuctionProportion - 1;
  } else if (offset >= kPersonProportion + kAuctionProportion) {  // a bid: the last auction of this epoch
    offset = kAuctionProportion - 1;
  } else {
    offset -= kPersonProportion;
  }
  return epoch * kAuctionProportion + offset;
}

// A recently active person, possibly one of the next kPersonIdLead not yet created.
inline int64_t NextBase0PersonId(int64_t event_id, Random& rng) {
  int64_t num_people = LastBase0PersonId(event_id) + 1;
  int64_t active = std::min(num_people, kNumActivePeople);
  return num_people - active + rng.Below(active + kPersonIdLead);
}

// An auction still in flight, possibly one of the next kAuctionIdLead not yet created.
inline int64_t NextBase0AuctionId(int64_t event_id, Random& rng) {
  int64_t max_auction = LastBase0AuctionId(event_id);
  int64_t min_auction = std::max<int64_t>(max_auction - kNumInFlightAuctions, 0);
  return min_auction + rng.Below(max_auction - min_auction + 1 + kAuctionIdLead);
}

// Prices are log-uniform between $0.01 and $10,000 (in cents): 10^(6u) * 100, with exp being cheaper than pow.
inline int64_t NextPrice(Random& rng) {
  return static_cast<int64_t>(std::exp(rng.NextDouble() * 6.0 * 2.302585092994046) * 100.0 + 0.5);
}

// An auction lasts up to twice the time it takes to create kNumInFlightAuctions more auctions.
inline int64_t NextAuctionLengthMs(Random& rng, int64_t inter_event_micros) {
  int64_t events_for_auctions = (kNumInFlightAuctions * kTotalProportion) / kAuctionProportion;
  int64_t horizon_ms = events_for_auctions * inter_event_micros / 1000;
  return 1 + rng.Below(std::max<int64_t>(horizon_ms * 2, 1));
}

}  // namespace pipeline::generator::nexmark
