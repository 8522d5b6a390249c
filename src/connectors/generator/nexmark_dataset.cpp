// Nexmark records in the layout of Flink's nexmark `datagen` table (also what Arroyo and Feldera read): one
// record per event with `event_type` (0 person, 1 auction, 2 bid), the three sub-structs of which only the one
// of that type is non-null, and `dateTime`. With `nexmark_layout: split` a record is the flat sub-struct alone
// and Record::topic says person | auction | bid (RisingWave's three tables).
//
// Hot path: 92% of events are bids. FieldNames and the hot channel URLs are built once, the 10,000 other
// channels are kept as 16 bytes each (see ChannelUrl), and random strings take one draw per character.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "connectors/generator/dataset.h"
#include "connectors/generator/nexmark_model.h"

namespace pipeline::generator {

namespace {

using namespace nexmark;

FieldNamesPtr Names(std::vector<std::string> names) {
  auto n = std::make_shared<FieldNames>();
  n->names = std::move(names);
  return n;
}

// nexmark's nextString: 3..max_len-1 characters, lowercase letters with ~1 in 13 replaced by `special`.
std::string NextString(Random& rng, int64_t max_len, char special = ' ') {
  std::string s(static_cast<size_t>(3 + rng.Below(max_len - 3)), '\0');
  for (char& c : s) {  // written in place: push_back's capacity check per character cost more than the draw
    uint64_t r = rng.Next();
    c = r % 13 == 0 ? special : static_cast<char>('a' + (r / 13) % 26);
  }
  return s;
}

// Padding that brings the event to its configured average size, +-20%.
std::string NextExtra(Random& rng, int64_t current_size, int64_t desired_average) {
  std::string s;
  if (current_size > desired_average) return s;
  desired_average -= current_size;
  int64_t delta = static_cast<int64_t>(desired_average * 0.2 + 0.5);
  int64_t size = desired_average - delta + (delta == 0 ? 0 : rng.Below(2 * delta));
  rng.AppendLetters(static_cast<size_t>(size), s);
  return s;
}

// A URL is https://www.nexmark.com/<a>/<b>/<c>/item.htm?query=1 with three random parts of 3 or 4 characters.
constexpr std::string_view kUrlPrefix = "https://www.nexmark.com/";
constexpr std::string_view kUrlSuffix = "/item.htm?query=1";

std::string UrlPath(Random& rng) {
  return NextString(rng, 5, '_') + "/" + NextString(rng, 5, '_') + "/" + NextString(rng, 5, '_');
}

std::string BaseUrl(Random& rng) {
  std::string url(kUrlPrefix);
  url += UrlPath(rng);
  url += kUrlSuffix;
  return url;
}

// Java's Math.abs(Integer.reverse(i)), by swapping ever smaller halves.
int64_t ReverseBits(uint32_t v) {
  v = (v >> 16) | (v << 16);
  v = ((v >> 8) & 0x00ff00ffu) | ((v & 0x00ff00ffu) << 8);
  v = ((v >> 4) & 0x0f0f0f0fu) | ((v & 0x0f0f0f0fu) << 4);
  v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
  v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
  return std::abs(static_cast<int64_t>(static_cast<int32_t>(v)));
}

// What is kept of one of the 10,000 channels: its URL's random path, and whether the URL names the channel
// (9 in 10 do). Whole URLs (~1.5 MB with their heap blocks) did not stay in cache: copying one was a cache miss
// on every other bid. The name and the URL are put together per bid instead, from 16 bytes.
struct ChannelUrl {
  std::array<char, 15> path;  // "<a>/<b>/<c>", at most 14 characters
  uint8_t path_size;
  bool names_channel;
};

void AppendNumber(int64_t n, std::string& out) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

class NexmarkDataset : public Dataset {
 public:
  NexmarkDataset(uint64_t seed, bool combined, int64_t step_micros) : combined_(combined), step_micros_(step_micros) {
    // Channel URLs come from their own stream so that they do not depend on how many events were drawn.
    Random rng(seed ^ 0x6e65786d61726bULL);
    for (size_t i = 0; i < hot_urls_.size(); ++i) hot_urls_[i] = BaseUrl(rng);
    channels_.reserve(kChannels);
    for (int64_t i = 0; i < kChannels; ++i) {
      std::string path = UrlPath(rng);
      ChannelUrl channel{};
      std::copy(path.begin(), path.end(), channel.path.begin());
      channel.path_size = static_cast<uint8_t>(path.size());
      channel.names_channel = rng.Below(10) > 0;
      channels_.push_back(channel);
    }
  }

  void Generate(uint64_t n, int64_t event_ms, Random& rng, Record& out) override {
    const int64_t event_id = static_cast<int64_t>(n);
    EventKind kind = KindOf(event_id);
    Value event;
    switch (kind) {
      case EventKind::kPerson: event = Person(event_id, event_ms, rng); break;
      case EventKind::kAuction: event = Auction(event_id, event_ms, rng); break;
      case EventKind::kBid: event = Bid(event_id, event_ms, rng); break;
    }
    int type = static_cast<int>(kind);
    if (!combined_) {
      out.value = std::move(event);
      out.topic = kTopics[type];
      return;
    }
    Struct s{event_names_, {}};
    s.values.resize(5);
    s.values[0] = Value(type);
    s.values[1 + type] = std::move(event);
    s.values[4] = Value(Timestamp{event_ms});
    out.value = Value(std::move(s));
  }

  int64_t DefaultStepMicros() const override { return kDefaultInterEventMicros; }

 private:
  static constexpr int64_t kChannels = 10000;
  static constexpr int64_t kHotChannelsRatio = 2;
  static constexpr std::array<const char*, 3> kTopics = {"person", "auction", "bid"};

  Value Person(int64_t event_id, int64_t event_ms, Random& rng) {
    static constexpr std::array<std::string_view, 11> kFirst = {"Peter", "Paul",  "Luke",  "John",   "Saul",  "Vicky",
                                                                "Kate",  "Julie", "Sarah", "Deiter", "Walter"};
    static constexpr std::array<std::string_view, 9> kLast = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                                              "Walton", "Smith",  "Jones",   "Noris"};
    static constexpr std::array<std::string_view, 6> kStates = {"AZ", "CA", "ID", "OR", "WA", "WY"};
    static constexpr std::array<std::string_view, 10> kCities = {"Phoenix",  "Los Angeles", "San Francisco",
                                                                 "Boise",    "Portland",    "Bend",
                                                                 "Redmond",  "Seattle",     "Kent",
                                                                 "Cheyenne"};
    std::string name;
    name.reserve(16);
    name += kFirst[rng.Below(kFirst.size())];
    name += ' ';
    name += kLast[rng.Below(kLast.size())];
    std::string email = NextString(rng, 7) + "@" + NextString(rng, 5) + ".com";
    char card[24];
    std::snprintf(card, sizeof card, "%04d %04d %04d %04d", static_cast<int>(rng.Below(10000)),
                  static_cast<int>(rng.Below(10000)), static_cast<int>(rng.Below(10000)),
                  static_cast<int>(rng.Below(10000)));
    std::string_view city = kCities[rng.Below(kCities.size())];
    std::string_view state = kStates[rng.Below(kStates.size())];
    int64_t size = 8 + static_cast<int64_t>(name.size() + email.size() + 19 + city.size() + state.size());
    Struct s{person_names_, {}};
    s.values.reserve(8);
    s.values.emplace_back(LastBase0PersonId(event_id) + kFirstPersonId);
    s.values.emplace_back(std::move(name));
    s.values.emplace_back(std::move(email));
    s.values.emplace_back(std::string_view(card, 19));
    s.values.emplace_back(city);
    s.values.emplace_back(state);
    s.values.emplace_back(Timestamp{event_ms});
    s.values.emplace_back(NextExtra(rng, size, kAvgPersonBytes));
    return Value(std::move(s));
  }

  Value Auction(int64_t event_id, int64_t event_ms, Random& rng) {
    int64_t seller = rng.Below(kHotSellersRatio) > 0 ? (LastBase0PersonId(event_id) / kHotSellerGroup) * kHotSellerGroup
                                                     : NextBase0PersonId(event_id, rng);
    int64_t category = kFirstCategoryId + rng.Below(kNumCategories);
    int64_t initial_bid = NextPrice(rng);
    int64_t expires = event_ms + NextAuctionLengthMs(rng, step_micros_);
    std::string item = NextString(rng, 20);
    std::string description = NextString(rng, 100);
    int64_t reserve = initial_bid + NextPrice(rng);
    int64_t size = 8 + static_cast<int64_t>(item.size() + description.size()) + 40;
    Struct s{auction_names_, {}};
    s.values.reserve(10);
    s.values.emplace_back(LastBase0AuctionId(event_id) + kFirstAuctionId);
    s.values.emplace_back(std::move(item));
    s.values.emplace_back(std::move(description));
    s.values.emplace_back(initial_bid);
    s.values.emplace_back(reserve);
    s.values.emplace_back(Timestamp{event_ms});
    s.values.emplace_back(Timestamp{expires});
    s.values.emplace_back(seller + kFirstPersonId);
    s.values.emplace_back(category);
    s.values.emplace_back(NextExtra(rng, size, kAvgAuctionBytes));
    return Value(std::move(s));
  }

  Value Bid(int64_t event_id, int64_t event_ms, Random& rng) {
    static constexpr std::array<std::string_view, 4> kHotChannels = {"Google", "Facebook", "Baidu", "Apple"};
    int64_t auction = rng.Below(kHotAuctionRatio) > 0
                          ? (LastBase0AuctionId(event_id) / kHotAuctionGroup) * kHotAuctionGroup
                          : NextBase0AuctionId(event_id, rng);
    int64_t bidder = rng.Below(kHotBiddersRatio) > 0
                         ? (LastBase0PersonId(event_id) / kHotBidderGroup) * kHotBidderGroup + 1
                         : NextBase0PersonId(event_id, rng);
    int64_t price = NextPrice(rng);
    Struct s{bid_names_, {}};
    s.values.reserve(7);
    s.values.emplace_back(auction + kFirstAuctionId);
    s.values.emplace_back(bidder + kFirstPersonId);
    s.values.emplace_back(price);
    if (rng.Below(kHotChannelsRatio) > 0) {
      size_t i = rng.Below(kHotChannels.size());
      s.values.emplace_back(kHotChannels[i]);
      s.values.emplace_back(hot_urls_[i]);
    } else {
      int64_t channel = rng.Below(kChannels);
      AddChannel(channel, s.values);
    }
    s.values.emplace_back(Timestamp{event_ms});
    s.values.emplace_back(NextExtra(rng, 32, kAvgBidBytes));
    return Value(std::move(s));
  }

  // channel-<n> and its URL.
  void AddChannel(int64_t n, std::vector<Value>& values) const {
    std::string name("channel-");
    AppendNumber(n, name);
    values.emplace_back(std::move(name));
    const ChannelUrl& channel = channels_[static_cast<size_t>(n)];
    std::string url;
    url.reserve(kUrlPrefix.size() + channel.path.size() + kUrlSuffix.size() + 24);
    url.append(kUrlPrefix).append(channel.path.data(), channel.path_size).append(kUrlSuffix);
    if (channel.names_channel) {
      url += "&channel_id=";
      AppendNumber(ReverseBits(static_cast<uint32_t>(n)), url);
    }
    values.emplace_back(std::move(url));
  }

  bool combined_;
  int64_t step_micros_;
  std::array<std::string, 4> hot_urls_;
  std::vector<ChannelUrl> channels_;
  FieldNamesPtr event_names_ = Names({"event_type", "person", "auction", "bid", "dateTime"});
  FieldNamesPtr person_names_ =
      Names({"id", "name", "emailAddress", "creditCard", "city", "state", "dateTime", "extra"});
  FieldNamesPtr auction_names_ = Names({"id", "itemName", "description", "initialBid", "reserve", "dateTime",
                                        "expires", "seller", "category", "extra"});
  FieldNamesPtr bid_names_ = Names({"auction", "bidder", "price", "channel", "url", "dateTime", "extra"});
};

}  // namespace

std::unique_ptr<Dataset> MakeNexmarkDataset(uint64_t seed, bool combined, int64_t step_micros) {
  return std::make_unique<NexmarkDataset>(seed, combined, step_micros);
}

}  // namespace pipeline::generator
