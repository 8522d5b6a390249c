// The `file` source and sink: their options (the reference docs come from here) and factories.
#include <filesystem>

#include "connectors/common/csv_options.h"
#include "connectors/connectors.h"
#include "connectors/file/file_sink.h"
#include "connectors/file/file_source.h"
#include "plugin/registry.h"

namespace pipeline {

namespace {

// Relative paths are taken from the pipeline file's folder, so a pipeline runs the same from any directory.
std::string Resolve(const std::string& path, const BuildContext& build) {
  if (path.empty() || std::filesystem::path(path).is_absolute() || build.pipeline_dir.empty()) return path;
  return (std::filesystem::path(build.pipeline_dir) / path).lexically_normal().string();
}

ComponentSpec FileSourceSpec() {
  ComponentSpec spec;
  spec.type = "file";
  spec.kind = ComponentKind::kSource;
  spec.ends_by_itself = [](const Options& o) { return o.GetString("mode") != "follow"; };
  spec.summary = "Reads records line by line from files (one file or a glob), once or following them like tail -F. "
                 "A line that cannot be decoded follows on_error: fail (the error names the file and byte offset), "
                 "skip (counted in pipe_source_bad_records_total) or dead_letter (a dead-letter envelope with stage "
                 "decode, the line in raw_base64 and its position file@offset, appended to dead_letter_path).";
  spec.options = {
      {"path", OptionType::kString,
       "File or glob (*, ?, [..]) to read. Relative paths start at the pipeline file's folder.", "", true},
      {"mode", OptionType::kEnum,
       "read: read every matching file once, then end (a finite pipeline exits). follow: keep reading as files "
       "grow, like tail -F: follows rotation (the path renamed or deleted and a new file created: the old file is "
       "read to its end, by inode, then the new one from its start), re-reads a file that shrinks (truncation), "
       "and picks up new files matching the glob.",
       "read", false, {"read", "follow"}},
      {"start", OptionType::kEnum,
       "Where to start in files found at startup that have no checkpoint. Files that appear later, and files "
       "with a checkpoint, start at the beginning / at the checkpoint.",
       "beginning", false, {"beginning", "end"}},
      {.name = "start_at", .type = OptionType::kEnum, .description = "The older name of start.",
       .choices = {"beginning", "end"}, .deprecated_for = "start"},
      {"format", OptionType::kEnum,
       "How each line is decoded: json (one object per line), csv (a header line first in each file; cells are "
       "strings unless the csv option types them), lines (the text in field `message`), dead_letter (dead-letter "
       "envelopes read back as the records they hold, to "
       "replay them: key, value, headers, topic, partition and timestamp come from the envelope). Blank lines are "
       "skipped.",
       "json", false, {"json", "csv", "lines", "dead_letter"}},
      CsvOptionSpec(),
      {"key_fields", OptionType::kStringList,
       "Set each record's key from these value fields: one field gives its value as the key, several a struct "
       "of them by name (what a SQL table over this stream needs: its rows are keyed). A field the value lacks "
       "gives null."},
      {"batch_size", OptionType::kInt, "Most records per batch.", "1024"},
      {"max_line_bytes", OptionType::kInt,
       "Longest accepted line; a longer one is an error handled by on_error (its first max_line_bytes are kept).",
       "16777216"},
      {"rotate_wait", OptionType::kDuration,
       "follow: after a rotation, keep reading the old file until it has not grown for this long.", "1s"},
      {"poll_interval", OptionType::kDuration,
       "follow: pause between looks for new data, rotation and new files when all files are read up.", "50ms"},
  };
  spec.example =
      "sources:\n"
      "  app_logs:\n"
      "    type: file\n"
      "    path: /var/log/app/*.log\n"
      "    mode: follow\n"
      "    format: lines\n"
      "    on_error: dead_letter\n"
      "    dead_letter_path: /var/lib/pipe/bad-lines.jsonl\n";
  return spec;
}

ComponentSpec FileSinkSpec() {
  ComponentSpec spec;
  spec.type = "file";
  spec.kind = ComponentKind::kSink;
  spec.summary = "Writes records as lines to files named from the record's event time and topic, rolled by size, "
                 "count or age.";
  spec.options = {
      {"path", OptionType::kString,
       "Path template, in the template language of every destination option: {date} (YYYY-MM-DD), {year}, "
       "{month}, {day}, {hour}, {minute} from the record's event time (UTC), {topic}, {table} (the topic after "
       "its last dot), {key}, {partition}, {position}, value fields by name ({customer_id}, {a.b}, "
       "{value.topic}), {{ and }} for braces ('/' in a placeholder's text becomes '_'), and {n}, the part "
       "number, which counts up from 0 as files roll and "
       "skips files that already exist. Without {n} the file is appended to and never rolled. Relative paths "
       "start at the pipeline file's folder.",
       "", true},
      {"format", OptionType::kEnum,
       "jsonl (json is the same): one JSON object per line; csv: a header line then one line per record; lines: "
       "the `message` field (or the value) as text.",
       "jsonl", false, {"jsonl", "json", "csv", "lines"}},
      CsvOptionSpec(CsvUse::kWrite),
      {"metadata", OptionType::kBool,
       "Write whole records, one JSON object per line: {key, value, headers, topic, partition, position, "
       "timestamp, window}, the fields of a dead letter's record (format jsonl). Otherwise only the value.",
       "false"},
      {"max_bytes", OptionType::kInt, "Roll to the next part once a file holds this many bytes (0 = no limit).", "0"},
      {"max_records", OptionType::kInt, "Roll to the next part after this many records (0 = no limit).", "0"},
      {"max_age", OptionType::kDuration, "Roll to the next part once a file is this old (0 = no limit).", "0"},
      {"buffer_bytes", OptionType::kInt, "Bytes buffered per file before a write().", "1048576"},
      {"idle_close", OptionType::kDuration,
       "Close a file not written for this long (e.g. yesterday's partition).", "30s"},
      {"reject_when", OptionType::kString,
       "A testing aid: reject the records for which this condition holds instead of writing them (as a target "
       "refusing single records would), so they follow the sink's on_error, e.g. dead_letter. Grammar: "
       "Conditions, at the end of this reference.", ""},
  };
  spec.example =
      "sinks:\n"
      "  archive:\n"
      "    type: file\n"
      "    inputs: [app_logs]\n"
      "    path: out/dt={date}/hour={hour}/part-{n}.jsonl\n"
      "    max_bytes: 104857600\n";
  return spec;
}

Result<std::unique_ptr<Source>> BuildFileSource(const Options& options, const BuildContext& build) {
  using namespace file;
  FileSourceSettings s;
  s.path = Resolve(options.GetString("path"), build);
  if (s.path.empty()) return options.ErrorAt("path", "is required");
  s.mode = options.GetString("mode") == "follow" ? ReadMode::kFollow : ReadMode::kRead;
  s.start_at_end = options.GetString("start") == "end";
  s.format = options.GetString("format");
  s.key_fields = KeyFields(options.GetStringList("key_fields"));
  auto csv = ReadCsvOptions(options);
  if (!csv.ok()) return csv.error();
  s.csv = std::move(*csv);
  // on_error and dead_letter_path are keys every source accepts (config/common_keys.h); for a file source they
  // also cover lines that cannot be decoded.
  s.on_error = ParseOnError(options.GetString("on_error")).value_or(OnError::kFail);  // the loader checked it
  const std::string dead_letters = options.GetString("dead_letter_path");
  s.dead_letter_path = DeadLetterScheme(dead_letters).empty() ? Resolve(dead_letters, build) : dead_letters;
  if (options.GetInt("batch_size") <= 0) return options.ErrorAt("batch_size", "must be positive");
  s.batch_size = static_cast<size_t>(options.GetInt("batch_size"));
  if (options.GetInt("max_line_bytes") <= 0) return options.ErrorAt("max_line_bytes", "must be positive");
  s.max_line_bytes = static_cast<size_t>(options.GetInt("max_line_bytes"));
  s.rotate_wait_ms = options.GetDurationMs("rotate_wait");
  s.poll_ms = options.GetDurationMs("poll_interval");
  if (s.poll_ms <= 0 || s.poll_ms > 100) return options.ErrorAt("poll_interval", "must be between 1ms and 100ms");
  return std::unique_ptr<Source>(std::make_unique<FileSource>(std::move(s)));
}

Result<std::unique_ptr<Sink>> BuildFileSink(const Options& options, const BuildContext& build) {
  using namespace file;
  auto path = PathTemplate::Parse(Resolve(options.GetString("path"), build));
  if (!path.ok()) return options.ErrorAt("path", path.error().message());
  if (path->text().empty()) return options.ErrorAt("path", "is required");
  FileSinkSettings s{std::move(*path)};
  const std::string format = options.GetString("format");
  s.format = format == "jsonl" ? "json" : format;
  s.metadata = options.GetBool("metadata");
  if (s.metadata && s.format != "json") return options.ErrorAt("metadata", "whole records are JSON: use format jsonl");
  auto csv = ReadCsvOptions(options, CsvUse::kWrite);
  if (!csv.ok()) return csv.error();
  s.csv = std::move(*csv);
  s.max_bytes = options.GetInt("max_bytes");
  s.max_records = options.GetInt("max_records");
  s.max_age_ms = options.GetDurationMs("max_age");
  if (!s.path.has_part_number()) {
    for (const char* roll : {"max_bytes", "max_records", "max_age"})
      if (options.Has(roll)) return options.ErrorAt(roll, "rolling needs a part number: add {n} to path");
  }
  if (options.GetInt("buffer_bytes") <= 0) return options.ErrorAt("buffer_bytes", "must be positive");
  s.buffer_bytes = static_cast<size_t>(options.GetInt("buffer_bytes"));
  s.idle_close_ms = options.GetDurationMs("idle_close");
  if (options.Has("reject_when")) {
    auto condition = Condition::Parse(options.GetString("reject_when"));
    if (!condition.ok()) return options.ErrorAt("reject_when", condition.error().message());
    s.reject_when = std::make_shared<Condition>(std::move(condition).value());
  }
  return std::unique_ptr<Sink>(std::make_unique<FileSink>(std::move(s)));
}

}  // namespace

void RegisterFileConnectors(Registry& registry) {
  registry.AddSource(FileSourceSpec(), BuildFileSource);
  registry.AddSink(FileSinkSpec(), BuildFileSink);
}

}  // namespace pipeline
