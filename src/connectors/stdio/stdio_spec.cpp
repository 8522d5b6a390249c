// The `stdin` source and the `stdout` and `blackhole` sinks: options (reference docs come from here) and
// factories.
#include "connectors/common/csv_options.h"
#include "connectors/connectors.h"
#include "connectors/stdio/blackhole_sink.h"
#include "connectors/stdio/stdin_source.h"
#include "connectors/stdio/stdout_sink.h"
#include "plugin/dead_letter.h"
#include "plugin/registry.h"

namespace pipeline {

namespace {

ComponentSpec StdinSpec() {
  ComponentSpec spec;
  spec.type = "stdin";
  spec.kind = ComponentKind::kSource;
  spec.ends_by_itself = [](const Options&) { return true; };  // at end of input
  spec.summary = "Reads records from standard input, one per line; ends at end of input. A line that cannot be "
                 "decoded stops the pipeline (naming its byte offset) unless on_error is skip (drop it) or dead_letter "
                 "(a dead-letter envelope with stage decode and the line in raw_base64, appended to dead_letter_path).";
  spec.options = {
      {"format", OptionType::kEnum,
       "How each line is decoded: json, csv (the header line first; cells are strings unless the csv option types "
       "them), lines (text in field `message`) or dead_letter (dead-letter envelopes read back as the records "
       "they hold).",
       "json", false, {"json", "csv", "lines", "dead_letter"}},
      CsvOptionSpec(),
      {"key_fields", OptionType::kStringList,
       "Set each record's key from these value fields: one field gives its value as the key, several a struct "
       "of them by name (what a SQL table over this stream needs: its rows are keyed). A field the value lacks "
       "gives null."},
      {"batch_size", OptionType::kInt, "Most records per batch.", "1024"},
  };
  spec.example = "sources:\n  input:\n    type: stdin\n    format: lines\n";
  return spec;
}

ComponentSpec StdoutSpec() {
  ComponentSpec spec;
  spec.type = "stdout";
  spec.kind = ComponentKind::kSink;
  spec.summary = "Prints records to standard output, one per line.";
  spec.options = {
      {"format", OptionType::kEnum,
       "json: one JSON object per line; pretty: indented JSON; csv: a header then one line per record; lines: the "
       "`message` field (or the value) as text.",
       "json", false, {"json", "pretty", "csv", "lines"}},
      CsvOptionSpec(CsvUse::kWrite),
      {"target", OptionType::kEnum, "Where to print.", "stdout", false, {"stdout", "stderr"}},
      {"metadata", OptionType::kBool,
       "Print whole records: {key, value, headers, topic, partition, position, timestamp, window}, the fields of "
       "a dead letter's record (format json or pretty). Without it a SQL table's rows show their key columns and "
       "WINDOWSTART, WINDOWEND beside the value columns, as ksqlDB's CLI does; other records show their value.",
       "false"},
  };
  spec.example = "sinks:\n  console:\n    type: stdout\n    inputs: [clicks]\n    format: json\n";
  return spec;
}

ComponentSpec BlackholeSpec() {
  ComponentSpec spec;
  spec.type = "blackhole";
  spec.kind = ComponentKind::kSink;
  spec.summary = "Discards records as they arrive and counts them (pipe_blackhole_records_total); for benchmarks.";
  spec.options = {
      {"print_interval", OptionType::kDuration,
       "Every so often, print the record count and rate to stderr (and a total at shutdown); 0 = never.", "0"},
      {"reject_when", OptionType::kString,
       "A testing aid: reject the records for which this condition holds (as a target refusing single records "
       "would), so they follow the sink's on_error, e.g. dead_letter. Grammar: Conditions, at "
       "the end of this reference.", ""},
  };
  spec.example = "sinks:\n  discard:\n    type: blackhole\n    inputs: [bids]\n    print_interval: 1s\n";
  return spec;
}

Result<std::unique_ptr<Source>> BuildStdin(const Options& options, const BuildContext&) {
  stdio::StdinSettings s;
  s.format = options.GetString("format");
  s.key_fields = KeyFields(options.GetStringList("key_fields"));
  auto csv = ReadCsvOptions(options);
  if (!csv.ok()) return csv.error();
  s.csv = std::move(*csv);
  // on_error and dead_letter_path are keys every source accepts (config/common_keys.h).
  // The loader checked the value.
  const OnError policy = ParseOnError(options.GetString("on_error")).value_or(OnError::kFail);
  s.skip_errors = policy != OnError::kFail;
  if (policy == OnError::kDeadLetter) s.dead_letter_path = options.GetString("dead_letter_path");
  if (options.GetInt("batch_size") <= 0) return options.ErrorAt("batch_size", "must be positive");
  s.batch_size = static_cast<size_t>(options.GetInt("batch_size"));
  return std::unique_ptr<Source>(std::make_unique<stdio::StdinSource>(std::move(s)));
}

Result<std::unique_ptr<Sink>> BuildStdout(const Options& options, const BuildContext&) {
  stdio::StdoutSettings s;
  s.format = options.GetString("format");
  s.fd = options.GetString("target") == "stderr" ? 2 : 1;
  auto csv = ReadCsvOptions(options, CsvUse::kWrite);
  if (!csv.ok()) return csv.error();
  s.csv = std::move(*csv);
  s.metadata = options.GetBool("metadata");
  if (s.metadata && s.format != "json" && s.format != "pretty")
    return options.ErrorAt("metadata", "whole records are JSON: use format json or pretty");
  return std::unique_ptr<Sink>(std::make_unique<stdio::StdoutSink>(std::move(s)));
}

Result<std::unique_ptr<Sink>> BuildBlackhole(const Options& options, const BuildContext&) {
  std::optional<Condition> reject_when;
  if (options.Has("reject_when")) {
    auto condition = Condition::Parse(options.GetString("reject_when"));
    if (!condition.ok()) return options.ErrorAt("reject_when", condition.error().message());
    reject_when = std::move(condition).value();
  }
  return std::unique_ptr<Sink>(
      std::make_unique<stdio::BlackholeSink>(options.GetDurationMs("print_interval"), std::move(reject_when)));
}

}  // namespace

void RegisterStdioConnectors(Registry& registry) {
  registry.AddSource(StdinSpec(), BuildStdin);
  registry.AddSink(StdoutSpec(), BuildStdout);
  registry.AddSink(BlackholeSpec(), BuildBlackhole);
}

}  // namespace pipeline
