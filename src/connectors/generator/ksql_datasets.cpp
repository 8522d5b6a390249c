// ksql-datagen's quickstart datasets, following the Avro schemas shipped with ksqlDB (clickstream_schema,
// clickstream_users_schema, pageviews, users, ratings, orders). Two deliberate differences, both so that the
// quickstart joins work out of the box: every user id lies in 1..40 (ksqlDB's clickstream also emits -1), and
// `users` cycles through all 40 users so a table built from it knows every clickstream user after 40 records.
// Event times come from the source's simulated clock, not from the schemas' iteration counters.
#include <array>
#include <chrono>
#include <cstdio>
#include <string_view>

#include "connectors/generator/dataset.h"

namespace pipeline::generator {

namespace {

constexpr int64_t kUsers = 40;

template <size_t N>
std::string_view Pick(Random& rng, const std::array<std::string_view, N>& options) {
  return options[rng.Below(N)];
}

FieldNamesPtr Names(std::vector<std::string> names) {
  auto n = std::make_shared<FieldNames>();
  n->names = std::move(names);
  return n;
}

// Apache access-log time, as ksqlDB's clickstream formats it: "25/Nov/2026:12:19:41 +0000".
std::string AccessLogTime(int64_t ms) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  sys_time<milliseconds> t{milliseconds{ms}};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> tod{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02u/%s/%04d:%02d:%02d:%02d +0000", static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<int>(tod.seconds().count()));
  return buf;
}

class ClickstreamDataset : public Dataset {
 public:
  void Generate(uint64_t, int64_t event_ms, Random& rng, Record& out) override {
    static constexpr std::array<std::string_view, 40> kIps = {
        "111.152.45.45",   "111.203.236.146", "111.168.57.122",  "111.249.79.93",   "111.168.57.122",
        "111.90.225.227",  "111.173.165.103", "111.145.8.144",   "111.245.174.248", "111.245.174.111",
        "222.152.45.45",   "222.203.236.146", "222.168.57.122",  "222.249.79.93",   "222.168.57.122",
        "222.90.225.227",  "222.173.165.103", "222.145.8.144",   "222.245.174.248", "222.245.174.222",
        "122.152.45.245",  "122.203.236.246", "122.168.57.222",  "122.249.79.233",  "122.168.57.222",
        "122.90.225.227",  "122.173.165.203", "122.145.8.244",   "122.245.174.248", "122.245.174.122",
        "233.152.245.45",  "233.203.236.146", "233.168.257.122", "233.249.279.93",  "233.168.257.122",
        "233.90.225.227",  "233.173.215.103", "233.145.28.144",  "233.245.174.248", "233.245.174.233"};
    // request and the page it asks for, side by side so that they agree.
    static constexpr std::array<std::string_view, 6> kRequests = {
        "GET /index.html HTTP/1.1",         "GET /site/user_status.html HTTP/1.1",
        "GET /site/login.html HTTP/1.1",    "GET /site/user_status.html HTTP/1.1",
        "GET /images/track.png HTTP/1.1",   "GET /images/logo-small.png HTTP/1.1"};
    static constexpr std::array<std::string_view, 6> kPages = {
        "/index.html", "/site/user_status.html", "/site/login.html", "/site/user_status.html",
        "/images/track.png", "/images/logo-small.png"};
    static constexpr std::array<int64_t, 6> kStatus = {200, 302, 404, 405, 406, 407};
    static constexpr std::array<int64_t, 7> kBytes = {1289, 2048, 4096, 278, 14096, 4006, 4196};
    static constexpr std::array<std::string_view, 2> kAgents = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/59.0.3071.115 "
        "Safari/537.36"};
    Struct s{names_, {}};
    s.values.reserve(names_->names.size());
    size_t request = rng.Below(kRequests.size());
    s.values.emplace_back(event_ms);
    s.values.emplace_back(AccessLogTime(event_ms));
    s.values.emplace_back(Pick(rng, kIps));
    s.values.emplace_back(kRequests[request]);
    s.values.emplace_back(kStatus[rng.Below(kStatus.size())]);
    s.values.emplace_back(rng.Between(1, kUsers));
    s.values.emplace_back("-");
    s.values.emplace_back(kBytes[rng.Below(kBytes.size())]);
    s.values.emplace_back("-");
    s.values.emplace_back(Pick(rng, kAgents));
    s.values.emplace_back(kPages[request]);
    out.value = Value(std::move(s));
  }

 private:
  FieldNamesPtr names_ = Names({"_time", "time", "ip", "request", "status", "userid", "remote_user", "bytes",
                                "referrer", "agent", "page"});
};

class UsersDataset : public Dataset {
 public:
  void Generate(uint64_t n, int64_t, Random& rng, Record& out) override {
    static constexpr std::array<std::string_view, 18> kUsernames = {
        "akatz1022",    "bobk_43",         "alison_99",      "k_robertz_88",   "Ferd88",       "Reeva43",
        "Antonio_0966", "ArlyneW8ter",     "DimitriSchenz88", "Oriana_70",     "AbdelKable_86", "Roberto_123",
        "AlanGreta_GG66", "Nathan_126",    "AndySims_345324", "GlenAlan_23344", "LukeWaters_23", "BenSteins_235"};
    static constexpr std::array<std::string_view, 12> kFirst = {"Elwyn",  "Curran", "Hanson",  "Woodrow",
                                                                "Ferd",   "Reeva",  "Antonio", "Arlyne",
                                                                "Dimitri", "Oriana", "Abdel",   "Greta"};
    static constexpr std::array<std::string_view, 12> kLast = {"Vanyard",  "Vears",    "Garrity", "Trice",
                                                               "Tomini",   "Jushcke",  "De Banke", "Pask",
                                                               "Rockhill", "Romagosa", "Adicot",  "Lalonde"};
    static constexpr std::array<std::string_view, 6> kCities = {"Frankfurt", "London",    "Raleigh",
                                                                "New York",  "Palo Alto", "San Francisco"};
    static constexpr std::array<std::string_view, 3> kLevels = {"Platinum", "Gold", "Silver"};
    static constexpr std::array<std::string_view, 3> kGenders = {"MALE", "FEMALE", "OTHER"};
    const int64_t user_id = static_cast<int64_t>(n % kUsers) + 1;
    Struct s{names_, {}};
    s.values.reserve(names_->names.size());
    s.values.emplace_back(user_id);
    s.values.emplace_back("User_" + std::to_string(user_id));
    s.values.emplace_back(Pick(rng, kUsernames));
    s.values.emplace_back(rng.Between(1407645330000, 1502339792000));  // ksqlDB's registered_at range
    s.values.emplace_back(Pick(rng, kFirst));
    s.values.emplace_back(Pick(rng, kLast));
    s.values.emplace_back(Pick(rng, kLevels));
    s.values.emplace_back(Pick(rng, kGenders));
    s.values.emplace_back(Pick(rng, kCities));
    s.values.emplace_back("Region_" + std::to_string(rng.Between(1, 9)));
    out.value = Value(std::move(s));
  }
  std::string DefaultKeyField() const override { return "user_id"; }

 private:
  FieldNamesPtr names_ = Names({"user_id", "userid", "username", "registertime", "first_name", "last_name",
                                "level", "gender", "city", "regionid"});
};

class PageviewsDataset : public Dataset {
 public:
  void Generate(uint64_t, int64_t event_ms, Random& rng, Record& out) override {
    Struct s{names_, {}};
    s.values.reserve(3);
    s.values.emplace_back(event_ms);
    s.values.emplace_back("User_" + std::to_string(rng.Between(1, kUsers)));
    s.values.emplace_back("Page_" + std::to_string(rng.Between(1, 99)));
    out.value = Value(std::move(s));
  }
  std::string DefaultKeyField() const override { return "viewtime"; }

 private:
  FieldNamesPtr names_ = Names({"viewtime", "userid", "pageid"});
};

class RatingsDataset : public Dataset {
 public:
  void Generate(uint64_t n, int64_t event_ms, Random& rng, Record& out) override {
    static constexpr std::array<std::string_view, 5> kChannels = {"iOS", "iOS-test", "android", "web", "web-test"};
    static constexpr std::array<std::string_view, 10> kMessages = {
        "Surprisingly good, maybe you are getting your mojo back at long last!",
        "meh",
        "airport refurb looks great, will fly outta here more!",
        "thank you for the most friendly, helpful experience today at your new lounge",
        "more peanuts please",
        "why is it so difficult to keep the bathrooms clean ?",
        "(expletive deleted)",
        "Exceeded all my expectations. Thank you !",
        "your team here rocks!",
        "is this as good as it gets? really ?"};
    Struct s{names_, {}};
    s.values.reserve(names_->names.size());
    s.values.emplace_back(static_cast<int64_t>(n) + 1);
    s.values.emplace_back(rng.Between(1, kUsers));
    s.values.emplace_back(rng.Between(1, 5));
    s.values.emplace_back(rng.Between(1, 9999));
    s.values.emplace_back(event_ms);
    s.values.emplace_back(Pick(rng, kChannels));
    s.values.emplace_back(Pick(rng, kMessages));
    out.value = Value(std::move(s));
  }
  std::string DefaultKeyField() const override { return "rating_id"; }

 private:
  FieldNamesPtr names_ =
      Names({"rating_id", "user_id", "stars", "route_id", "rating_time", "channel", "message"});
};

class OrdersDataset : public Dataset {
 public:
  void Generate(uint64_t n, int64_t event_ms, Random& rng, Record& out) override {
    Struct address{address_names_, {}};
    address.values.reserve(3);
    address.values.emplace_back("City_" + std::to_string(rng.Between(1, 99)));
    address.values.emplace_back("State_" + std::to_string(rng.Between(1, 99)));
    address.values.emplace_back(rng.Between(10000, 99999));
    Struct s{names_, {}};
    s.values.reserve(names_->names.size());
    s.values.emplace_back(event_ms);
    s.values.emplace_back(static_cast<int64_t>(n) + 1);
    s.values.emplace_back("Item_" + std::to_string(rng.Between(1, 999)));
    s.values.emplace_back(0.1 + rng.NextDouble() * 9.9);
    s.values.emplace_back(Value(std::move(address)));
    out.value = Value(std::move(s));
  }
  std::string DefaultKeyField() const override { return "orderid"; }

 private:
  FieldNamesPtr names_ = Names({"ordertime", "orderid", "itemid", "orderunits", "address"});
  FieldNamesPtr address_names_ = Names({"city", "state", "zipcode"});
};

}  // namespace

bool IsKsqlDataset(const std::string& name) {
  return name == "clickstream" || name == "users" || name == "pageviews" || name == "ratings" ||
         name == "orders";
}

std::unique_ptr<Dataset> MakeKsqlDataset(const std::string& name) {
  if (name == "clickstream") return std::make_unique<ClickstreamDataset>();
  if (name == "users") return std::make_unique<UsersDataset>();
  if (name == "pageviews") return std::make_unique<PageviewsDataset>();
  if (name == "ratings") return std::make_unique<RatingsDataset>();
  if (name == "orders") return std::make_unique<OrdersDataset>();
  return nullptr;
}

}  // namespace pipeline::generator
