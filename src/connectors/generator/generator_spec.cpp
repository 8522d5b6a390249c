// The `generator` source: its options (the reference docs come from here) and its factory.
#include <algorithm>
#include <random>

#include "connectors/connectors.h"
#include "connectors/generator/generator_source.h"
#include "connectors/generator/nexmark_model.h"
#include "connectors/generator/start_time.h"
#include "plugin/registry.h"

namespace pipeline {

namespace {

constexpr double kMinRate = 1e-6;  // records per second: one in about 12 days
constexpr double kMaxRate = 1e9;

ComponentSpec GeneratorSpec() {
  ComponentSpec spec;
  spec.type = "generator";
  spec.kind = ComponentKind::kSource;
  spec.ends_by_itself = [](const Options& o) { return o.GetInt("count") > 0; };
  spec.summary = "Synthetic records: ksql-datagen's quickstart datasets, Nexmark, or fields declared in YAML.";
  spec.options = {
      {"dataset", OptionType::kEnum,
       "Built-in dataset. clickstream/users/pageviews/ratings/orders follow ksql-datagen's quickstart schemas "
       "(clickstream.userid joins users.user_id, both 1..40); nexmark emits Person/Auction/Bid events 1:3:46. "
       "Either `dataset` or `fields` is required.",
       "", false, {"clickstream", "users", "pageviews", "ratings", "orders", "nexmark"}},
      {"fields", OptionType::kAny,
       "Fields to generate instead of a dataset, in order: name -> type name, or name -> {type: "
       "int|double|string|bool|timestamp, min, max, choices: [...], sequence: true, start, step, "
       "format: \"user_{n}\", length, null_rate}. Numbers are uniform in [min, max] (int default 0..1000, "
       "double 0..1); `sequence` counts start, start+step, ... (and cycles through choices); string `format` "
       "replaces {n} with such a number, otherwise strings are `length` (8) random letters; a timestamp without "
       "min/max is the record's event time."},
      {"rate", OptionType::kDouble, "Records per second (may be fractional); 0 = as fast as possible.", "0"},
      {"count", OptionType::kInt,
       "Number of records to emit, after which the source ends (a finite pipeline then exits); 0 = unbounded.",
       "0"},
      {"seed", OptionType::kInt,
       "Random seed. The same seed and start_time give the same records; without it every run differs."},
      {"start_time", OptionType::kString,
       "Event time of the first record: `now`, epoch milliseconds, or UTC `YYYY-MM-DD[THH:MM:SS[.mmm]][Z]`. "
       "Record n has event time start_time + n/rate (rate 0: + n ms, nexmark: + n*0.1 ms as in its "
       "10,000 events/s default).",
       "now"},
      {"key", OptionType::kString,
       "Top-level field copied into the record key. Default: the dataset's natural key (users: user_id, "
       "pageviews: viewtime, ratings: rating_id, orders: orderid; none for clickstream, nexmark and fields); "
       "`none` = no key."},
      // 256, not the file source's 1024: a generated record is built in memory and read at once by the next
      // stage, so a batch that is still in cache when it is read costs less (Nexmark q0 on one core, 1M events:
      // 1.01 s CPU at 1024, 0.87 s at 256; no gain below 256).
      {"batch_size", OptionType::kInt, "Most records per batch.", "256"},
      {"nexmark_layout", OptionType::kEnum,
       "nexmark only. combined: one record per event as in Flink's nexmark table: {event_type: 0 person | "
       "1 auction | 2 bid, person, auction, bid, dateTime} with only the matching sub-struct set. split: the "
       "flat person/auction/bid struct alone, with the record topic set to person, auction or bid.",
       "combined", false, {"combined", "split"}},
  };
  spec.example =
      "sources:\n"
      "  clicks:\n"
      "    type: generator\n"
      "    dataset: clickstream\n"
      "    rate: 5\n"
      "  orders:\n"
      "    type: generator\n"
      "    count: 1000\n"
      "    seed: 42\n"
      "    fields:\n"
      "      id: {type: int, sequence: true, start: 1}\n"
      "      customer: {type: string, format: \"customer_{n}\", min: 1, max: 100}\n"
      "      amount: {type: double, min: 1, max: 500}\n";
  return spec;
}

Result<std::unique_ptr<Source>> BuildGenerator(const Options& options, const BuildContext&) {
  using namespace generator;
  GeneratorSettings settings;
  settings.rate = options.GetDouble("rate");
  settings.count = options.GetInt("count");
  settings.batch_size = static_cast<size_t>(options.GetInt("batch_size"));
  // The pacing divides by the rate and sleeps until n / rate seconds: a rate near 0 would wait for ages, one
  // beyond a billion per second paces nothing that 0 would not.
  if (settings.rate != 0 && !(settings.rate >= kMinRate && settings.rate <= kMaxRate))
    return options.ErrorAt("rate", "must be 0 (unthrottled) or a number of records per second from 0.000001 to 1e9");
  if (settings.count < 0) return options.ErrorAt("count", "must be 0 (unbounded) or a positive number");
  if (options.GetInt("batch_size") <= 0) return options.ErrorAt("batch_size", "must be positive");
  settings.seed = options.Has("seed") ? static_cast<uint64_t>(options.GetInt("seed")) : std::random_device{}();
  auto start = ParseStartTime(options.GetString("start_time"));
  if (!start) return options.ErrorAt("start_time", "expected `now`, epoch milliseconds or YYYY-MM-DDTHH:MM:SSZ");
  settings.start_time_ms = *start;

  const std::string dataset_name = options.GetString("dataset");
  const bool has_fields = options.Has("fields");
  if (dataset_name.empty() == !has_fields)
    return options.ErrorAt(has_fields ? "fields" : "dataset", "set exactly one of `dataset` and `fields`");
  std::unique_ptr<Dataset> dataset;
  if (has_fields) {
    auto declared = MakeDeclaredDataset(options.Raw("fields"));
    if (!declared.ok()) return options.ErrorAt("fields", declared.error().message());
    dataset = std::move(*declared);
  } else if (dataset_name == "nexmark") {
    int64_t step = settings.rate > 0 ? std::max<int64_t>(1, static_cast<int64_t>(1e6 / settings.rate))
                                     : nexmark::kDefaultInterEventMicros;
    dataset = MakeNexmarkDataset(settings.seed, options.GetString("nexmark_layout") != "split", step);
  } else if (IsKsqlDataset(dataset_name)) {
    dataset = MakeKsqlDataset(dataset_name);
  } else {
    return options.ErrorAt("dataset", "unknown dataset '" + dataset_name +
                                          "' (clickstream, users, pageviews, ratings, orders, nexmark)");
  }
  std::string key = options.GetString("key");
  settings.key_field = key.empty() ? dataset->DefaultKeyField() : key == "none" ? "" : key;
  if (!settings.key_field.empty()) {
    // Catch a misspelt key now rather than emit keyless records: look at the shape of a sample record.
    Record sample;
    Random scratch(settings.seed);
    dataset->Generate(0, settings.start_time_ms, scratch, sample);
    if (sample.value.is_struct() && sample.value.as_struct().names->IndexOf(settings.key_field) < 0) {
      std::string fields;
      for (const auto& name : sample.value.as_struct().names->names) fields += (fields.empty() ? "" : ", ") + name;
      return options.ErrorAt("key", "no top-level field '" + settings.key_field + "' (fields: " + fields + ")");
    }
  }
  return std::unique_ptr<Source>(std::make_unique<GeneratorSource>(std::move(settings), std::move(dataset)));
}

}  // namespace

void RegisterGeneratorSource(Registry& registry) { registry.AddSource(GeneratorSpec(), BuildGenerator); }

}  // namespace pipeline
